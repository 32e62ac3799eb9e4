"""Statement of accounts: what the customer owed at the start of a period, every transaction
in it with the running balance, and what they owe at the end.

opening + invoiced - paid - credited + refunded = closing, exactly, in minor units.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Literal, Mapping

from .calendar import DEFAULT_TIME_ZONE, local_date, require_utc
from .money import Money

EntryKind = Literal["invoice", "payment", "credit_note", "refund", "void", "credit_note_void"]

# The sign each kind of entry has on what the customer owes: +1 raises it, -1 lowers it.
_DIRECTION: dict[str, int] = {"invoice": 1, "payment": -1, "credit_note": -1, "refund": 1, "void": -1,
                              "credit_note_void": 1}


@dataclass(frozen=True)
class LedgerEntry:
    """One transaction, with `amount` its signed effect on what the customer owes: an invoice
    raises it, a payment or credit note lowers it, a refund (money given back) raises it, the
    void of an invoice lowers it and the void of a credit note raises it again."""

    at: datetime
    kind: EntryKind
    reference: str
    description: str
    amount: Money

    def __post_init__(self):
        require_utc(self.at, "at")
        if self.kind not in _DIRECTION:
            raise ValueError(f"ledger entry kind must be one of {', '.join(_DIRECTION)}, got {self.kind!r}")
        if self.amount.amount_minor * _DIRECTION[self.kind] < 0:
            raise ValueError(f"a {self.kind} entry ({self.reference}) has the wrong sign: {self.amount.format()}")


@dataclass(frozen=True)
class StatementRow:
    at: datetime
    on: date          # the day of `at` in the organization's time zone
    kind: EntryKind
    reference: str
    description: str
    amount: Money
    balance: Money  # what the customer owes after this row


@dataclass(frozen=True)
class Statement:
    currency: str
    period_start: date
    period_end: date
    opening_balance: Money
    rows: list[StatementRow]
    invoiced: Money  # invoices less voids
    paid: Money
    credited: Money  # credit notes less voids
    refunded: Money
    closing_balance: Money


def month_to_date(today: date) -> tuple[date, date]:
    """The default statement range: the first of this month to today."""
    return today.replace(day=1), today


def _sum(entries: Iterable[LedgerEntry], currency: str) -> Money:
    """The entries' amounts, all in `currency` (`statements_of` gives `_statement` one currency's
    entries), added as whole minor units: a year's spending adds each entry a dozen times."""
    total = 0
    for entry in entries:
        if entry.amount.currency != currency:
            raise ValueError(f"cannot combine {currency} with {entry.amount.currency}")
        total += entry.amount.amount_minor
    return Money(total, currency)


def _statement(currency: str, entries: list[tuple[date, LedgerEntry]], start: date, end: date,
               carried: Money | None = None) -> Statement:
    opening = _sum((entry for day, entry in entries if day < start), currency) + (carried or Money.zero(currency))
    in_period = sorted(((day, entry) for day, entry in entries if start <= day <= end),
                       key=lambda dated_entry: dated_entry[1].at)  # sorted() is stable: equal times keep their order

    rows, balance = [], opening
    for day, entry in in_period:
        balance += entry.amount
        rows.append(StatementRow(at=entry.at, on=day, kind=entry.kind, reference=entry.reference,
                                 description=entry.description, amount=entry.amount, balance=balance))

    def of(*kinds: str) -> Money:
        return _sum((entry for _, entry in in_period if entry.kind in kinds), currency)

    invoiced, paid, refunded = of("invoice", "void"), -of("payment"), of("refund")
    credited = -of("credit_note", "credit_note_void")
    closing = opening + invoiced - paid - credited + refunded
    if closing != balance:  # not `assert`: it must hold even under python -O
        raise AssertionError(f"statement does not add up: {closing.format()} != {balance.format()}")
    return Statement(currency=currency, period_start=start, period_end=end, opening_balance=opening,
                     rows=rows, invoiced=invoiced, paid=paid, credited=credited, refunded=refunded,
                     closing_balance=closing)


