"""Billing days and periods: terms counted from an anchor, days of the organization's time zone."""
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from chalicelib.domain.calendar import (Term, add_periods, is_time_zone, local_date, start_of_day,
                                        term_containing)

UTC = timezone.utc

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
units = st.sampled_from(["week", "month", "year"])
counts = st.integers(min_value=1, max_value=3)
zones = st.sampled_from(["UTC", "Pacific/Auckland", "America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata",
                         "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Santiago"])


# add_periods

def test_a_month_after_january_31_is_the_last_day_of_february():
    assert add_periods(date(2026, 1, 31), "month", 1) == date(2026, 2, 28)
    assert add_periods(date(2028, 1, 31), "month", 1) == date(2028, 2, 29)


def test_renewals_of_a_january_31_anchor_come_back_to_each_months_end_not_the_28th():
    renewals = [add_periods(date(2026, 1, 31), "month", 1, n) for n in range(1, 5)]
    assert renewals == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]


def test_a_year_after_february_29_is_february_28_and_four_years_after_is_february_29():
    assert add_periods(date(2028, 2, 29), "year", 1) == date(2029, 2, 28)
    assert add_periods(date(2028, 2, 29), "year", 1, periods=4) == date(2032, 2, 29)


def test_weeks_are_seven_days_and_months_cross_year_ends():
    assert add_periods(date(2026, 12, 29), "week", 2) == date(2027, 1, 12)
    assert add_periods(date(2026, 11, 30), "month", 3) == date(2027, 2, 28)


def test_zero_periods_is_the_anchor_itself():
    assert add_periods(date(2026, 5, 5), "year", 1, periods=0) == date(2026, 5, 5)


def test_an_instant_is_not_a_billing_day():
    with pytest.raises(ValueError):
        add_periods(datetime(2026, 1, 1, tzinfo=UTC), "month", 1)


@pytest.mark.parametrize("unit, count", [("day", 1), ("month", 0), ("month", -1), ("week", True)])
def test_unknown_units_and_non_positive_counts_are_refused(unit, count):
    with pytest.raises(ValueError):
        add_periods(date(2026, 1, 1), unit, count)


@given(anchor=days, periods=st.integers(min_value=0, max_value=30))
def test_monthly_renewals_land_on_the_anchor_day_or_the_month_end(anchor, periods):
    # Given a monthly series; When we step any number of periods
    renewal = add_periods(anchor, "month", 1, periods)
    # Then the day is the anchor's, clamped to the month, and never drifts
    last_day = (add_periods(renewal.replace(day=1), "month", 1) - timedelta(days=1)).day
    assert renewal.day == min(anchor.day, last_day)


# Term

def test_a_january_term_has_31_days():
    assert Term(date(2026, 1, 1), date(2026, 2, 1)).days == 31


def test_on_january_17_a_january_term_has_used_16_days_and_has_15_left():
    term = Term(date(2026, 1, 1), date(2026, 2, 1))
    assert (term.days_used(date(2026, 1, 17)), term.days_remaining(date(2026, 1, 17))) == (16, 15)


def test_days_remaining_are_clamped_to_the_term():
    term = Term(date(2026, 1, 1), date(2026, 2, 1))
    assert term.days_remaining(date(2025, 12, 1)) == 31
    assert term.days_remaining(date(2026, 3, 1)) == 0
    assert term.days_used(date(2026, 3, 1)) == 31


def test_a_term_is_at_least_a_day_of_dates_not_instants():
    with pytest.raises(ValueError):
        Term(date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(ValueError):
        Term(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValueError):
        Term(datetime(2026, 1, 1, tzinfo=UTC), date(2026, 2, 1))


# term_containing

def test_the_term_containing_mid_march_of_a_series_anchored_on_january_31():
    assert term_containing(date(2026, 1, 31), "month", 1, date(2026, 3, 15)) == Term(date(2026, 2, 28),
                                                                                      date(2026, 3, 31))


def test_a_renewal_day_belongs_to_the_term_it_starts():
    assert term_containing(date(2026, 1, 1), "month", 1, date(2026, 2, 1)) == Term(date(2026, 2, 1),
                                                                                    date(2026, 3, 1))


def test_the_term_containing_a_day_in_a_yearly_and_a_fortnightly_series():
    assert term_containing(date(2028, 2, 29), "year", 1, date(2030, 1, 1)) == Term(date(2029, 2, 28),
                                                                                    date(2030, 2, 28))
    assert term_containing(date(2026, 1, 1), "week", 2, date(2026, 1, 20)) == Term(date(2026, 1, 15),
                                                                                    date(2026, 1, 29))


def test_no_term_contains_a_day_before_the_anchor():
    with pytest.raises(ValueError):
        term_containing(date(2026, 1, 1), "month", 1, date(2025, 12, 31))


@given(anchor=days, unit=units, count=counts, offset=st.integers(min_value=0, max_value=3000))
def test_the_term_containing_a_day_contains_it_and_the_next_starts_where_it_ends(anchor, unit, count, offset):
    day = anchor + timedelta(days=offset)
    term = term_containing(anchor, unit, count, day)
    assert term.contains(day)
    assert term_containing(anchor, unit, count, term.end).start == term.end


# days of a time zone

def test_half_past_nine_on_november_26_in_auckland_is_still_november_25_in_utc():
    at = datetime(2026, 11, 25, 20, 30, tzinfo=UTC)          # 09:30 on Nov 26 in Auckland (NZDT, +13)
    assert local_date(at, "Pacific/Auckland") == date(2026, 11, 26)
    assert local_date(at, "UTC") == date(2026, 11, 25)


def test_a_day_begins_at_local_midnight():
    assert start_of_day(date(2026, 11, 26), "Pacific/Auckland") == datetime(2026, 11, 25, 11, tzinfo=UTC)
    assert start_of_day(date(2026, 7, 1), "Europe/Berlin") == datetime(2026, 6, 30, 22, tzinfo=UTC)


def test_a_day_whose_midnight_is_skipped_by_daylight_saving_begins_at_one():
    # Santiago moves its clocks from 00:00 to 01:00 on the first Sunday of September
    begins = start_of_day(date(2026, 9, 6), "America/Santiago")
    assert local_date(begins, "America/Santiago") == date(2026, 9, 6)
    assert local_date(begins - timedelta(seconds=1), "America/Santiago") == date(2026, 9, 5)


@given(day=days, zone=zones)
def test_the_start_of_a_day_is_that_day_there_and_the_instant_before_is_the_day_before(day, zone):
    begins = start_of_day(day, zone)
    assert local_date(begins, zone) == day
    assert local_date(begins - timedelta(microseconds=1), zone) == day - timedelta(days=1)


def test_time_zones_are_iana_names():
    assert is_time_zone("Pacific/Auckland") and is_time_zone("UTC")
    assert not is_time_zone("Mars/Olympus") and not is_time_zone("+13:00") and not is_time_zone("../etc/passwd")
