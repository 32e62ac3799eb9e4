"""The portal's invoice lists: all, outstanding, overdue, paid, partially paid, void.

Statuses with one key prefix use the owner-status index; outstanding and overdue are a Query of
the customer's partition with a filter (PynamoDB keeps reading pages until the page is full,
so the cursor stays exact)."""
from __future__ import annotations

from datetime import date

from ...domain.documents import Invoice, InvoiceStatus
from ...domain.errors import InvalidInput
from ..base import owner_key
from ..invoices import InvoiceItem
from ..mapping import from_item
from ..pages import Page, collect, decode_cursor

I = InvoiceItem
_BY_STATUS = ("paid", "partially_paid", "void")
_OUTSTANDING = I.status.is_in(InvoiceStatus.OPEN.value, InvoiceStatus.PARTIALLY_PAID.value) & (I.balance_minor > 0)


def page(org_id: str, customer_id: str, *, view: str, today: date, limit: int,
         cursor: str | None) -> Page[Invoice]:
    owner = owner_key(org_id, customer_id)
    start = decode_cursor(cursor, hash_attribute="owner", hash_value=owner)
    by_status = view in _BY_STATUS
    if start is not None and set(start) != ({"owner", "invoice_id", "status_key"} if by_status
                                            else {"owner", "invoice_id"}):
        raise InvalidInput({"cursor": "Not a cursor this list gave out."})
    if by_status:
        results = I.by_status.query(owner, I.status_key.startswith(f"{view}#"), limit=limit,
                                    last_evaluated_key=start, scan_index_forward=False)
    else:
        condition = {"all": None, "outstanding": _OUTSTANDING, "overdue": _OUTSTANDING & (I.due_on < today)}[view]
        results = I.query(owner, filter_condition=condition, limit=limit, last_evaluated_key=start,
                          scan_index_forward=False)
    return collect(results, lambda item: from_item(Invoice, item), limit)


def outstanding(org_id: str, customer_id: str) -> list[Invoice]:
    """Every outstanding invoice of the customer, oldest due first."""
    results = I.query(owner_key(org_id, customer_id), filter_condition=_OUTSTANDING, consistent_read=True)
    return sorted((from_item(Invoice, item) for item in results), key=lambda i: (i.due_on, i.invoice_id))
