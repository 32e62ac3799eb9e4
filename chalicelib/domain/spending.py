"""Spending history: per currency and per calendar month of the organization's time zone, what
was invoiced and what was paid (and credited and refunded), each month being exactly that month's
statement of accounts (`statement.build_statements`), so the chart never disagrees with it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from .money import Money
from .statement import LedgerEntry, Statement, dated, statements_of

LONGEST_HISTORY_MONTHS = 36


@dataclass(frozen=True)
class MonthSpending:
    month: str            # "2026-11"
    start: date
    end: date             # the month's last day, or today for this month
    invoiced: Money       # invoices less voids
    paid: Money
    credited: Money       # credit notes less voids
    refunded: Money


@dataclass(frozen=True)
class CurrencySpending:
    currency: str
    months: list[MonthSpending]   # oldest first, one per month, months without transactions at zero


def months_back(today: date, months: int) -> list[tuple[date, date]]:
    """The last `months` calendar months up to today's, oldest first: (first day, last day or today)."""
    if not 1 <= months <= LONGEST_HISTORY_MONTHS:
        raise ValueError(f"months must be between 1 and {LONGEST_HISTORY_MONTHS}, got {months}")
    spans, first = [], today.replace(day=1)
    for _ in range(months):
        last = min(_next_month(first) - timedelta(days=1), today)
        spans.append((first, last))
        first = (first - timedelta(days=1)).replace(day=1)
    return spans[::-1]


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def spending_history(entries: Iterable[LedgerEntry], *, today: date, months: int, time_zone: str,
                     default_currency: str) -> list[CurrencySpending]:
    """Per currency with a transaction in the months asked (alphabetical), every month's figures,
    a month without transactions at zero; with none at all, `default_currency` at zero."""
    entries, spans = dated(entries, time_zone), months_back(today, months)
    moved: dict[str, dict[str, MonthSpending]] = {}
    for start, end in spans:
        for statement in statements_of(entries, start, end):
            month = _month(statement)
            if _moved(month):
                moved.setdefault(statement.currency, {})[month.month] = month
    return [CurrencySpending(currency, [moved.get(currency, {}).get(_key(start)) or _nothing(currency, start, end)
                                        for start, end in spans])
            for currency in sorted(moved) or [default_currency]]


def _key(first: date) -> str:
    return first.strftime("%Y-%m")


def _month(statement: Statement) -> MonthSpending:
    return MonthSpending(_key(statement.period_start), statement.period_start, statement.period_end,
                         statement.invoiced, statement.paid, statement.credited, statement.refunded)


def _nothing(currency: str, start: date, end: date) -> MonthSpending:
    zero = Money.zero(currency)
    return MonthSpending(_key(start), start, end, zero, zero, zero, zero)


def _moved(month: MonthSpending) -> bool:
    return not all(money.is_zero for money in (month.invoiced, month.paid, month.credited, month.refunded))
