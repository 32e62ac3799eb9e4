"""A credit note as the portal shows it: what it credits and what is left of it, line by line
(the portal has no credit-note route of its own; subscription actions answer with the note they
issued)."""
from __future__ import annotations

from ...domain.documents import CreditNote
from .invoices import line_view


def view(note: CreditNote) -> dict:
    return {"credit_note_id": note.credit_note_id, "number": note.number, "status": note.status.value,
            "currency": note.currency, "issued_at": note.issued_at.isoformat(),
            "lines": [line_view(line) for line in note.lines], "total_minor": note.total_minor,
            "balance_minor": note.balance_minor, "refunded_minor": note.refunded_minor, "reason": note.reason,
            "invoice_id": note.invoice_id, "subscription_id": note.subscription_id, "payment_id": note.payment_id}
