"""The customer's invoices: lists by filter, and one invoice in full (lines, taxes, credits
applied, the payments that paid it)."""
from __future__ import annotations

from datetime import date, datetime

from ...domain import settling
from ...domain.documents import Invoice
from ...domain.organization import Organization
from ...tables.pages import Page
from .views import InFull, Listed, listed


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
    return in_full(adapters, org.org_id, customer_id, invoice, org.today(now))


def in_full(adapters, org_id: str, customer_id: str, invoice: Invoice, today: date) -> InFull:
    """An invoice as its detail shows it. The numbers of the credit notes applied and the payments
    (newest first) are the invoice's own; for a credit or payment applied before invoices kept
    them, they are read here."""
    numbers = {c.credit_note_id: c.number for c in invoice.credits_applied if c.number is not None}
    unknown = [c.credit_note_id for c in invoice.credits_applied if c.credit_note_id not in numbers]
    numbers.update((note_id, note.number) for note_id, note in
                   adapters.uow.credit_notes.get_many(org_id, customer_id, unknown).items())
    paid = invoice.payments_applied if invoice.knows_its_payments else \
        settling.payments_found(invoice.invoice_id, adapters.uow.payments.succeeded(org_id, customer_id))
    return InFull(listed(invoice, today), numbers, tuple(reversed(paid)))
