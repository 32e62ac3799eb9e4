"""Rate limits (domain/rate_limits.py) counted in DynamoDB: refused events answer 429."""
from __future__ import annotations

from datetime import datetime, timedelta

from ...domain.errors import Throttled
from ...domain.rate_limits import LIMITS, Backoff, Limit, configured, configured_backoff, retry_after, window_key

_SECOND = timedelta(seconds=1)


def limit(adapters, limit_name: str) -> Limit:
    """The named limit, with the maximum this deployment configures (PORTICO_RATE_LIMITS)."""
    return configured(LIMITS[limit_name], adapters.settings.rate_limit_overrides)


def hit(adapters, limit_name: str, subject: str, now: datetime, *, what: str = "requests") -> None:
    """Count one event for `subject` under the named limit; Throttled once it is used up.

    `subject` is canonical and scoped by organization ("org_x", "org_x#alice@example.com")."""
    count(adapters, limit_name, subject, now, what=what)


def count(adapters, limit_name: str, subject: str, now: datetime, *, what: str = "requests") -> bool:
    """`hit`, answering whether this event used up the limit's last one (the moment to tell someone)."""
    named = limit(adapters, limit_name)
    key, window_ends_at = window_key(named, subject, now)
    counted = adapters.uow.rate_counters.count_up_to(key, max_events=named.max_events, expires_at=window_ends_at)
    if counted is None:
        raise Throttled(retry_after(named, now), what)
    return counted == named.max_events


def hit_all(adapters, events: list[tuple[str, str]], now: datetime, *, what: str = "requests") -> None:
    """Several limits for one event, widest first: an event refused by one is not counted by
    the narrower ones after it."""
    for limit_name, subject in events:
        hit(adapters, limit_name, subject, now, what=what)


# --- backoffs ---------------------------------------------------------------------------------

def admit(adapters, backoff: Backoff, subject: str, now: datetime, *, what: str = "requests") -> None:
    """Throttled while `subject` must still wait after its last event under `backoff`."""
    backoff = configured_backoff(backoff, adapters.settings.rate_limit_overrides)
    _refuse_while(backoff.wait(adapters.uow.rate_counters.state(backoff.key(subject)), now), what)


def record(adapters, backoff: Backoff, subject: str, now: datetime) -> None:
    """Count one event (e.g. a failure) for `subject` under `backoff`; none is lost to a race."""
    backoff = configured_backoff(backoff, adapters.settings.rate_limit_overrides)
    counters, key = adapters.uow.rate_counters, backoff.key(subject)
    state = counters.state(key)
    for _ in range(3):
        if counters.save_state(key, state, backoff.after_event(state, now), expires_at=now + backoff.forget_after):
            return
        state = counters.state(key)


def take_turn(adapters, backoff: Backoff, subject: str, now: datetime, *, what: str = "requests") -> None:
    """Admit and count one event of `subject` under `backoff`, or Throttled: of concurrent events
    that read the same state, one is counted and the others see it."""
    backoff = configured_backoff(backoff, adapters.settings.rate_limit_overrides)
    counters, key = adapters.uow.rate_counters, backoff.key(subject)
    for _ in range(3):
        state = counters.state(key)
        _refuse_while(backoff.wait(state, now), what)
        if counters.save_state(key, state, backoff.after_event(state, now), expires_at=now + backoff.forget_after):
            return
    raise Throttled(1, what)


def _refuse_while(wait: timedelta | None, what: str) -> None:
    if wait is not None:
        raise Throttled(max(1, -(-wait // _SECOND)), what)
