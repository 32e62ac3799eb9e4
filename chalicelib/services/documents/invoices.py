"""The customer's invoices: lists by filter, and one invoice in full (lines, taxes, credits
applied, the payments that paid it)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from ...domain.documents import CreditNote, Invoice
from ...domain.organization import Organization
from ...domain.payments import Payment, PaymentStatus
from ...tables.pages import Page
from .views import InFull, Listed, PaidBy, listed


def page(adapters, org: Organization, customer_id: str, *, view: str, limit: int, cursor: str | None,
         now: datetime) -> Page[Listed]:
    """`view`: all, outstanding, overdue (outstanding and past its due day), paid, partially_paid, void;
    `org` as the session check read it."""
    today = org.today(now)
    found = adapters.uow.invoices.in_view(org.org_id, customer_id, view=view, today=today, limit=limit,
                                          cursor=cursor)
    return Page([listed(i, today) for i in found.items], found.next_cursor)


def detail(adapters, org: Organization, customer_id: str, invoice_id: str, now: datetime) -> InFull:
    """The invoice (read consistently) at the date of `org` (the session check's)."""
    invoice = adapters.uow.invoices.get(org.org_id, customer_id, invoice_id, consistent=True)
    return in_full(adapters, org.org_id, customer_id, invoice, org.today(now),
                   adapters.uow.payments.succeeded(org.org_id, customer_id))


def in_full(adapters, org_id: str, customer_id: str, invoice: Invoice, today: date, candidates: list[Payment], *,
            notes: Iterable[CreditNote] = ()) -> InFull:
    """An invoice as its detail shows it, with those of the `candidates` that paid it. The numbers
    of the credit notes applied come from `notes` where the caller has them, or are read here."""
    known = {note.credit_note_id: note for note in notes}
    unknown = [c.credit_note_id for c in invoice.credits_applied if c.credit_note_id not in known]
    notes = {**known, **adapters.uow.credit_notes.get_many(org_id, customer_id, unknown)}
    paid_by = tuple(PaidBy(p, a.amount_minor) for p in candidates if p.status == PaymentStatus.SUCCEEDED
                    for a in p.allocations if a.invoice_id == invoice.invoice_id)
    return InFull(listed(invoice, today), {note_id: note.number for note_id, note in notes.items()}, paid_by)
