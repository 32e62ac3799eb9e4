"""The per-customer account summary behind the dashboard.

Changes are ADD actions inside the transaction that changes the underlying items: they commute,
so concurrent transactions never lose each other's updates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from ...domain.documents import CreditNote, CreditNoteStatus
from ..account_summaries import AccountSummaryItem
from ..base import owner_key


@dataclass(frozen=True)
class AccountSummary:
    currency: str
    outstanding_count: int = 0
    outstanding_minor: int = 0
    credits_minor: int = 0
    last_payment_id: str | None = None
    last_payment_minor: int | None = None
    last_payment_at: datetime | None = None
    last_payment_invoice_id: str | None = None
    pending_estimates: int = 0
    pending_timesheets: int = 0
    open_credit_note_ids: frozenset[str] = frozenset()   # the notes behind credits_minor, readable by key


@dataclass(frozen=True)
class SummaryChange:
    outstanding_count: int = 0
    outstanding_minor: int = 0
    credits_minor: int = 0
    pending_estimates: int = 0
    pending_timesheets: int = 0
    credit_notes_opened: frozenset[str] = field(default=frozenset())   # now open with a balance
    credit_notes_closed: frozenset[str] = field(default=frozenset())   # were, and no longer are

    def __add__(self, other: "SummaryChange") -> "SummaryChange":
        opened = self.credit_notes_opened | other.credit_notes_opened
        closed = self.credit_notes_closed | other.credit_notes_closed
        both = opened & closed   # issued and used up within one transaction: never listed
        return SummaryChange(*(a + b for a, b in zip(self._counts(), other._counts())),
                             credit_notes_opened=opened - both, credit_notes_closed=closed - both)

    def _counts(self):
        return (self.outstanding_count, self.outstanding_minor, self.credits_minor,
                self.pending_estimates, self.pending_timesheets)

    @property
    def is_empty(self) -> bool:
        return not any(self._counts()) and not self.credit_notes_opened and not self.credit_notes_closed


def credit_note_moved(before: CreditNote | None, after: CreditNote) -> SummaryChange:
    """The change to the list of open credit notes when a note goes from `before` (None: issued
    now) to `after`. Only the list: the caller accounts for the amounts in `credits_minor`."""
    was, is_now = before is not None and _open(before), _open(after)
    if is_now and not was:
        return SummaryChange(credit_notes_opened=frozenset({after.credit_note_id}))
    if was and not is_now:
        return SummaryChange(credit_notes_closed=frozenset({after.credit_note_id}))
    return SummaryChange()


def _open(note: CreditNote) -> bool:
    return note.status == CreditNoteStatus.OPEN and note.balance_minor > 0


def get(org_id: str, customer_id: str, currency: str) -> AccountSummary:
    try:
        item = AccountSummaryItem.get(owner_key(org_id, customer_id))
    except DoesNotExist:
        return AccountSummary(currency=currency)
    return to_domain(item)


def to_domain(item: AccountSummaryItem) -> AccountSummary:
    return AccountSummary(
        currency=item.currency, outstanding_count=int(item.outstanding_count),
        outstanding_minor=int(item.outstanding_minor), credits_minor=int(item.credits_minor),
        last_payment_id=item.last_payment_id,
        last_payment_minor=None if item.last_payment_minor is None else int(item.last_payment_minor),
        last_payment_at=item.last_payment_at, last_payment_invoice_id=item.last_payment_invoice_id,
        pending_estimates=int(item.pending_estimates), pending_timesheets=int(item.pending_timesheets),
        open_credit_note_ids=frozenset(item.open_credit_note_ids or ()) - frozenset(item.closed_credit_note_ids or ()))


def apply_in(tx: TransactWrite, org_id: str, customer_id: str, currency: str, change: SummaryChange,
             *, last_payment: tuple[str, int, datetime, str | None] | None = None) -> None:
    """Add `change` (and record the last payment) within the caller's transaction."""
    if change.is_empty and last_payment is None:
        return
    S = AccountSummaryItem
    actions = [S.currency.set(S.currency | currency)]
    for name, delta in (("outstanding_count", change.outstanding_count),
                        ("outstanding_minor", change.outstanding_minor),
                        ("credits_minor", change.credits_minor),
                        ("pending_estimates", change.pending_estimates),
                        ("pending_timesheets", change.pending_timesheets)):
        if delta:
            actions.append(getattr(S, name).add(delta))
    actions += _credit_note_list(change)
    if last_payment is not None:
        payment_id, amount_minor, at, invoice_id = last_payment
        actions += [S.last_payment_id.set(payment_id), S.last_payment_minor.set(amount_minor),
                    S.last_payment_at.set(at)]
        actions.append(S.last_payment_invoice_id.set(invoice_id) if invoice_id
                       else S.last_payment_invoice_id.remove())
    tx.update(AccountSummaryItem(owner_key(org_id, customer_id)), actions=actions)


def _credit_note_list(change: SummaryChange) -> list:
    """ADD the opened notes, DELETE the closed ones; both at once would name the same set twice,
    which DynamoDB refuses, so then the closed ones are ADDed to the set that is subtracted."""
    listed, struck = AccountSummaryItem.open_credit_note_ids, AccountSummaryItem.closed_credit_note_ids
    opened, closed = set(change.credit_notes_opened), set(change.credit_notes_closed)
    actions = [listed.add(opened)] if opened else []
    if closed:
        actions.append(struck.add(closed) if opened else AccountSummaryItem.open_credit_note_ids.delete(closed))
    return actions
