"""Undoing an immediate cancellation or downgrade: whether it can still be undone, and what undoing
means, as if it had not happened.

The action leaves an `UndoRecord` on the subscription (the subscription as it was, the version the
action wrote, the documents it issued and what it left on them) for the merchant's window. Undoing
restores that subscription and voids what the action issued: its invoice is voided and the credits
applied to it go back to their credit notes, its credit note is voided, the coupon it redeemed is
given back. Only while nothing since depends on it: the subscription is still the version the
action wrote, its invoice has no payment, its credit note was neither used elsewhere nor refunded.
Undone once; asked again, the answer is the subscription as the undo left it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from . import billing
from .account_summary import SummaryChange, credit_note_moved
from .documents import CreditNote, CreditNoteStatus, Invoice, InvoiceStatus
from .errors import Conflict
from .settling import credit_given_back
from .subscription import Subscription, UndoRecord

class UndoRefused(Conflict):
    """409, with the reason as the error's code (`undo_window_closed`, `payment_made` ...)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message, {"reason": reason})
        self.code = reason


REASONS = {
    "nothing_to_undo": "There is no cancellation or change of this subscription to undo.",
    "already_undone": "This was undone already, and the subscription has changed since.",
    "undo_window_closed": "The time to undo this has passed.",
    "subscription_changed": "The subscription has changed since, so this can no longer be undone.",
    "payment_made": "A payment was made towards the invoice this raised, so it can no longer be undone.",
    "payment_in_progress": "A payment of the invoice this raised is in progress, so it cannot be undone now.",
    "refund_made": "The credit this issued was refunded, so it can no longer be undone.",
    "credit_used": "The credit this issued was used for another invoice, so it can no longer be undone.",
    "documents_changed": "The invoice or credit note this raised has changed since, so it can no longer be undone.",
}


# refused for what was read of the documents: the subscription may have moved on while they were read
DOCUMENT_REASONS = frozenset({"payment_made", "payment_in_progress", "refund_made", "credit_used",
                              "documents_changed"})


def refused(reason: str) -> UndoRefused:
    return UndoRefused(reason, REASONS[reason])


# --- recording what may be undone --------------------------------------------------------------

def is_downgrade(before: Subscription, after: Subscription) -> bool:
    """A change to a lower price per term of the same billing period (a cheaper plan, fewer or
    cheaper addons, a larger discount). A change to another billing period starts a new term and
    is not compared."""
    if not after.plan.bills_like(before.plan):
        return False
    return (billing.amount_per_term(after, after.term_start).amount_minor
            < billing.amount_per_term(before, before.term_start).amount_minor)


def undoable(action: str, before: Subscription, after: Subscription) -> bool:
    """An immediate cancellation, or an immediate change that is a downgrade."""
    return action == "cancel_now" or (action == "change_now" and is_downgrade(before, after))


def opened(action: str, before: Subscription, after: Subscription, now: datetime, minutes: int, *, version: int,
           invoice: Invoice | None = None, credit_note: CreditNote | None = None,
           redeemed: tuple[str, ...] = ()) -> Subscription:
    """`after` with the record of what undoing `action` would restore and void (`version`: the one the
    action's write gives the subscription), or with no record where it cannot be undone (the merchant's
    window is 0, or it is not an immediate cancellation or downgrade). Any earlier record is gone:
    only the last action may be undone."""
    if minutes <= 0 or not undoable(action, before, after):
        return replace(after, undo=None)
    record = UndoRecord(action=action, taken_at=now, until=now + timedelta(minutes=minutes),
                        prior=replace(before, undo=None), version=version,
                        invoice_id=invoice.invoice_id if invoice else None,
                        credit_note_id=credit_note.credit_note_id if credit_note else None,
                        credit_note_balance_minor=credit_note.balance_minor if credit_note else 0,
                        credits_applied=invoice.credits_applied if invoice else (), redeemed=redeemed)
    return replace(after, undo=record)


def open_until(sub: Subscription, now: datetime) -> datetime | None:
    """Until when the subscription's last action may be undone (None: it may not be now). The
    documents are not read here: undoing may still be refused for what happened to them."""
    record = sub.undo
    if record is None or record.undone_at is not None or record.version != sub.version or now >= record.until:
        return None
    return record.until


# --- may it be undone? -------------------------------------------------------------------------

