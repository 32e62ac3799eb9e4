from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from chalicelib.domain.money import Money
from chalicelib.domain.calendar import start_of_day
from chalicelib.domain.statement import (Balance, LedgerEntry, balances_of, build_statements, month_to_date,
                                         statements_since)

UTC = timezone.utc
MARCH_1, MARCH_31 = date(2026, 3, 1), date(2026, 3, 31)


def usd(minor):
    return Money(minor, "USD")


def entry(kind, minor, at, reference=None, currency="USD"):
    return LedgerEntry(at=at, kind=kind, reference=reference or f"{kind}-{minor}", description=kind.title(),
                       amount=Money(minor, currency))


def on(month, day, hour=12):
    return datetime(2026, month, day, hour, tzinfo=UTC)


def test_a_month_of_transactions_adds_up_from_opening_to_closing():
    # Given 100.00 owed from February and March's transactions
    entries = [
        entry("invoice", 10_000, on(2, 20)),
        entry("payment", -10_000, on(3, 2)),
        entry("invoice", 5_000, on(3, 5)),
        entry("credit_note", -1_000, on(3, 6)),
        entry("refund", 500, on(3, 7)),
        entry("invoice", 2_000, on(3, 8)),
        entry("void", -2_000, on(3, 9)),
    ]
    # When March's statement is built
    [statement] = build_statements(entries, MARCH_1, MARCH_31)
    # Then 100.00 + (50.00 + 20.00 - 20.00) - 100.00 - 10.00 + 5.00 = 45.00
    assert statement.opening_balance == usd(10_000)
    assert (statement.invoiced, statement.paid, statement.credited, statement.refunded) == \
        (usd(5_000), usd(10_000), usd(1_000), usd(500))
    assert statement.closing_balance == usd(4_500)
    assert [row.balance.amount_minor for row in statement.rows] == [0, 5_000, 4_000, 4_500, 6_500, 4_500]


def test_both_ends_of_the_range_are_included_whole_days():
    entries = [entry("invoice", 100, datetime(2026, 2, 28, 23, 59, tzinfo=UTC), "feb"),
               entry("invoice", 200, datetime(2026, 3, 1, 0, 0, tzinfo=UTC), "first"),
               entry("invoice", 300, datetime(2026, 3, 31, 23, 59, tzinfo=UTC), "last"),
               entry("invoice", 400, datetime(2026, 4, 1, 0, 0, tzinfo=UTC), "april")]
    [statement] = build_statements(entries, MARCH_1, MARCH_31)
    assert [row.reference for row in statement.rows] == ["first", "last"]
    assert (statement.opening_balance, statement.closing_balance) == (usd(100), usd(600))


def test_rows_are_in_time_order_and_equal_times_keep_their_order():
    entries = [entry("invoice", 300, on(3, 9), "later"), entry("invoice", 100, on(3, 5), "a"),
               entry("payment", -100, on(3, 5), "b")]
    [statement] = build_statements(entries, MARCH_1, MARCH_31)
    assert [row.reference for row in statement.rows] == ["a", "b", "later"]


def test_each_currency_gets_its_own_statement():
    entries = [entry("invoice", 100, on(3, 2), currency="USD"), entry("invoice", 70, on(2, 2), currency="EUR")]
    statements = build_statements(entries, MARCH_1, MARCH_31)
    assert [(s.currency, s.opening_balance.amount_minor, len(s.rows)) for s in statements] == \
        [("EUR", 70, 0), ("USD", 0, 1)]


def test_with_no_transactions_there_is_one_empty_statement_in_the_default_currency():
    assert build_statements([], MARCH_1, MARCH_31) == []
    [statement] = build_statements([], MARCH_1, MARCH_31, default_currency="GBP")
    assert statement.rows == [] and statement.closing_balance == Money(0, "GBP")


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        build_statements([], MARCH_31, MARCH_1)


@pytest.mark.parametrize("kind, minor", [("invoice", -1), ("payment", 1), ("credit_note", 1), ("refund", -1),
                                         ("void", 1), ("adjustment", 0)])
def test_entries_with_the_wrong_sign_or_kind_are_refused(kind, minor):
    with pytest.raises(ValueError):
        entry(kind, minor, on(3, 1))


def test_month_to_date_runs_from_the_first_to_today():
    assert month_to_date(date(2026, 3, 17)) == (MARCH_1, date(2026, 3, 17))


# Properties over random ledgers

SIGNS = {"invoice": 1, "payment": -1, "credit_note": -1, "refund": 1, "void": -1}
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)

ledger_entries = st.builds(
    lambda kind, minor, minutes, currency: entry(kind, SIGNS[kind] * minor,
                                                 YEAR_START + timedelta(minutes=minutes), currency=currency),
    st.sampled_from(list(SIGNS)), st.integers(0, 10**7), st.integers(0, 365 * 24 * 60), st.sampled_from(["USD", "JPY"]))
days_of_2026 = st.integers(0, 364).map(lambda n: date(2026, 1, 1) + timedelta(days=n))


