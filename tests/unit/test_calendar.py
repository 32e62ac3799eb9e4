from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from chalicelib.domain.calendar import Term, add_interval, term_containing

UTC = timezone.utc


def utc(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


utc_datetimes = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31),
                             timezones=st.just(UTC))
units = st.sampled_from(["week", "month", "year"])
counts = st.integers(min_value=1, max_value=3)


# add_interval

def test_a_month_after_january_31_is_the_last_day_of_february():
    assert add_interval(utc(2026, 1, 31), "month", 1) == utc(2026, 2, 28)
    assert add_interval(utc(2028, 1, 31), "month", 1) == utc(2028, 2, 29)


def test_two_months_after_january_31_is_march_31_not_march_28():
    assert add_interval(utc(2026, 1, 31), "month", 1, periods=2) == utc(2026, 3, 31)
    assert add_interval(utc(2026, 1, 31), "month", 2) == utc(2026, 3, 31)


def test_a_year_after_february_29_is_february_28_and_four_years_after_is_february_29():
    assert add_interval(utc(2028, 2, 29), "year", 1) == utc(2029, 2, 28)
    assert add_interval(utc(2028, 2, 29), "year", 1, periods=4) == utc(2032, 2, 29)


def test_weeks_are_seven_days_and_months_cross_year_ends():
    assert add_interval(utc(2026, 12, 29), "week", 2) == utc(2027, 1, 12)
    assert add_interval(utc(2026, 11, 30), "month", 3) == utc(2027, 2, 28)


def test_the_time_of_day_of_the_anchor_is_kept():
    assert add_interval(utc(2026, 1, 31, 13, 45), "month", 1) == utc(2026, 2, 28, 13, 45)


def test_zero_periods_is_the_anchor_itself():
    assert add_interval(utc(2026, 5, 5), "year", 1, periods=0) == utc(2026, 5, 5)


@pytest.mark.parametrize("anchor", [datetime(2026, 1, 1), datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=2)))])
def test_naive_or_non_utc_datetimes_are_refused(anchor):
    with pytest.raises(ValueError):
        add_interval(anchor, "month", 1)


@pytest.mark.parametrize("unit, count", [("day", 1), ("month", 0), ("month", -1), ("week", True)])
def test_unknown_units_and_non_positive_counts_are_refused(unit, count):
    with pytest.raises(ValueError):
        add_interval(utc(2026, 1, 1), unit, count)


@given(anchor=utc_datetimes, periods=st.integers(min_value=0, max_value=30))
def test_monthly_renewals_land_on_the_anchor_day_or_the_month_end(anchor, periods):
    # Given a monthly series; When we step any number of periods
    renewal = add_interval(anchor, "month", 1, periods)
    # Then the day is the anchor's, clamped to the month, and never drifts
    last_day = (add_interval(renewal.replace(day=1), "month", 1) - timedelta(days=1)).day
    assert renewal.day == min(anchor.day, last_day)
    assert renewal.time() == anchor.time()


# Term

def test_a_january_term_has_31_days():
    assert Term(utc(2026, 1, 1), utc(2026, 2, 1)).days == 31


def test_days_are_counted_by_calendar_date_not_by_hours():
    assert Term(utc(2026, 1, 1, 18), utc(2026, 2, 1, 6)).days == 31


def test_on_january_17_a_january_term_has_used_16_days_and_has_15_left():
    # Given a term of 31 days; When we look at it during Jan 17
    term = Term(utc(2026, 1, 1), utc(2026, 2, 1))
    at = utc(2026, 1, 17, 23, 59)
    # Then Jan 1..16 are used, Jan 17..31 remain
    assert term.days_used(at) == 16
    assert term.days_remaining(at) == 15


def test_days_remaining_are_clamped_to_the_term():
    term = Term(utc(2026, 1, 1), utc(2026, 2, 1))
    assert term.days_remaining(utc(2025, 12, 1)) == 31
    assert term.days_remaining(utc(2026, 3, 1)) == 0
    assert term.days_used(utc(2026, 3, 1)) == 31


def test_a_term_must_span_a_day_and_be_in_utc():
    with pytest.raises(ValueError):
        Term(utc(2026, 1, 1), utc(2026, 1, 1, 12))
    with pytest.raises(ValueError):
        Term(utc(2026, 2, 1), utc(2026, 1, 1))
    with pytest.raises(ValueError):
        Term(datetime(2026, 1, 1), utc(2026, 2, 1))
    with pytest.raises(ValueError):
        Term(utc(2026, 1, 1), utc(2026, 2, 1)).days_remaining(datetime(2026, 1, 5))


# term_containing

def test_the_term_containing_mid_march_of_a_series_anchored_on_january_31():
    assert term_containing(utc(2026, 1, 31), "month", 1, utc(2026, 3, 15)) == Term(utc(2026, 2, 28), utc(2026, 3, 31))


def test_a_moment_on_a_renewal_belongs_to_the_term_it_starts():
    term = term_containing(utc(2026, 1, 1), "month", 1, utc(2026, 2, 1))
    assert term == Term(utc(2026, 2, 1), utc(2026, 3, 1))


def test_the_term_containing_a_moment_in_a_yearly_and_a_fortnightly_series():
    assert term_containing(utc(2028, 2, 29), "year", 1, utc(2030, 1, 1)) == Term(utc(2029, 2, 28), utc(2030, 2, 28))
    assert term_containing(utc(2026, 1, 1), "week", 2, utc(2026, 1, 20)) == Term(utc(2026, 1, 15), utc(2026, 1, 29))


def test_no_term_contains_a_moment_before_the_anchor():
    with pytest.raises(ValueError):
        term_containing(utc(2026, 1, 1), "month", 1, utc(2025, 12, 31))


@given(anchor=utc_datetimes, unit=units, count=counts, offset=st.timedeltas(min_value=timedelta(0),
                                                                          max_value=timedelta(days=3000)))
def test_the_term_containing_a_moment_contains_it_and_is_one_of_the_series(anchor, unit, count, offset):
    # Given a moment after the anchor; When we ask for its term
    at = anchor + offset
    term = term_containing(anchor, unit, count, at)
    # Then the term contains it, and the next term starts where this one ends
    assert term.start <= at < term.end
    assert term.end == add_interval(anchor, unit, count, _periods_to(anchor, unit, count, term.end))
    assert term_containing(anchor, unit, count, term.end).start == term.end


def _periods_to(anchor, unit, count, end):
    periods = 0
    while add_interval(anchor, unit, count, periods) < end:
        periods += 1
    return periods
