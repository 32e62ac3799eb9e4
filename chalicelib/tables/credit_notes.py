"""Credit notes, per customer; an open balance is credit available to new invoices."""
from __future__ import annotations

from pynamodb.attributes import (ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.indexes import AllProjection, LocalSecondaryIndex
from pynamodb.models import Model

from ..domain.documents import CreditNote
from ..domain.ledger import credit_note_entries
from .base import OwnedByCustomer, owner_key, table
from .documents import Documents
from .mapping import from_item


class CreditNotesByStatus(LocalSecondaryIndex):
    class Meta:
        index_name = "owner-status"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    status_key = UnicodeAttribute(range_key=True)


@table("credit_notes")
class CreditNoteItem(OwnedByCustomer, Model):
    class Meta:
        pass

    credit_note_id = UnicodeAttribute(range_key=True)
    number = UnicodeAttribute()
    currency = UnicodeAttribute()
    status = UnicodeAttribute()
    status_key = UnicodeAttribute()
    issued_at = UTCDateTimeAttribute()
    lines = ListAttribute(default=list)
    total_minor = NumberAttribute()
    balance_minor = NumberAttribute()
    reason = UnicodeAttribute(default="")
    invoice_id = UnicodeAttribute(null=True)
    subscription_id = UnicodeAttribute(null=True)
    refunded_minor = NumberAttribute(default=0)
    payment_id = UnicodeAttribute(null=True)       # a refund's or an overpayment's note: its payment
    kind = UnicodeAttribute(default="credit")      # credit | refund | overpayment (absent: credit)
    version = VersionAttribute()

    by_status = CreditNotesByStatus()


class CreditNotes(Documents):
    model, domain, id_field, kind = CreditNoteItem, CreditNote, "credit_note_id", "credit note"
    ledger_entries = staticmethod(credit_note_entries)

    def of_subscription(self, org_id: str, customer_id: str, subscription_id: str) -> list[CreditNote]:
        """The customer's credit notes issued for `subscription_id`, for a merchant's void of one of
        its invoices (a customer has few notes): one Query of the customer's, page after page."""
        results = CreditNoteItem.query(owner_key(org_id, customer_id),
                                       filter_condition=CreditNoteItem.subscription_id == subscription_id,
                                       consistent_read=True)
        return [from_item(CreditNote, item) for item in results]
