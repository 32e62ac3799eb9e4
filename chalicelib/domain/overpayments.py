"""Overpayments: money a payment brought that no invoice still owed (the invoice was paid or voided
while the payment waited, e.g. for 3-D Secure) is kept for the customer as an open credit note of
kind `overpayment`, naming its payment (which names it back: `overpayment_credit_note_id`).

The payment already counted that money in the ledger (its whole amount), so the note documents it
and adds no entry of its own when issued (domain/ledger.py). Using it on an invoice adds none, as
for any note; giving it back adds a refund (+X). Refunding its payment gives this credit back first
(domain/refunds.py): the customer is never given the same money back twice.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .documents import CreditNote, CreditNoteKind, CreditNoteStatus, DocumentLine
from .payments import Payment


def overpayment_credit(payment: Payment, excess_minor: int, *, credit_note_id: str, number: str,
                       now: datetime) -> tuple[Payment, CreditNote]:
    """The payment naming its overpayment credit, and that credit: an open note of `excess_minor`."""
    if excess_minor <= 0:
        raise ValueError(f"payment {payment.payment_id} overpaid nothing")
    line = DocumentLine(f"Overpayment of payment {payment.label}", excess_minor, unit_price_minor=excess_minor,
                        kind="credit")
    note = CreditNote(credit_note_id=credit_note_id, customer_id=payment.customer_id, number=number,
                      currency=payment.currency, status=CreditNoteStatus.OPEN, issued_at=now, lines=(line,),
                      total_minor=excess_minor, balance_minor=excess_minor, reason="Overpayment",
                      payment_id=payment.payment_id, kind=CreditNoteKind.OVERPAYMENT)
    return replace(payment, overpayment_credit_note_id=credit_note_id), note


def credit_to_give_back(note: CreditNote | None, refund_minor: int) -> int:
    """What of a refund of its payment the overpayment credit `note` gives back: as much of its
    open balance as the refund (0 when there is none, or it was used up or voided)."""
    if note is None or note.kind != CreditNoteKind.OVERPAYMENT or note.status != CreditNoteStatus.OPEN:
        return 0
    return max(min(refund_minor, note.balance_minor), 0)


def give_back(note: CreditNote, amount_minor: int) -> CreditNote:
    """The overpayment credit after `amount_minor` of its balance was refunded (closed once spent)."""
    if amount_minor <= 0 or credit_to_give_back(note, amount_minor) != amount_minor:
        raise ValueError(f"credit note {note.credit_note_id} cannot give back {amount_minor}")
    balance = note.balance_minor - amount_minor
    return replace(note, balance_minor=balance, refunded_minor=note.refunded_minor + amount_minor,
                   status=CreditNoteStatus.OPEN if balance else CreditNoteStatus.CLOSED)
