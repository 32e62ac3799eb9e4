"""Per-account throttling of failed sign-ins (NIST SP 800-63B-4 section 3.2.2, OWASP ASVS 5.0 V6.3).

Pure: the caller loads the account's FailureState, asks the policy, and saves what it returns.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# Doubling past this many times already exceeds any sensible max_delay; stopping here keeps
# timedelta arithmetic from overflowing on an absurd count.
_MAX_DOUBLINGS = 30


@dataclass(frozen=True)
class FailureState:
    """Failed sign-ins of one account since its last success (or since they were forgotten)."""

    count: int = 0
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None


NO_FAILURES = FailureState()


@dataclass(frozen=True)
class LockoutPolicy:
    """Slows down password guessing on one account, then locks it briefly.

    The first `free_attempts` failures cost nothing; each further failure makes the next
    attempt wait `base_delay`, doubling up to `max_delay`. The `lock_after`-th failure locks
    the account for `lock_for`; after that, every further `lock_after - free_attempts`
    failures lock it again. Failures are forgotten `forget_after` the last one, and a
    success forgets them at once.

    The lock is temporary and short on purpose: anyone who knows an email address can fail
    to sign in as that user, so a long (or permanent) lock would let an attacker keep the
    real user out. Short locks still cap guessing at a few hundred tries a day, far below
    what a password that passes the password policy can withstand.
    """

    free_attempts: int = 5
    base_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(seconds=30)
    lock_after: int = 10
    lock_for: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(hours=24)

    def __post_init__(self):
        if not 0 <= self.free_attempts < self.lock_after:
            raise ValueError("need 0 <= free_attempts < lock_after")

    def check(self, state: FailureState, now: datetime) -> timedelta | None:
        """How long the caller must wait before another attempt is even checked; None: now."""
        if self._is_locked(state, now):
            return state.locked_until - now
        if state.last_failure_at is None or self._is_forgotten(state, now):
            return None
        ready_at = state.last_failure_at + self.delay_after(state.count)
        return ready_at - now if now < ready_at else None

    def after_failure(self, state: FailureState, now: datetime) -> FailureState:
        """The state after one more wrong password at `now`."""
        if self._is_locked(state, now):
            return state  # attempts during a lock are refused unchecked, so they do not count
        count = 1 if self._is_forgotten(state, now) else state.count + 1
        # A lock is short (see the class docstring): it only has to outlast a burst of guesses.
        locked_until = now + self.lock_for if self._locks_at(count) else None
        return FailureState(count, now, locked_until)

    def after_success(self) -> FailureState:
        return NO_FAILURES

    def delay_after(self, count: int) -> timedelta:
        """The wait that `count` failures impose after the last one (zero while free)."""
        over = count - self.free_attempts
        if over <= 0:
            return timedelta(0)
        return min(self.base_delay * 2 ** min(over - 1, _MAX_DOUBLINGS), self.max_delay)

    def _locks_at(self, count: int) -> bool:
        beyond = count - self.lock_after
        return beyond >= 0 and beyond % (self.lock_after - self.free_attempts) == 0

    def _is_locked(self, state: FailureState, now: datetime) -> bool:
        return state.locked_until is not None and now < state.locked_until

    def _is_forgotten(self, state: FailureState, now: datetime) -> bool:
        return state.last_failure_at is not None and now - state.last_failure_at >= self.forget_after
