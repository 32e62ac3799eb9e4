"""Invoices, per customer, with their lines, taxes, credits applied and payments; and the portal's
invoice lists: all, outstanding, overdue, paid, partially paid, void.

Statuses with one key prefix use the owner-status index. Outstanding and overdue use the sparse
owner-outstanding index, which holds only the invoices still owed (`outstanding_key`, due day
then id, is written only while an invoice is outstanding): a page costs one page however many
invoices the customer has paid. Overdue is the key condition `outstanding_key < today`."""
from __future__ import annotations

from datetime import date

from pynamodb.attributes import (ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model

from ..domain.documents import Invoice
from ..domain.ledger import invoice_entries
from .base import OwnedByCustomer, owner_key, table
from .dates import DateAttribute
from .documents import Documents
from .mapping import from_item, from_raw
from .pages import ListScope, Page, collect


class InvoicesByStatus(LocalSecondaryIndex):
    class Meta:
        index_name = "owner-status"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    status_key = UnicodeAttribute(range_key=True)     # status#invoice_id


class OutstandingInvoices(GlobalSecondaryIndex):
    """Only invoices still owed: the others have no `outstanding_key`, so the index leaves them out.
    A global index, since a local one can only be added with the table; its reads are eventually
    consistent (a payment reads the invoices it found again, consistently, before it claims them)."""
    class Meta:
        index_name = "owner-outstanding"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    outstanding_key = UnicodeAttribute(range_key=True)   # due_on#invoice_id


class InvoicesBySubscription(GlobalSecondaryIndex):
    class Meta:
        index_name = "subscription"
        projection = AllProjection()

    subscription_ref = UnicodeAttribute(hash_key=True)   # org#customer#subscription
    invoice_id = UnicodeAttribute(range_key=True)


@table("invoices")
class InvoiceItem(OwnedByCustomer, Model):
    class Meta:
        pass

    invoice_id = UnicodeAttribute(range_key=True)
    number = UnicodeAttribute()
    currency = UnicodeAttribute()
    status = UnicodeAttribute()
    status_key = UnicodeAttribute()
    issued_at = UTCDateTimeAttribute()
    due_on = DateAttribute()
    lines = ListAttribute(default=list)
    subtotal_minor = NumberAttribute()
    tax_minor = NumberAttribute(default=0)
    total_minor = NumberAttribute()
    taxes = ListAttribute(default=list)
    credits_applied = ListAttribute(default=list)
    amount_paid_minor = NumberAttribute(default=0)
    payments_applied = ListAttribute(default=list)    # what each payment paid of it (domain PaymentApplied)
    balance_minor = NumberAttribute()                 # derived; stored for conditions and reads
    outstanding_key = UnicodeAttribute(null=True)     # due_on#invoice_id, only while outstanding
    subscription_id = UnicodeAttribute(null=True)
    subscription_ref = UnicodeAttribute(null=True)
    period_start = DateAttribute(null=True)
    period_end = DateAttribute(null=True)
    paid_at = UTCDateTimeAttribute(null=True)
    voided_at = UTCDateTimeAttribute(null=True)
    notes = UnicodeAttribute(default="")
    version = VersionAttribute()

    by_status = InvoicesByStatus()
    by_outstanding = OutstandingInvoices()
    by_subscription = InvoicesBySubscription()


I = InvoiceItem
_BY_STATUS = ("paid", "partially_paid", "void")
_OWED = ("outstanding", "overdue")
# what a list of invoices reads: every attribute but those only the invoice itself shows
_LISTED = sorted(set(InvoiceItem.get_attributes()) - {"lines", "taxes", "notes", "payments_applied"})


class Invoices(Documents):
    model, domain, id_field, kind = InvoiceItem, Invoice, "invoice_id", "invoice"
    ledger_entries = staticmethod(invoice_entries)

    def for_subscription(self, org_id: str, customer_id: str, subscription_id: str, *, limit: int,
                         cursor: str | None) -> Page[Invoice]:
        ref = f"{org_id}#{customer_id}#{subscription_id}"
        scope = ListScope("invoices of a subscription", "subscription_ref", ref)
        start = scope.start(cursor)
        results = InvoiceItem.by_subscription.query(ref, limit=limit, last_evaluated_key=start,
                                                    scan_index_forward=False)
        return collect(results, lambda raw: from_raw(Invoice, InvoiceItem, raw), limit, scope)

    def in_view(self, org_id: str, customer_id: str, *, view: str, today: date, limit: int,
                cursor: str | None) -> Page[Invoice]:
        """A page of one of the portal's lists (`view`: all, outstanding, overdue at `today`, paid,
        partially_paid, void): newest first; outstanding and overdue latest due first. As a list shows
        them: without their lines, taxes and notes, which are not read (most of an invoice's bytes)."""
        owner = owner_key(org_id, customer_id)
        scope = ListScope(f"invoices:{view}", "owner", owner)
        start = scope.start(cursor)
        if view in _BY_STATUS:
            results = I.by_status.query(owner, I.status_key.startswith(f"{view}#"), limit=limit,
                                        last_evaluated_key=start, scan_index_forward=False,
                                        attributes_to_get=_LISTED)
        elif view in _OWED:
            due_before = I.outstanding_key < today.isoformat() if view == "overdue" else None
            results = I.by_outstanding.query(owner, due_before, limit=limit, last_evaluated_key=start,
                                             scan_index_forward=False, attributes_to_get=_LISTED)
        else:
            results = I.query(owner, limit=limit, last_evaluated_key=start, scan_index_forward=False,
                              attributes_to_get=_LISTED)
        return collect(results, lambda raw: from_raw(Invoice, InvoiceItem, raw), limit, scope)

    def outstanding(self, org_id: str, customer_id: str) -> list[Invoice]:
        """Every outstanding invoice of the customer, oldest due first (from the index: eventually
        consistent, so the caller reads those it acts on again)."""
        return [from_item(Invoice, item) for item in I.by_outstanding.query(owner_key(org_id, customer_id))]

    def _item(self, org_id: str, invoice: Invoice, **extra) -> Model:
        ref = f"{org_id}#{invoice.customer_id}#{invoice.subscription_id}" if invoice.subscription_id else None
        owed = f"{invoice.due_on.isoformat()}#{invoice.invoice_id}" if invoice.is_outstanding() else None
        return super()._item(org_id, invoice, balance_minor=invoice.balance_minor, subscription_ref=ref,
                             outstanding_key=owed, **extra)
