"""Fixed-window counters for rate limits (sign-in, password reset, outgoing email, payments), the
failed sign-ins of each login ("sign_in_failures#org#email", whether or not it has an account), and
the state of each backoff ("<backoff name>#<subject>")."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.models import Model

from ..domain.errors import DomainError
from ..domain.lockout import NO_FAILURES, FailureState
from ..domain.rate_limits import Counted
from .base import table
from .transactions import Transaction, condition_failed


@table("rate_counters", deletable=True)   # a successful sign-in clears its failures
class RateCounterItem(Model):
    class Meta:
        pass

    counter_key = UnicodeAttribute(hash_key=True)
    # not `count`: that would hide PynamoDB's Model.count()
    events = NumberAttribute(default=0)
    # the failed ones among a window's events, where failures have a limit of their own (payments)
    failures = NumberAttribute(null=True)
    expires_at = TTLAttribute()
    # sign-in failures only: when the last one happened and until when the login is locked
    last_failure_at = UTCDateTimeAttribute(null=True)
    locked_until = UTCDateTimeAttribute(null=True)


C = RateCounterItem


class RateCounters:
    """Rate-limit counters and per-login sign-in failures."""

    def count_within(self, counter_key: str, *, max_events: int, expires_at: datetime) -> bool:
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

    def count_up_to(self, counter_key: str, *, max_events: int, expires_at: datetime) -> int | None:
        """Like `count_within`, but the count this event made (None once `max_events` are counted):
        who reaches the limit exactly can tell someone, once per window."""
        item = C(counter_key)
        try:
            item.update(actions=[C.events.add(1), C.expires_at.set(expires_at)],
                        condition=C.events.does_not_exist() | (C.events < max_events))
        except UpdateError as error:
            if condition_failed(error):
                return None
            raise
        return int(item.events)

    def count_event_in(self, tx: Transaction, counter_key: str, *, counted: Counted, max_events: int,
                       max_failures: int, expires_at: datetime, refused: Callable[[Counted], DomainError]) -> None:
        """Count one event in `tx`, on the condition that the window's events and failures are below
        their limits. The condition is exact where this event fills the window (its count as read,
        `counted`, is the last one free) and loose otherwise, so concurrent events only ever collide
        over the last place: whoever takes it knows, and may tell someone in the same transaction.
        If the condition alone cancels `tx`, `refused(the counter as it then stood)` is raised."""
        if counted.events + 1 >= max_events:
            events_free = _equals(C.events, max_events - 1)
        else:
            events_free = C.events.does_not_exist() | (C.events < max_events - 1)
        condition = events_free & (C.failures.does_not_exist() | (C.failures < max_failures))
        tx.update_or_refuse(C(counter_key), [C.events.add(1), C.expires_at.set(expires_at)], condition,
                            lambda raw: refused(counted_of(C.from_raw_data(raw) if raw else None)))

    def count_failure_in(self, tx: Transaction, counter_key: str, *, counted: Counted, max_failures: int,
                         expires_at: datetime) -> None:
        """Count one of the window's events as failed in `tx`. As above, exact only where this failure
        fills the window's failures (`counted` as read): a concurrent one there cancels `tx`
        (ConcurrentUpdate, for the caller to read again); elsewhere failures never collide."""
        if counted.failures + 1 == max_failures:
            condition = _equals(C.failures, max_failures - 1)
        else:
            condition = C.failures.does_not_exist() | (C.failures != max_failures - 1)
        tx.update(C(counter_key), [C.failures.add(1), C.expires_at.set(expires_at)], condition=condition)

    def count_failure(self, counter_key: str, *, expires_at: datetime) -> int:
        """Count one failure outside any transaction (no payment records it); the failures counted now."""
        item = C(counter_key)
        item.update(actions=[C.failures.add(1), C.expires_at.set(expires_at)])
        return int(item.failures)

    def failures(self, login: str) -> FailureState:
        return self.state(failures_key(login))

    def save_failures(self, login: str, previous: FailureState, state: FailureState, *,
                      expires_at: datetime) -> bool:
        return self.save_state(failures_key(login), previous, state, expires_at=expires_at)

    def state(self, key: str) -> FailureState:
        """The events counted under `key` (sign-in failures, a backoff)."""
        try:
            item = C.get(key, consistent_read=True)
        except DoesNotExist:
            return NO_FAILURES
        return failure_state(item)

    def save_state(self, key: str, previous: FailureState, state: FailureState, *, expires_at: datetime) -> bool:
        """Replace `previous` by `state`; False if another attempt changed the count meanwhile."""
        expected = (C.counter_key.does_not_exist() if previous == NO_FAILURES
                    else C.events == previous.count)
        item = C(key, events=state.count, last_failure_at=state.last_failure_at,
                 locked_until=state.locked_until, expires_at=expires_at)
        try:
            item.save(condition=expected)
        except PutError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def forget_failures(self, login: str) -> None:
        C(failures_key(login)).delete()


def failures_key(login: str) -> str:
    """The key of a login's sign-in failures (also for reads made together with other tables')."""
    return f"sign_in_failures#{login}"


def counted_of(item: RateCounterItem | None) -> Counted:
    """What a window's counter item holds (nothing counted for no item)."""
    return Counted() if item is None else Counted(int(item.events or 0), int(item.failures or 0))


def _equals(attribute, value: int):
    """`attribute == value`, where 0 also matches an item not written yet."""
    return (attribute == value) | attribute.does_not_exist() if value == 0 else attribute == value


def failure_state(item: RateCounterItem | None) -> FailureState:
    return NO_FAILURES if item is None else FailureState(int(item.events), item.last_failure_at, item.locked_until)
