"""Billing days and periods.

Billing counts whole calendar days of the organization's time zone: "today" is the date on the
organization's wall clock, and a term is a range of dates [start, end) (the end is the first day
of the next term). Instants only meet dates at two points: `local_date` (what day is it there)
and `start_of_day` (the instant a day begins there, when scheduled work falls due).

Terms are counted from a billing anchor, never from the previous term's end: the n-th term of a
monthly series anchored on Jan 31 ends on the anchor's day clamped to the month (Feb 28 or 29,
Mar 31, Apr 30 ...), and a yearly series anchored on Feb 29 renews on Feb 28, and on Feb 29 again
in a leap year.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

Interval = Literal["week", "month", "year"]
INTERVALS: tuple[Interval, ...] = ("week", "month", "year")
DEFAULT_TIME_ZONE = "UTC"


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


def require_day(value: date, name: str = "date") -> date:
    """`value` itself, if it is a calendar date (not a datetime); otherwise ValueError."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{name} must be a calendar date, got {value!r}")
    return value


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`; ValueError if there is no such zone."""
    if not isinstance(name, str) or not name or name != name.strip():
        raise ValueError(f"not a time zone name: {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def is_time_zone(name: str) -> bool:
    try:
        zone(name)
    except ValueError:
        return False
    return name in _known_zones() or name == DEFAULT_TIME_ZONE


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def local_date(at: datetime, time_zone: str) -> date:
    """The calendar date of the instant `at` on the wall clock of `time_zone`."""
    require_utc(at, "at")
    return at.astimezone(zone(time_zone)).date()


def start_of_day(day: date, time_zone: str) -> datetime:
    """The instant (UTC) at which `day` begins in `time_zone` (where a DST change skips midnight,
    the first instant of the day)."""
    require_day(day, "day")
    tz = zone(time_zone)
    local = datetime.combine(day, time(0), tzinfo=tz)
    instant = local.astimezone(timezone.utc)
    if instant.astimezone(tz).date() != day:      # midnight did not exist: the day began an hour later
        instant = datetime.combine(day, time(1), tzinfo=tz).astimezone(timezone.utc)
    return instant


def days_between(start: date, end: date) -> int:
    return (end - start).days


def _days_in_month(year: int, month: int) -> int:
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return (next_month - timedelta(days=1)).day


def _months_per_period(unit: Interval, count: int) -> int:
    return count if unit == "month" else 12 * count


def _require_int_at_least(value: int, name: str, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _require_interval(unit: Interval, count: int) -> None:
    if unit not in INTERVALS:
        raise ValueError(f"unit must be one of {', '.join(INTERVALS)}, got {unit!r}")
    _require_int_at_least(count, "count", 1)


def add_periods(anchor: date, unit: Interval, count: int, periods: int = 1) -> date:
    """The day `periods` periods of `count` x `unit` after `anchor`, the anchor's day of the month
    clamped to each month's end (periods=0: the anchor itself)."""
    require_day(anchor, "anchor")
    _require_interval(unit, count)
    _require_int_at_least(periods, "periods", 0)
    if unit == "week":
        return anchor + timedelta(weeks=count * periods)
    year, month_index = divmod(anchor.year * 12 + anchor.month - 1 + _months_per_period(unit, count) * periods, 12)
    month = month_index + 1
    return date(year, month, min(anchor.day, _days_in_month(year, month)))


@dataclass(frozen=True)
class Term:
    """One billing period: the dates [start, end)."""

    start: date
    end: date

    def __post_init__(self):
        require_day(self.start, "start")
        require_day(self.end, "end")
        if self.days < 1:
            raise ValueError(f"a term must span at least one day: {self.start} to {self.end}")

    @property
    def days(self) -> int:
        return days_between(self.start, self.end)

    def contains(self, day: date) -> bool:
        require_day(day, "day")
        return self.start <= day < self.end

    def days_remaining(self, day: date) -> int:
        """Days from `day` (included) to the end (excluded), within the term."""
        require_day(day, "day")
        return max(0, min(self.days, days_between(day, self.end)))

    def days_used(self, day: date) -> int:
        return self.days - self.days_remaining(day)

    def text(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def term_containing(anchor: date, unit: Interval, count: int, day: date) -> Term:
    """The term of the series anchored at `anchor` in which `day` falls."""
    require_day(day, "day")
    add_periods(anchor, unit, count)  # validates anchor, unit and count
    if day < anchor:
        raise ValueError(f"{day} is before the first term starts ({anchor})")
    if unit == "week":
        index = (day - anchor).days // (7 * count)
    else:
        elapsed_months = (day.year - anchor.year) * 12 + day.month - anchor.month
        index = max(0, elapsed_months // _months_per_period(unit, count))
        # Clamping to month ends can put the estimate one period off either way.
        while index > 0 and add_periods(anchor, unit, count, index) > day:
            index -= 1
        while add_periods(anchor, unit, count, index + 1) <= day:
            index += 1
    return Term(add_periods(anchor, unit, count, index), add_periods(anchor, unit, count, index + 1))


def first_term(anchor: date, unit: Interval, count: int) -> Term:
    """The term that starts on the anchor."""
    return Term(anchor, add_periods(anchor, unit, count))
