"""Billing periods: where a term starts and ends, and how many of its days are left.

Month and year periods are always counted from the anchor day, clamped to the month's
end, so a subscription started on Jan 31 renews on Feb 28 (or 29), then Mar 31, not Mar 28.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

Interval = Literal["week", "month", "year"]
INTERVALS: tuple[Interval, ...] = ("week", "month", "year")


def require_utc(value: datetime, name: str = "datetime") -> datetime:
    """`value` itself, if it is an aware UTC datetime; otherwise ValueError."""
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime")
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got a naive datetime")
    if offset != timedelta(0):
        raise ValueError(f"{name} must be in UTC, got offset {offset}")
    return value


def _days_in_month(year: int, month: int) -> int:
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return (next_month - timedelta(days=1)).day


def _add_months(anchor: datetime, months: int) -> datetime:
    year, month_index = divmod(anchor.year * 12 + anchor.month - 1 + months, 12)
    month = month_index + 1
    return anchor.replace(year=year, month=month, day=min(anchor.day, _days_in_month(year, month)))


def _months_per_period(unit: Interval, count: int) -> int:
    return count if unit == "month" else 12 * count


def _require_int_at_least(value: int, name: str, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def add_interval(anchor: datetime, unit: Interval, count: int, periods: int = 1) -> datetime:
    """The end of `periods` consecutive periods of `count` x `unit` starting at `anchor`."""
    require_utc(anchor, "anchor")
    _require_int_at_least(count, "count", 1)
    _require_int_at_least(periods, "periods", 0)
    if unit == "week":
        return anchor + timedelta(weeks=count * periods)
    if unit in ("month", "year"):
        return _add_months(anchor, _months_per_period(unit, count) * periods)
    raise ValueError(f"unit must be one of {', '.join(INTERVALS)}, got {unit!r}")


@dataclass(frozen=True)
class Term:
    """One billing period, [start, end). Days are counted by calendar date in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self):
        require_utc(self.start, "start")
        require_utc(self.end, "end")
        if self.days < 1:
            raise ValueError(f"a term must span at least one calendar day: {self.start} to {self.end}")

    @property
    def days(self) -> int:
        return (self.end.date() - self.start.date()).days

    def contains(self, at: datetime) -> bool:
        require_utc(at, "at")
        return self.start <= at < self.end

    def days_remaining(self, at: datetime) -> int:
        """Days from the calendar date of `at` (included) to the end (excluded), within the term."""
        require_utc(at, "at")
        return max(0, min(self.days, (self.end.date() - at.date()).days))

    def days_used(self, at: datetime) -> int:
        return self.days - self.days_remaining(at)


def term_containing(anchor: datetime, unit: Interval, count: int, at: datetime) -> Term:
    """The period of the series anchored at `anchor` in which `at` falls."""
    require_utc(at, "at")
    first_end = add_interval(anchor, unit, count)  # validates anchor, unit and count
    if at < anchor:
        raise ValueError(f"{at} is before the first term starts ({anchor})")
    if unit == "week":
        index = (at - anchor) // (first_end - anchor)
    else:
        elapsed_months = (at.year - anchor.year) * 12 + at.month - anchor.month
        index = max(0, elapsed_months // _months_per_period(unit, count))
        # Clamping to month ends can put the estimate one period off either way.
        while index > 0 and add_interval(anchor, unit, count, index) > at:
            index -= 1
        while add_interval(anchor, unit, count, index + 1) <= at:
            index += 1
    return Term(add_interval(anchor, unit, count, index), add_interval(anchor, unit, count, index + 1))
