"""Document numbers taken with the document (INV-, CN-, EST-, PAY-): a number is used if and only if
a document is recorded with it, so every sequence runs 1..N without gaps (docs/billing.md).

A use case reads each sequence it numbers from (with its other items where it can, else one
consistent GetItem), numbers its documents from the value read (`Numbers.next`), and takes them in
the transaction that records them (`Numbers.take_in`: one update per sequence, on the condition that
it still stands at the value read). A transaction that fails takes none. One that lost a race to
another document of the same sequence raises `NumberTaken` with the sequence's value as it now
stands, and is sent again with the next number: as it is, nothing re-read, where the use case
reads its state once (payments, refunds: `resent`), or prepared again from a fresh read (`retried`)."""
from __future__ import annotations

import functools
import random
import time
from typing import Callable, TypeVar

from ..domain.errors import ConcurrentUpdate

INVOICE_NUMBERS, CREDIT_NOTE_NUMBERS = "invoice_seq", "credit_note_seq"   # INV-000042, CN-000007
ESTIMATE_NUMBERS, PAYMENT_NUMBERS = "estimate_seq", "payment_seq"        # EST-000003, PAY-000012
NUMBER_ATTEMPTS = 20   # prepare again with the next numbers while concurrent documents take them
# A charge already taken is recorded however many races its number loses: sixteen renewals of one
# organization settling at once lost 4 races each on average, and one now and then more than 20
# (bench/drain.py); each race lost is a round trip in which another payment was numbered.
SETTLEMENT_NUMBER_ATTEMPTS = 200
# ...and for as long as this, whichever ends first: well within the API function's 29 s, so the
# customer is answered (the payment, or 409 and reconciliation records it) rather than timed out
SETTLEMENT_NUMBER_SECONDS = 15.0
# The wait before sending again, at random up to this: enough to part contenders that lost together,
# never growing (a loser waiting longer each time would only lose to those that came after it).
JITTER_SECONDS = 0.005

T = TypeVar("T")


class NumberTaken(ConcurrentUpdate):
    """Another document took the number read for this one: the sequence's last number as it now stands."""

    def __init__(self, sequence: str, last: int):
        super().__init__("document")
        self.sequence = sequence
        self.last = last


class Numbers:
    """The numbers one attempt of a use case gives its documents, per sequence: `known` last values
    (read with the use case's other items, or told by a lost race) are not read again. `resent`: the
    caller sends its transaction again as it is when a number was lost, whatever else failed with it
    (which that transaction then meets afresh); otherwise the lost number is told only when nothing
    else failed (a conflict elsewhere stays the caller's 409, as without numbers)."""

    def __init__(self, adapters, org_id: str, known: dict[str, int] | None = None, *, resent: bool = False):
        self._adapters, self._org_id, self._resent = adapters, org_id, resent
        self.last: dict[str, int] = dict(known or {})
        self._given: dict[str, int] = {}

    def next(self, sequence: str) -> int:
        """The next number of `sequence` for a document of this attempt (not yet taken)."""
        if sequence not in self.last:
            self.last[sequence] = self._adapters.uow.sequences.last_number(self._org_id, sequence)
        self._given[sequence] = self._given.get(sequence, 0) + 1
        return self.last[sequence] + self._given[sequence]

    def take_in(self, tx) -> None:
        """Take every number given, in the transaction recording their documents: one update per
        sequence (a transaction may not touch an item twice), on the value read."""
        for sequence, count in self._given.items():
            self._adapters.uow.sequences.take_in(tx, self._org_id, sequence, last=self.last[sequence], count=count,
                                                 taken=functools.partial(NumberTaken, sequence), resent=self._resent)

    def after(self, taken: NumberTaken) -> dict[str, int]:
        """The last values the next attempt starts from: as read, and the one the lost race told."""
        return {**self.last, taken.sequence: taken.last}


def wait_after_lost() -> None:
    """Wait a random moment (JITTER_SECONDS at most) before sending again what lost a number race."""
    time.sleep(random.uniform(0, JITTER_SECONDS))


class NumberRaces:
    """How long a use case keeps trying again after lost number races: `attempts` races, or `seconds`
    (where given), whichever ends first, a moment's random wait before each next attempt. Every use
    case that numbers a document tries again by this one rule."""

    def __init__(self, attempts: int = NUMBER_ATTEMPTS, seconds: float | None = None) -> None:
        self.lost, self._attempts, self._seconds, self._started = 0, attempts, seconds, time.monotonic()

    def lost_one(self) -> bool:
        """Count a race lost; True, after a moment's wait, if another attempt follows."""
        self.lost += 1
        if self.lost >= self._attempts or (
                self._seconds is not None and time.monotonic() - self._started >= self._seconds):
            return False
        wait_after_lost()
        return True


def settlement_races() -> NumberRaces:
    """A settlement of a charge already taken: SETTLEMENT_NUMBER_ATTEMPTS races or SETTLEMENT_NUMBER_SECONDS."""
    return NumberRaces(SETTLEMENT_NUMBER_ATTEMPTS, SETTLEMENT_NUMBER_SECONDS)


def retried(use_case: Callable[..., T]) -> Callable[..., T]:
    """Run `use_case` again, from the start, each time its transaction loses a number to another
    document (it wrote nothing): up to NUMBER_ATTEMPTS times, then 409."""
    @functools.wraps(use_case)
    def numbered(*args, **kwargs) -> T:
        races = NumberRaces()
        while True:
            try:
                return use_case(*args, **kwargs)
            except NumberTaken:
                if not races.lost_one():
                    break
        raise ConcurrentUpdate("document")
    return numbered
