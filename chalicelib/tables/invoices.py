"""Invoices, per customer, with their lines, taxes, credits applied and payments; and the portal's
invoice lists: all, outstanding, overdue, paid, partially paid, void.

Statuses with one key prefix use the owner-status index; outstanding and overdue are a Query of
the customer's partition with a filter (PynamoDB keeps reading pages until the page is full,
so the cursor stays exact)."""
from __future__ import annotations

from datetime import date

from pynamodb.attributes import (ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model

from ..domain.documents import Invoice, InvoiceStatus
from ..domain.ledger import invoice_entries
from .base import OwnedByCustomer, owner_key, table
from .dates import DateAttribute
from .documents import Documents
from .mapping import from_item
from .pages import ListScope, Page, collect


class InvoicesByStatus(LocalSecondaryIndex):
    class Meta:
        index_name = "owner-status"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    status_key = UnicodeAttribute(range_key=True)     # status#invoice_id


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
    balance_minor = NumberAttribute()                 # derived; stored for conditions and reads
    subscription_id = UnicodeAttribute(null=True)
    subscription_ref = UnicodeAttribute(null=True)
    period_start = DateAttribute(null=True)
    period_end = DateAttribute(null=True)
    paid_at = UTCDateTimeAttribute(null=True)
    voided_at = UTCDateTimeAttribute(null=True)
    notes = UnicodeAttribute(default="")
    version = VersionAttribute()

    by_status = InvoicesByStatus()
    by_subscription = InvoicesBySubscription()


I = InvoiceItem
_BY_STATUS = ("paid", "partially_paid", "void")
_OUTSTANDING = I.status.is_in(InvoiceStatus.OPEN.value, InvoiceStatus.PARTIALLY_PAID.value) & (I.balance_minor > 0)


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
        return collect(results, lambda item: from_item(Invoice, item), limit, scope)

    def in_view(self, org_id: str, customer_id: str, *, view: str, today: date, limit: int,
                cursor: str | None) -> Page[Invoice]:
        """A page of one of the portal's lists (`view`: all, outstanding, overdue at `today`, paid,
        partially_paid, void), newest first."""
        owner = owner_key(org_id, customer_id)
        scope = ListScope(f"invoices:{view}", "owner", owner)
        start = scope.start(cursor)
        if view in _BY_STATUS:
            results = I.by_status.query(owner, I.status_key.startswith(f"{view}#"), limit=limit,
                                        last_evaluated_key=start, scan_index_forward=False)
        else:
            condition = {"all": None, "outstanding": _OUTSTANDING, "overdue": _OUTSTANDING & (I.due_on < today)}[view]
            results = I.query(owner, filter_condition=condition, limit=limit, last_evaluated_key=start,
                              scan_index_forward=False)
        return collect(results, lambda item: from_item(Invoice, item), limit, scope)

    def outstanding(self, org_id: str, customer_id: str) -> list[Invoice]:
        """Every outstanding invoice of the customer, oldest due first."""
        results = I.query(owner_key(org_id, customer_id), filter_condition=_OUTSTANDING, consistent_read=True)
        return sorted((from_item(Invoice, item) for item in results), key=lambda i: (i.due_on, i.invoice_id))

    def _item(self, org_id: str, invoice: Invoice, **extra) -> Model:
        ref = f"{org_id}#{invoice.customer_id}#{invoice.subscription_id}" if invoice.subscription_id else None
        return super()._item(org_id, invoice, balance_minor=invoice.balance_minor, subscription_ref=ref, **extra)
