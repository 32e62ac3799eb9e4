"""Rate-limit counters and per-login sign-in failures, in the `rate_counters` table."""
from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from ...domain.lockout import NO_FAILURES, FailureState
from ..rate_counters import RateCounterItem
from ..transactions import condition_failed

C = RateCounterItem


def count_within(counter_key: str, *, max_events: int, expires_at: datetime) -> bool:
    """Count one event under `counter_key` unless `max_events` are counted already.

    One conditional ADD: concurrent requests never lose a count, and once the limit is
    reached the counter stops growing. The item expires (TTL) when its window ends."""
    try:
        C(counter_key).update(actions=[C.events.add(1), C.expires_at.set(expires_at)],
                              condition=C.events.does_not_exist() | (C.events < max_events))
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def _failures_key(login: str) -> str:
    return f"sign_in_failures#{login}"


failures_key = _failures_key   # for reads made together with others (repositories/together.py)


def failure_state(item: RateCounterItem | None) -> FailureState:
    return NO_FAILURES if item is None else FailureState(int(item.events), item.last_failure_at, item.locked_until)


def failures(login: str) -> FailureState:
    try:
        item = C.get(_failures_key(login), consistent_read=True)
    except DoesNotExist:
        return NO_FAILURES
    return failure_state(item)


def save_failures(login: str, previous: FailureState, state: FailureState, *, expires_at: datetime) -> bool:
    """Replace `previous` by `state`; False if another attempt changed the count meanwhile."""
    expected = (C.counter_key.does_not_exist() if previous == NO_FAILURES
                else C.events == previous.count)
    item = C(_failures_key(login), events=state.count, last_failure_at=state.last_failure_at,
             locked_until=state.locked_until, expires_at=expires_at)
    try:
        item.save(condition=expected)
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True


def forget_failures(login: str) -> None:
    C(_failures_key(login)).delete()
