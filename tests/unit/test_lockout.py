from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain.lockout import NO_FAILURES, FailureState, LockoutPolicy

NINE_AM = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc)
POLICY = LockoutPolicy()


def at(hh_mm_ss: str) -> datetime:
    hours, minutes, seconds = map(int, hh_mm_ss.split(":"))
    return NINE_AM.replace(hour=hours, minute=minutes, second=seconds)


def failed(times: int, *, starting: datetime = NINE_AM, every=timedelta(minutes=1),
           state: FailureState = NO_FAILURES, policy: LockoutPolicy = POLICY) -> FailureState:
    """`times` failures, `every` apart (slower than any delay, so none is refused)."""
    for index in range(times):
        state = policy.after_failure(state, starting + index * every)
    return state


def test_a_fresh_account_may_try_now():
    assert POLICY.check(NO_FAILURES, NINE_AM) is None


def test_the_first_five_failures_cost_no_delay():
    # Given five failures, the last at 09:04:00
    state = failed(5)

    # Then a sixth attempt is checked straight away
    assert state == FailureState(5, at("09:04:00"), None)
    assert POLICY.check(state, at("09:04:00")) is None


def test_the_sixth_failure_makes_the_next_attempt_wait_one_second():
    # Given six failures, the last at 09:05:00
    state = failed(6)

    # Then the next attempt waits until 09:05:01
    assert POLICY.check(state, at("09:05:00")) == timedelta(seconds=1)
    assert POLICY.check(state, at("09:05:01")) is None


def test_the_delay_doubles_with_each_failure_up_to_thirty_seconds():
    delays = [POLICY.delay_after(count) for count in range(5, 13)]

    assert delays == [timedelta(seconds=s) for s in (0, 1, 2, 4, 8, 16, 30, 30)]


def test_the_wait_counts_from_the_last_failure():
    # Given eight failures (a 4 s delay), the last at 09:07:00
    state = failed(8)

    # When asking 1.5 s later
    wait = POLICY.check(state, at("09:07:00") + timedelta(seconds=1.5))

    # Then 2.5 s remain
    assert wait == timedelta(seconds=2.5)


def test_the_tenth_failure_locks_the_account_for_fifteen_minutes():
    # Given nine failures: delayed, not locked
    nine = failed(9)
    assert nine.locked_until is None

    # When the tenth fails at 09:09:00
    ten = POLICY.after_failure(nine, at("09:09:00"))

    # Then the account is locked until 09:24:00
    assert ten == FailureState(10, at("09:09:00"), at("09:24:00"))
    assert POLICY.check(ten, at("09:09:00")) == timedelta(minutes=15)
    assert POLICY.check(ten, at("09:23:59")) == timedelta(seconds=1)


def test_the_lock_expires_after_fifteen_minutes():
    # Given a lock taken at 09:09:00
    locked = failed(10)

    # Then at 09:24:00 an attempt is checked again
    assert POLICY.check(locked, at("09:24:00")) is None


def test_failures_during_a_lock_are_not_counted_and_do_not_extend_it():
    locked = failed(10)

    assert POLICY.after_failure(locked, at("09:15:00")) == locked


def test_after_a_lock_every_five_more_failures_lock_again():
    # Given the lock from 09:09:00 to 09:24:00 has passed
    state = failed(10)

    # When failing four more times, a minute apart, from 09:24:00: delayed but not locked
    state = failed(4, starting=at("09:24:00"), state=state)
    assert state.count == 14 and state.locked_until is None
    assert POLICY.check(state, at("09:27:00")) == timedelta(seconds=30)

    # Then the fifth failure at 09:28:00 locks until 09:43:00
    state = POLICY.after_failure(state, at("09:28:00"))
    assert state.locked_until == at("09:43:00")


def test_success_resets_the_failures():
    state = failed(9)

    state = POLICY.after_success()

    assert state == FailureState(0, None, None)
    assert POLICY.check(state, at("09:08:00")) is None


def test_failures_older_than_a_day_are_forgotten():
    # Given nine failures, the last at 09:08:00 on 2 March
    state = failed(9)
    next_day = at("09:08:00") + timedelta(hours=24)

    # When the next failure comes 24 hours later
    state = POLICY.after_failure(state, next_day)

    # Then it counts as the first: no delay, no lock
    assert state == FailureState(1, next_day, None)
    assert POLICY.check(state, next_day) is None


def test_failures_younger_than_a_day_still_count():
    state = failed(9)

    state = POLICY.after_failure(state, at("09:08:00") + timedelta(hours=23, minutes=59))

    assert state.count == 10 and state.locked_until is not None


def test_a_lock_ends_on_time_even_if_the_failures_are_also_forgotten():
    # Given a policy that forgets failures faster than it unlocks (a misconfiguration)
    policy = LockoutPolicy(forget_after=timedelta(minutes=5))
    locked = failed(10, policy=policy)

    # Then the lock still holds until its end
    assert policy.check(locked, at("09:20:00")) == timedelta(minutes=4)


def test_a_policy_with_no_room_between_free_attempts_and_the_lock_is_refused():
    with pytest.raises(ValueError):
        LockoutPolicy(free_attempts=10, lock_after=10)
