"""Applying a customer's available credits (open credit-note balances) to an amount due."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from .calendar import require_utc
from .money import Money


@dataclass(frozen=True)
class AvailableCredit:
    credit_note_id: str
    balance: Money
    issued_at: datetime

    def __post_init__(self):
        require_utc(self.issued_at, "issued_at")
        if self.balance.amount_minor < 0:
            raise ValueError(f"credit note {self.credit_note_id} has a negative balance")


def allocate_credits(amount_due: Money, credits: Sequence[AvailableCredit]) -> list[tuple[str, Money]]:
    """How much of each credit note to apply to `amount_due`: oldest first, never more than is
    due nor than a note's balance. Notes in another currency are left alone."""
    allocations: list[tuple[str, Money]] = []
    still_due = amount_due
    usable = [credit for credit in credits if credit.balance.currency == amount_due.currency]
    for credit in sorted(usable, key=lambda credit: credit.issued_at):
        if still_due.amount_minor <= 0:
            break
        applied = credit.balance.min(still_due)
        if applied.amount_minor > 0:
            allocations.append((credit.credit_note_id, applied))
            still_due -= applied
    return allocations
