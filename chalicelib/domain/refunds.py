"""Refunds are documents: money given back from a payment is recorded against the payment and
documented for the customer by a credit note "Refund of payment ...", refunded at once; money the
payment overpaid is kept as its overpayment credit (domain/overpayments.py), so that is given back
first: by refunding that credit (one document), and only the rest by a refund note.

The note is issued closed (balance 0, refunded_minor = its total), linked to the payment and to
the invoice the payment paid (when it paid one). Its ledger entries, a credit (-X) and a refund
(+X), net to nothing: the invoices stay paid, nothing reopens, no credit becomes available, and
statement closing == open invoices - available credits == dashboard before and after.

Refunded amounts arrive as totals (Stripe's `amount_refunded`; the merchant's refund adds its
amount to the total it started from): only the increase over what the payment already records is
documented, so a late, repeated or out-of-order report never counts twice, and a refund never
exceeds what was paid.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from .documents import CreditNote, CreditNoteKind, CreditNoteStatus, DocumentLine
from .errors import BusinessRuleViolation, Conflict
from .money import Money
from .overpayments import credit_to_give_back, give_back
from .payments import Payment, PaymentStatus, Refund


class PaymentNotRefundable(Conflict):
    code = "payment_not_refundable"

    def __init__(self, payment: Payment, why: str = ""):
        super().__init__(why or f"Only a payment that succeeded can be refunded; this one is {payment.status.value}.",
                         {"status": payment.status.value})


def refundable_minor(payment: Payment) -> int:
    """What is left to give back: what was paid less what was refunded already."""
    if payment.status != PaymentStatus.SUCCEEDED:
        return 0
    return payment.amount_minor - payment.refunded_minor


def amount_to_refund(payment: Payment, wanted_minor: int | None) -> int:
    """The amount a merchant's refund of `payment` gives back (all that is left when not said), or
    why it cannot: the payment did not succeed (409), nothing is left, or more than is left (422)."""
    if payment.status != PaymentStatus.SUCCEEDED:
        raise PaymentNotRefundable(payment)
    left = refundable_minor(payment)
    if left <= 0:
        raise BusinessRuleViolation("Nothing of this payment is left to refund.", "payment_fully_refunded",
                                    {"refundable_minor": 0})
    amount = left if wanted_minor is None else wanted_minor
    if amount <= 0:
        raise BusinessRuleViolation("A refund gives back a positive amount.", "refund_not_positive")
    if amount > left:
        left_money = Money(left, payment.currency)
        raise BusinessRuleViolation(f"At most {left_money.currency} {left_money.format()} of this payment "
                                    "can be refunded.", "refund_exceeds_payment", {"refundable_minor": left})
    return amount


def refund_increase(payment: Payment, refunded_total_minor: int) -> int:
    """What a reported refunded total adds to what the payment records (0: nothing new). The total
    is capped at what was paid."""
    return max(min(refunded_total_minor, payment.amount_minor) - payment.refunded_minor, 0)


@dataclass(frozen=True)
class DocumentedRefund:
    payment: Payment                     # with the refund recorded
    credit_note: CreditNote | None       # the refund note of what the overpayment credit did not cover
    overpayment: CreditNote | None = None   # the payment's overpayment credit, given back from


def document_refund(payment: Payment, amount_minor: int, *, now: datetime, overpayment: CreditNote | None = None,
                    credit_note_id: str | None = None, number: str | None = None,
                    reason: str = "") -> DocumentedRefund:
    """Record `amount_minor` more as refunded from `payment`, at `now`: first from its open
    overpayment credit `overpayment` (its refunded amount raised, its balance lowered), the rest
    documented by the refund credit note `number`, issued and refunded at `now` (needed only when
    there is a rest: `refund_note_needed`)."""
    if not 0 < amount_minor <= payment.amount_minor - payment.refunded_minor:
        raise ValueError(f"cannot refund {amount_minor} of payment {payment.payment_id}: "
                         f"{payment.refunded_minor} of {payment.amount_minor} is refunded already")
    from_credit = credit_to_give_back(_overpayment_of(payment, overpayment), amount_minor)
    refunds, credit, note = list(payment.refunds), None, None
    if from_credit:
        credit = give_back(overpayment, from_credit)
        refunds.append(Refund(credit.credit_note_id, credit.number, from_credit, now))
    rest = amount_minor - from_credit
    if rest:
        if credit_note_id is None or number is None:
            raise ValueError(f"refunding {rest} of payment {payment.payment_id} needs a refund note")
        note = _refund_note(payment, rest, credit_note_id=credit_note_id, number=number, now=now, reason=reason)
        refunds.append(Refund(credit_note_id, number, rest, now))
    refunded = replace(payment, refunded_minor=payment.refunded_minor + amount_minor, refunds=tuple(refunds))
    return DocumentedRefund(refunded, note, credit)


def refund_note_needed(payment: Payment, amount_minor: int, overpayment: CreditNote | None) -> bool:
    """Whether refunding `amount_minor` of `payment` gives back more than its overpayment credit."""
    return credit_to_give_back(_overpayment_of(payment, overpayment), amount_minor) < amount_minor


def _overpayment_of(payment: Payment, note: CreditNote | None) -> CreditNote | None:
    """`note` if it is the payment's own overpayment credit."""
    if note is None or payment.overpayment_credit_note_id != note.credit_note_id:
        return None
    return note


def _refund_note(payment: Payment, amount_minor: int, *, credit_note_id: str, number: str, now: datetime,
                 reason: str) -> CreditNote:
    # the payment is named, not dated: the note is dated itself, and days are the organization's
    title = f"Refund of payment {payment.label}"
    if payment.method_summary:
        title += f" ({payment.method_summary})"
    line = DocumentLine(title, amount_minor, unit_price_minor=amount_minor, kind="credit")
    paid = {a.invoice_id for a in payment.allocations}
    return CreditNote(credit_note_id=credit_note_id, customer_id=payment.customer_id, number=number,
                      currency=payment.currency, status=CreditNoteStatus.CLOSED, issued_at=now, lines=(line,),
                      total_minor=amount_minor, balance_minor=0,
                      reason=f"Refund of payment {payment.label}" + (f": {reason}" if reason else ""),
                      invoice_id=next(iter(paid)) if len(paid) == 1 else None, refunded_minor=amount_minor,
                      payment_id=payment.payment_id, kind=CreditNoteKind.REFUND)
