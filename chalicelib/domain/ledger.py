"""What a change to a document does to what the customer owes, as ledger entries.

Each function compares a document before a change (None: it is new) with after it, and returns
the entries the change adds to the customer's ledger, written in the same transaction as the
document. A change that moves no money (an invoice paid or credited, a payment pending or
failed, a credit note applied) adds none: the payment or credit note already counted.

- an invoice counts when issued; voiding it adds a `void` entry taking its total back;
- a payment counts when it succeeds; money refunded from it counts through the credit note
  that documents the refund (domain/refunds.py), not through the payment;
- a credit note counts when issued (one issued void counts never); voiding one adds a
  `credit_note_void` entry; a refund of credit counts when refunded. A payment's refund note is
  issued refunded: its credit and its refund net to nothing.
- an overpayment credit (domain/overpayments.py) is money its payment already counted: its issue
  adds nothing; voiding it or refunding it counts as for any note.
"""
from __future__ import annotations

from datetime import datetime
from typing import Mapping, Sequence

from .documents import CreditNote, CreditNoteKind, CreditNoteStatus, Invoice, InvoiceStatus
from .money import Money
from .payments import Payment, PaymentStatus, Refund
from .statement import EntryKind, LedgerEntry


def invoice_entries(before: Invoice | None, after: Invoice, now: datetime) -> list[LedgerEntry]:
    entries = []
    if before is None:
        entries.append(_entry(after.issued_at, "invoice", after.number, f"Due {after.due_on.isoformat()}",
                              after.total_minor, after.currency))
    if after.status == InvoiceStatus.VOID and (before is None or before.status != InvoiceStatus.VOID):
        entries.append(_entry(after.voided_at or now, "void", after.number, "", -after.total_minor, after.currency))
    return entries


def credit_note_entries(before: CreditNote | None, after: CreditNote, now: datetime) -> list[LedgerEntry]:
    was_credit = before is not None and before.status != CreditNoteStatus.VOID
    entries = []
    if before is None and after.status != CreditNoteStatus.VOID and not counted_by_its_payment(after):
        entries.append(_entry(after.issued_at, "credit_note", after.number, after.reason, -after.total_minor,
                              after.currency))
    if was_credit and after.status == CreditNoteStatus.VOID:
        entries.append(_entry(now, "credit_note_void", after.number, "", after.total_minor, after.currency))
    refunded = after.refunded_minor - (before.refunded_minor if before else 0)
    if refunded > 0 and after.status != CreditNoteStatus.VOID:
        entries.append(_refund_entry(now, after, refunded))
    return entries


def counted_by_its_payment(note: CreditNote) -> bool:
    """An overpayment credit documents money its payment's entry already counted."""
    return note.kind == CreditNoteKind.OVERPAYMENT


def rebuilt_credit_note_entries(note: CreditNote, refunds: Sequence[Refund] = ()) -> list[LedgerEntry]:
    """The entries a credit note's history wrote, from the note as it is now (rebuild-ledger), dated
    by its issue; `refunds`: the payments' refunds, which date the parts of an overpayment credit
    given back after its issue. A note of credit issued then voided nets nothing and is left out;
    an overpayment credit voided is the payment's money taken back from the customer, dated by its
    issue (the documents do not record when it was voided)."""
    if not counted_by_its_payment(note):
        return credit_note_entries(None, note, note.issued_at)
    entries = [_refund_entry(r.refunded_at, note, r.amount_minor)
               for r in refunds if r.credit_note_id == note.credit_note_id]
    if note.status == CreditNoteStatus.VOID:
        entries.append(_entry(note.issued_at, "credit_note_void", note.number, "", note.total_minor, note.currency))
    return entries


def payment_entries(before: Payment | None, after: Payment, now: datetime, *,
                    invoice_numbers: Mapping[str, str] = {}) -> list[LedgerEntry]:
    """`invoice_numbers` names the paid invoices (by id) in the entry's description. A refund adds
    nothing here: its credit note carries it."""
    if after.status != PaymentStatus.SUCCEEDED or (before is not None and before.status == PaymentStatus.SUCCEEDED):
        return []
    paid_for = ", ".join(invoice_numbers.get(a.invoice_id, a.invoice_id) for a in after.allocations)
    details = " ".join(part for part in (after.method_summary, f"for {paid_for}" if paid_for else "") if part)
    return [_entry(after.succeeded_at or now, "payment", after.label, details, -after.amount_minor,
                   after.currency)]


def _refund_entry(at: datetime, note: CreditNote, amount_minor: int) -> LedgerEntry:
    return _entry(at, "refund", note.number, "Credit refunded", amount_minor, note.currency)


def _entry(at: datetime, kind: EntryKind, reference: str, description: str, amount_minor: int,
           currency: str) -> LedgerEntry:
    return LedgerEntry(at=at, kind=kind, reference=reference, description=description,
                       amount=Money(amount_minor, currency))