def build_statements(entries: Iterable[LedgerEntry], start: date, end: date,
                     default_currency: str | None = None, *, time_zone: str = DEFAULT_TIME_ZONE) -> list[Statement]:
    """One statement per currency with entries up to `end`, for the days `start`..`end`
    inclusive of `time_zone` (the organization's). With no such entries, one empty statement in
    `default_currency` if given."""
    return statements_of(dated(entries, time_zone), start, end, default_currency)


@dataclass(frozen=True)
class Balance:
    """What all of a customer's entries in one currency add up to, and how many there are (kept
    with the ledger as entries are written)."""
    total_minor: int
    entries: int


@dataclass(frozen=True)
class LedgerSince:
    """A customer's entries dated from an instant on (oldest first), and the balances of all of them,
    which are trusted where they count every entry (the customer's marker)."""
    entries: list[LedgerEntry]
    balances: dict[str, Balance]
    counts_every_entry: bool


def balances_of(entries: Iterable[LedgerEntry]) -> dict[str, Balance]:
    """What `entries` add up to in each currency, and how many there are."""
    balances: dict[str, Balance] = {}
    for entry in entries:
        held = balances.get(entry.amount.currency, Balance(0, 0))
        balances[entry.amount.currency] = Balance(held.total_minor + entry.amount.amount_minor, held.entries + 1)
    return balances


def statements_since(entries_since: Iterable[LedgerEntry], balances: Mapping[str, Balance], start: date, end: date,
                     default_currency: str | None = None, *,
                     time_zone: str = DEFAULT_TIME_ZONE) -> list[Statement] | None:
    """`build_statements` from the entries dated from the first instant of `start` on (in
    `time_zone`) and the `balances` of all the customer's entries, without the entries before
    `start`: in each currency they add up to its balance less what the entries since add up to.
    None where the two disagree (more entries since than in all, or none before yet a sum): the
    balances do not count every entry, and the statement must be made from the entries."""
    entries_since = list(entries_since)
    carried: dict[str, Money] = {}
    for currency, balance in balances.items():
        since = [entry for entry in entries_since if entry.amount.currency == currency]
        before, owed_before = balance.entries - len(since), balance.total_minor - _sum(since, currency).amount_minor
        if before < 0 or (before == 0 and owed_before != 0):
            return None
        if before:
            carried[currency] = Money(owed_before, currency)
    if any(entry.amount.currency not in balances for entry in entries_since):
        return None
    return statements_of(dated(entries_since, time_zone), start, end, default_currency, carried)


def dated(entries: Iterable[LedgerEntry], time_zone: str) -> list[tuple[date, LedgerEntry]]:
    """Each entry with its day on the wall clock of `time_zone`, worked out once (a year's spending
    builds twelve months' statements of the same entries)."""
    return [(local_date(entry.at, time_zone), entry) for entry in entries]


def statements_of(entries: list[tuple[date, LedgerEntry]], start: date, end: date,
                  default_currency: str | None = None, carried: Mapping[str, Money] | None = None) -> list[Statement]:
    """`build_statements` of entries already `dated`; `carried`: per currency, what entries before
    `start` not among `entries` add up to (a currency there has entries before the period)."""
    if start > end:
        raise ValueError(f"statement range starts ({start}) after it ends ({end})")
    carried = carried or {}
    by_currency: dict[str, list[tuple[date, LedgerEntry]]] = {currency: [] for currency in carried}
    for day, entry in entries:
        if day <= end:
            by_currency.setdefault(entry.amount.currency, []).append((day, entry))
    if not by_currency and default_currency is not None:
        by_currency[default_currency] = []
    return [_statement(currency, by_currency[currency], start, end, carried.get(currency))
            for currency in sorted(by_currency)]