@given(entries=st.lists(ledger_entries, max_size=30), a=days_of_2026, b=days_of_2026, c=days_of_2026)
def test_statements_add_up_and_consecutive_ranges_chain(entries, a, b, c):
    a, b, c = sorted((a, b, c))
    for statement in build_statements(entries, a, c):
        assert statement.closing_balance == (statement.opening_balance + statement.invoiced - statement.paid
                                             - statement.credited + statement.refunded)
        if statement.rows:
            assert statement.rows[-1].balance == statement.closing_balance
    if a < b:
        earlier = {s.currency: s for s in build_statements(entries, a, b - timedelta(days=1))}
        for later in build_statements(entries, b, c):
            if later.currency in earlier:
                assert later.opening_balance == earlier[later.currency].closing_balance
            else:  # nothing up to b - 1 day in that currency
                assert later.opening_balance.is_zero


# A statement from the entries since its start and the balances of all entries

@given(entries=st.lists(ledger_entries, max_size=30), a=days_of_2026, b=days_of_2026,
       time_zone=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Pacific/Kiritimati"]))
def test_a_statement_from_the_balances_and_the_entries_since_its_start_is_the_one_from_every_entry(
        entries, a, b, time_zone):
    # Given a customer's entries and what they all add up to, per currency
    start, end = sorted((a, b))
    since = [e for e in entries if e.at >= start_of_day(start, time_zone)]

    # When the statement is made from the entries since its start alone, with those balances
    statements = statements_since(since, balances_of(entries), start, end, "EUR", time_zone=time_zone)

    # Then it is the statement made from every entry
    assert statements == build_statements(entries, start, end, "EUR", time_zone=time_zone)


# Zones whose clocks skip midnight on a day of 2026 (that day begins at 01:00), and those days
MIDNIGHT_SKIPPED = {"America/Santiago": date(2026, 9, 6), "America/Havana": date(2026, 3, 8),
                    "Asia/Beirut": date(2026, 3, 29), "Africa/Cairo": date(2026, 4, 24)}


@st.composite
def ledgers_at_the_edges_of_days(draw):
    """A time zone, a range of days (often one whose midnight is skipped), and entries each at the
    first instant of one of its days there, or a microsecond either side."""
    time_zone = draw(st.sampled_from(sorted(MIDNIGHT_SKIPPED) + ["Europe/Berlin", "Pacific/Kiritimati"]))
    days = st.one_of(days_of_2026, st.just(MIDNIGHT_SKIPPED.get(time_zone, date(2026, 3, 29))))
    start, end = sorted((draw(days), draw(days)))
    edges = st.builds(lambda day, nudge: start_of_day(day, time_zone) + timedelta(microseconds=nudge),
                      st.sampled_from([start - timedelta(days=1), start, end, end + timedelta(days=1)]),
                      st.sampled_from([-1, 0, 1]))
    entries = draw(st.lists(st.builds(
        lambda kind, minor, at, currency: entry(kind, SIGNS[kind] * minor, at, currency=currency),
        st.sampled_from(list(SIGNS)), st.integers(0, 10**5), edges, st.sampled_from(["USD", "JPY"])), max_size=12))
    return time_zone, start, end, entries


@given(ledgers_at_the_edges_of_days(), st.booleans())
def test_entries_at_the_first_instant_of_a_day_fall_on_that_day_from_the_balances_as_from_every_entry(
        ledger, with_an_emptied_balance):
    # Given entries at the edges of the range's days, and balances that may hold a currency whose
    # entries are all gone (the backfill leaves it at nothing)
    time_zone, start, end, entries = ledger
    balances = {**balances_of(entries), **({"GBP": Balance(0, 0)} if with_an_emptied_balance else {})}

    # When the statement is made from the entries since the first instant of its start there
    since = [e for e in entries if e.at >= start_of_day(start, time_zone)]
    statements = statements_since(since, balances, start, end, "EUR", time_zone=time_zone)

    # Then it is the statement made from every entry
    assert statements == build_statements(entries, start, end, "EUR", time_zone=time_zone)


@given(entries=st.lists(ledger_entries, min_size=1, max_size=30), a=days_of_2026, b=days_of_2026,
       left_out=st.integers(0, 29))
def test_balances_missing_an_entry_of_a_currency_with_nothing_before_the_start_are_not_trusted(
        entries, a, b, left_out):
    # Given the entries since a statement's start in one currency, none before it, and balances that
    # miss one of them (written without the balances)
    start, end = sorted((a, b))
    since = [e for e in entries if e.at >= start_of_day(start, "UTC")]
    if not since:
        return
    missed = since[left_out % len(since)]
    entries = [e for e in entries if e.amount.currency != missed.amount.currency or e in since]

    # When the statement is made from them, then they are found out: it is made from every entry
    counted = balances_of([e for e in entries if e is not missed])
    assert statements_since([e for e in since if e in entries], counted, start, end, time_zone="UTC") is None
