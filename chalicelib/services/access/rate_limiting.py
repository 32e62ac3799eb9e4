"""Rate limits (domain/rate_limits.py) counted in DynamoDB: refused events answer 429."""
from __future__ import annotations

from datetime import datetime

from ...domain.errors import Throttled
from ...domain.rate_limits import LIMITS, retry_after, window_key


def hit(adapters, limit_name: str, subject: str, now: datetime, *, what: str = "requests") -> None:
    """Count one event for `subject` under the named limit; Throttled once it is used up.

    `subject` is canonical and scoped by organization ("org_x", "org_x#alice@example.com")."""
    limit = LIMITS[limit_name]
    key, window_ends_at = window_key(limit, subject, now)
    if not adapters.uow.rate_counters.count_within(key, max_events=limit.max_events, expires_at=window_ends_at):
        raise Throttled(retry_after(limit, now), what)


def hit_all(adapters, events: list[tuple[str, str]], now: datetime, *, what: str = "requests") -> None:
    """Several limits for one event, widest first: an event refused by one is not counted by
    the narrower ones after it."""
    for limit_name, subject in events:
        hit(adapters, limit_name, subject, now, what=what)
