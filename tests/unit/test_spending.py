"""Spending history is each month's statement, per currency, months of the organization's time zone."""
from datetime import date, datetime, timezone

import pytest

from chalicelib.domain.money import Money
from chalicelib.domain.spending import months_back, spending_history
from chalicelib.domain.statement import LedgerEntry, build_statements

UTC = timezone.utc


def entry(kind, minor, at, currency="USD"):
    return LedgerEntry(at=at, kind=kind, reference=f"{kind}-{minor}", description="", amount=Money(minor, currency))


def at(month, day, hour=12, year=2026):
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_the_last_months_end_with_this_one_so_far_and_cross_the_year():
    assert months_back(date(2026, 2, 14), 3) == [(date(2025, 12, 1), date(2025, 12, 31)),
                                                 (date(2026, 1, 1), date(2026, 1, 31)),
                                                 (date(2026, 2, 1), date(2026, 2, 14))]
    with pytest.raises(ValueError):
        months_back(date(2026, 2, 14), 0)


def test_each_month_is_that_months_statement_per_currency_with_quiet_months_at_zero():
    # Given USD invoices and payments over three months and one EUR invoice, and an old USD invoice
    entries = [entry("invoice", 99_900, at(6, 1)),
               entry("invoice", 10_000, at(9, 3)), entry("payment", -10_000, at(9, 20)),
               entry("invoice", 12_000, at(11, 3)), entry("void", -2_000, at(11, 4)),
               entry("payment", -4_000, at(11, 5)), entry("refund", 1_000, at(11, 6)),
               entry("credit_note", -500, at(11, 7)),
               entry("invoice", 700, at(10, 2), "EUR")]
    # When the last three months are asked on 25 November
    history = spending_history(entries, today=date(2026, 11, 25), months=3, time_zone="UTC",
                               default_currency="USD")
    # Then each currency has every month, and each month is what its statement says
    assert [c.currency for c in history] == ["EUR", "USD"]
    eur, usd = history
    assert [m.month for m in usd.months] == ["2026-09", "2026-10", "2026-11"]
    assert [(m.invoiced.amount_minor, m.paid.amount_minor) for m in usd.months] == [(10_000, 10_000), (0, 0),
                                                                                   (10_000, 4_000)]
    assert [m.invoiced.amount_minor for m in eur.months] == [0, 700, 0]
    [november] = build_statements(entries, date(2026, 11, 1), date(2026, 11, 25), time_zone="UTC")[1:]
    assert (usd.months[-1].credited, usd.months[-1].refunded) == (november.credited, november.refunded)
    assert usd.months[-1].end == date(2026, 11, 25)


def test_months_are_the_organizations_time_zone():
    # An invoice at 23:30 UTC on 31 October is on 1 November in Berlin
    entries = [entry("invoice", 5_000, datetime(2026, 10, 31, 23, 30, tzinfo=UTC))]
    [usd] = spending_history(entries, today=date(2026, 11, 25), months=2, time_zone="Europe/Berlin",
                             default_currency="USD")
    assert [(m.month, m.invoiced.amount_minor) for m in usd.months] == [("2026-10", 0), ("2026-11", 5_000)]


def test_without_transactions_the_organizations_currency_is_at_zero():
    [only] = spending_history([entry("invoice", 100, at(1, 5))], today=date(2026, 11, 25), months=2,
                              time_zone="UTC", default_currency="JPY")
    assert only.currency == "JPY" and [m.invoiced.amount_minor for m in only.months] == [0, 0]
