"""Document number sequences per organization (INV-000042): the last number given, per name.

Kept apart from the versioned organization item so numbering never contends with settings edits.
A number is taken only within the transaction that records its document (`take_in`), on the value
read, so a failed transaction takes none and no sequence has gaps (docs/billing.md; the use cases'
side: services/numbering.py)."""
from __future__ import annotations

from typing import Callable, Iterable

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from ..domain.errors import DomainError
from .base import table
from .transactions import Transaction


@table("sequences")
class SequenceItem(Model):
    class Meta:
        pass

    sequence_key = UnicodeAttribute(hash_key=True)    # org#name
    value = NumberAttribute(default=0)


def sequence_key(org_id: str, sequence: str) -> str:
    return f"{org_id}#{sequence}"


def last_number_of(item: SequenceItem | None) -> int:
    """The last number a sequence's item has given (0: none yet; also for items read with others)."""
    return 0 if item is None else int(item.value or 0)


def sequence_keys(org_id: str, sequences: Iterable[str]) -> dict[str, str]:
    """The sequences' item keys -> their names: to read them in another read's BatchGetItem."""
    return {sequence_key(org_id, name): name for name in dict.fromkeys(sequences)}


def last_numbers_read(keys: dict[str, str], items: Iterable[SequenceItem]) -> dict[str, int]:
    """The last number of each sequence asked for (`sequence_keys`), from the items read (0: none yet)."""
    last = {name: 0 for name in keys.values()}
    last.update({keys[item.sequence_key]: last_number_of(item) for item in items})
    return last


class Sequences:
    """The organizations' document number sequences."""

    def last_number(self, org_id: str, sequence: str) -> int:
        """The last number the sequence gave, read consistently (0: none yet)."""
        try:
            return last_number_of(SequenceItem.get(sequence_key(org_id, sequence), consistent_read=True))
        except SequenceItem.DoesNotExist:
            return 0

    def take_in(self, tx: Transaction, org_id: str, sequence: str, *, last: int,
                taken: Callable[[int], DomainError], count: int = 1, resent: bool = True) -> int:
        """Take the `count` numbers after `last` (as read) in `tx`, in one update, on the condition
        that the sequence still stands at `last`: they are taken only if `tx` commits, so failed
        transactions leave no gap; answers the first. If that condition fails, `taken(the last number
        as it then stood)` is raised, for the caller to try again with it. With `resent` (the caller
        sends the transaction again, reading nothing), whatever else failed with it: an entry keyed by
        the number, say, which the transaction sent again meets afresh. Without (the caller prepares
        again from a fresh read), only when nothing else failed: otherwise the caller's conflict."""
        value = SequenceItem.value
        unchanged = (value == last) | value.does_not_exist() if last == 0 else value == last
        tx.update_or_refuse(SequenceItem(sequence_key(org_id, sequence)), [value.set(last + count)], unchanged,
                            lambda raw: taken(last_number_of(SequenceItem.from_raw_data(raw) if raw else None)),
                            whatever_else_failed=resent)
        return last + 1