def refusal(sub: Subscription, now: datetime, invoice: Invoice | None, credit_note: CreditNote | None,
            *, invoice_claimed: bool = False, unpaid: Invoice | None = None) -> str | None:
    """Why the subscription's last action cannot be undone now (None: it can), given its documents as
    they are now (`invoice_claimed`: a payment of its invoice, or of `unpaid`, is with the gateway).
    `unpaid`: the invoice whose charge the subscription was retrying before a cancellation, as it is
    now: paid since, the retries it would restore have nothing left to do."""
    record = sub.undo
    if record is None:
        return "nothing_to_undo"
    if record.undone_at is not None:
        return None if record.version == sub.version else "already_undone"
    if now >= record.until:
        return "undo_window_closed"
    if record.version != sub.version:
        return "subscription_changed"
    if record.invoice_id is not None:
        if invoice is None or invoice.status == InvoiceStatus.VOID or invoice.credits_applied != record.credits_applied:
            return "documents_changed"
        if invoice.amount_paid_minor:
            return "payment_made"
        if invoice_claimed:
            return "payment_in_progress"
    if record.prior.unpaid_invoice_id is not None and unpaid is not None:
        if unpaid.paid_at is not None and unpaid.paid_at >= record.taken_at:
            return "payment_made"
        if invoice_claimed and invoice is None:
            return "payment_in_progress"
    if record.credit_note_id is not None:
        if credit_note is None or credit_note.status == CreditNoteStatus.VOID:
            return "documents_changed"
        if credit_note.refunded_minor:
            return "refund_made"
        if credit_note.balance_minor != record.credit_note_balance_minor:
            return "credit_used"
    return None


# --- what undoing writes -----------------------------------------------------------------------

@dataclass(frozen=True)
class Undoing:
    """The writes of an undo: the subscription restored (on the version read), each document as read
    and as it becomes, the coupons whose redemption is given back, and the account summary's change."""
    subscription: Subscription
    documents: tuple[tuple[Invoice | CreditNote, Invoice | CreditNote], ...]
    redeemed: tuple[str, ...]
    summary: SummaryChange


def undone(sub: Subscription, now: datetime, *, version: int, invoice: Invoice | None = None,
           credit_note: CreditNote | None = None, earlier_notes: dict[str, CreditNote] | None = None) -> Undoing:
    """Undo the subscription's last action (its `refusal` is None and it is not undone yet):
    `prior` again, on the version read, keeping the used record (`version`: the one the undo's write
    gives it); the invoice voided with the credits applied to it given back (to `earlier_notes`, the
    other credit notes it used, and to its own credit note), that credit note voided."""
    record = sub.undo
    used = replace(record, undone_at=now, version=version)
    # the attempts made since are not taken back: their keys stay used (charge_attempts.py)
    restored = replace(record.prior, version=sub.version, undo=used, charge_attempts=sub.charge_attempts)
    writes: list[tuple] = []
    change = SummaryChange()
    notes = dict(earlier_notes or {})
    if credit_note is not None:
        notes[credit_note.credit_note_id] = credit_note
    given_back: dict[str, CreditNote] = {}
    if invoice is not None:
        if invoice.is_outstanding():
            change += SummaryChange(outstanding_count=-1, outstanding_minor=-invoice.balance_minor)
        for applied in invoice.credits_applied:
            note = given_back.get(applied.credit_note_id, notes[applied.credit_note_id])
            given_back[applied.credit_note_id] = credit_given_back(note, applied.amount_minor)
            change += SummaryChange(credits_minor=applied.amount_minor)
        writes.append((invoice, replace(invoice, status=InvoiceStatus.VOID, voided_at=now)))
    for note_id, restored_note in given_back.items():
        if credit_note is None or note_id != credit_note.credit_note_id:
            writes.append((notes[note_id], restored_note))
            change += credit_note_moved(notes[note_id], restored_note)
    if credit_note is not None:
        full = given_back.get(credit_note.credit_note_id, credit_note)
        voided = replace(full, status=CreditNoteStatus.VOID, balance_minor=0)
        writes.append((credit_note, voided))
        change += SummaryChange(credits_minor=-full.balance_minor) + credit_note_moved(credit_note, voided)
    return Undoing(restored, tuple(writes), record.redeemed, change)



def minutes_left(sub: Subscription, now: datetime) -> int | None:
    """Whole minutes, rounded up, that the undo stays open at `now` (None: it is not open)."""
    until = open_until(sub, now)
    return None if until is None else -(-int((until - now).total_seconds()) // 60)
