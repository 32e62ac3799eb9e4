"""The customer's invoices: lists by filter, and one invoice in full (lines, taxes, credits
applied, the payments that paid it)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from ...domain.documents import CreditNote, DocumentLine, Invoice
from ...domain.payments import Payment, PaymentStatus
from ...tables.pages import Page


def page(adapters, org_id: str, customer_id: str, *, view: str, limit: int, cursor: str | None,
         now: datetime) -> Page[dict]:
    """`view`: all, outstanding, overdue (outstanding and past its due day), paid, partially_paid, void."""
    today = adapters.uow.organizations.today(org_id, now)
    found = adapters.uow.invoices.in_view(org_id, customer_id, view=view, today=today, limit=limit, cursor=cursor)
    return Page([summary(i, today) for i in found.items], found.next_cursor)


def detail(adapters, org_id: str, customer_id: str, invoice_id: str, now: datetime) -> dict:
    found = adapters.uow.invoices.with_parties(org_id, customer_id, invoice_id)
    return in_full(adapters, org_id, customer_id, found.document, found.org.today(now),
                   adapters.uow.payments.succeeded(org_id, customer_id))


def in_full(adapters, org_id: str, customer_id: str, invoice: Invoice, today: date, candidates: list[Payment], *,
            notes: Iterable[CreditNote] = ()) -> dict:
    """An invoice as its detail shows it, with those of the `candidates` that paid it. The numbers
    of the credit notes applied come from `notes` where the caller has them, or are read here."""
    known = {note.credit_note_id: note for note in notes}
    unknown = [c.credit_note_id for c in invoice.credits_applied if c.credit_note_id not in known]
    notes = {**known, **adapters.uow.credit_notes.get_many(org_id, customer_id, unknown)}
    paid_by = [(p, a) for p in candidates if p.status == PaymentStatus.SUCCEEDED
               for a in p.allocations if a.invoice_id == invoice.invoice_id]
    return {
        **summary(invoice, today),
        "lines": [line_view(line) for line in invoice.lines],
        "subtotal_minor": invoice.subtotal_minor, "tax_minor": invoice.tax_minor,
        "taxes": [{"name": t.name, "rate_bp": t.rate_bp, "amount_minor": t.amount_minor} for t in invoice.taxes],
        "credits_applied": [{"credit_note_id": c.credit_note_id, "amount_minor": c.amount_minor,
                             "number": notes[c.credit_note_id].number if c.credit_note_id in notes else None,
                             "applied_at": c.applied_at.isoformat()} for c in invoice.credits_applied],
        "payments": [{"payment_id": p.payment_id, "amount_minor": a.amount_minor, "paid_at": _iso(p.succeeded_at),
                      "method_summary": p.method_summary} for p, a in paid_by],
        "notes": invoice.notes,
    }


def summary(invoice: Invoice, today: date) -> dict:
    """An invoice's line in a list; `today` is the organization's date (overdue: past its due day)."""
    return {"invoice_id": invoice.invoice_id, "number": invoice.number, "status": invoice.status.value,
            "currency": invoice.currency, "issued_at": invoice.issued_at.isoformat(),
            "due_on": invoice.due_on.isoformat(), "total_minor": invoice.total_minor,
            "amount_paid_minor": invoice.amount_paid_minor, "credits_applied_minor": invoice.credits_applied_minor,
            "balance_minor": invoice.balance_minor, "overdue": invoice.is_overdue(today),
            "subscription_id": invoice.subscription_id, "period_start": _iso(invoice.period_start),
            "period_end": _iso(invoice.period_end), "paid_at": _iso(invoice.paid_at)}


def line_view(line: DocumentLine) -> dict:
    """A line of a document as the portal shows it (an invoice's, credit note's or estimate's)."""
    return {"description": line.description, "quantity": line.quantity, "unit_price_minor": line.unit_price_minor,
            "amount_minor": line.amount_minor, "kind": line.kind, "period_start": _iso(line.period_start),
            "period_end": _iso(line.period_end)}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None
