"""The per-customer account summary behind the dashboard, and how changes to invoices, credit
notes, estimates and timesheets move it.

A change is a set of commutative deltas (and the credit notes it opens or closes), so changes made
by concurrent transactions add up whatever their order; the tables keep it with ADD actions."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # the documents module is loaded by what changes a summary, not by reading one
    from .documents import CreditNote
    from .payments import PaymentMethod


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
    # the saved payment methods, oldest first, as the summary mirrors them; None: not mirrored (yet),
    # read them from their table (tables/account_summaries.py)
    payment_methods: tuple[PaymentMethod, ...] | None = None
    # the mirror's version as read with it: what a write of the mirror is conditional on (a stamp of
    # the read, not something the summary says, so two summaries saying the same are equal)
    methods_version: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SummaryChange:
    outstanding_count: int = 0
    outstanding_minor: int = 0
    credits_minor: int = 0
    pending_estimates: int = 0
    pending_timesheets: int = 0
    credit_notes_opened: frozenset[str] = field(default=frozenset())   # now open with a balance
    credit_notes_closed: frozenset[str] = field(default=frozenset())   # were, and no longer are
    credit_notes_reopened: frozenset[str] = field(default=frozenset())   # of those opened, the ones open before

    def __add__(self, other: "SummaryChange") -> "SummaryChange":
        opened = self.credit_notes_opened | other.credit_notes_opened
        closed = self.credit_notes_closed | other.credit_notes_closed
        both = opened & closed   # issued and used up within one transaction: never listed
        return SummaryChange(*(a + b for a, b in zip(self._counts(), other._counts())),
                             credit_notes_opened=opened - both, credit_notes_closed=closed - both,
                             credit_notes_reopened=(self.credit_notes_reopened | other.credit_notes_reopened) - both)

    def _counts(self):
        return (self.outstanding_count, self.outstanding_minor, self.credits_minor,
                self.pending_estimates, self.pending_timesheets)

    @property
    def is_empty(self) -> bool:
        return not any(self._counts()) and not self.credit_notes_opened and not self.credit_notes_closed


def credit_note_moved(before: CreditNote | None, after: CreditNote) -> SummaryChange:
    """The change to the list of open credit notes when a note goes from `before` (None: issued
    now) to `after`. Only the list: the caller accounts for the amounts in `credits_minor`."""
    was, is_now = before is not None and is_open_credit(before), is_open_credit(after)
    if is_now and not was:
        note = frozenset({after.credit_note_id})
        return SummaryChange(credit_notes_opened=note, credit_notes_reopened=note if before is not None else frozenset())
    if was and not is_now:
        return SummaryChange(credit_notes_closed=frozenset({after.credit_note_id}))
    return SummaryChange()


def is_open_credit(note: CreditNote) -> bool:
    """A credit note is listed among the customer's open credits while it is open with a balance left."""
    from .documents import CreditNoteStatus
    return note.status == CreditNoteStatus.OPEN and note.balance_minor > 0
