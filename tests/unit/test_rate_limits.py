from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain.lockout import NO_FAILURES
from chalicelib.domain.rate_limits import (
    LIMITS, RESET_REQUESTS_PER_ACCOUNT, SIGN_IN_FAILURES_PER_SOURCE, SIGN_IN_LINK_REQUESTS_PER_ACCOUNT, Backoff, Limit,
    configured, configured_backoff, exceeds,
    parse_overrides, retry_after, window_key,
)
from chalicelib.domain.tokens import TOKEN_TTL

UTC = timezone.utc
LOGIN_PER_ACCOUNT = Limit("login_account", 10, timedelta(minutes=15))
NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def limit(*, name="test", max_events=3, window=timedelta(minutes=15)):
    return Limit(name, max_events, window)


def epoch_seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def test_the_limits_are_the_ones_the_portal_promises():
    assert {name: (each.max_events, each.window) for name, each in LIMITS.items()} == {
        "login_source": (30, timedelta(minutes=1)),
        "forgot_password_source": (20, timedelta(hours=1)),
        "sign_in_link_source": (20, timedelta(hours=1)),
        "invite_email_customer": (5, timedelta(hours=1)),
        "invite_email_organization": (200, timedelta(hours=1)),
        "message_to_org_customer": (10, timedelta(hours=1)),
        "forward_document_customer": (20, timedelta(hours=1)),
        "review_request_customer": (3, timedelta(days=1)),
        "payment_customer": (10, timedelta(hours=1)),
        "payment_organization": (1000, timedelta(hours=1)),
        "payment_failure_customer": (5, timedelta(hours=1)),
        "payment_failure_organization": (100, timedelta(hours=1)),
        "card_added_customer": (5, timedelta(days=1)),
        "card_added_organization": (200, timedelta(hours=1)),
    }
    assert all(name == each.name for name, each in LIMITS.items())


def test_the_key_names_the_limit_the_subject_and_the_window_start():
    # Given 10:07:30 UTC, inside the 15-minute window that starts at 10:00:00
    now = datetime(2026, 3, 2, 10, 7, 30, tzinfo=UTC)

    key, ends_at = window_key(LOGIN_PER_ACCOUNT, "org_x#alice@example.com", now)

    window_start = epoch_seconds(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    assert key == f"login_account#org_x#alice@example.com#{window_start}"
    assert ends_at == datetime(2026, 3, 2, 10, 15, tzinfo=UTC)


def test_the_first_instant_of_a_window_belongs_to_it():
    start = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)

    key, ends_at = window_key(LOGIN_PER_ACCOUNT, "org_x#alice@example.com", start)

    assert key.endswith(f"#{epoch_seconds(start)}")
    assert ends_at == datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def test_the_last_microsecond_of_a_window_still_belongs_to_it():
    # Given the instants just before and at a window boundary
    just_before = datetime(2026, 3, 2, 10, 14, 59, 999999, tzinfo=UTC)
    boundary = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)

    # Then they fall in consecutive windows, with different counters
    key_before, ends_before = window_key(LOGIN_PER_ACCOUNT, "s", just_before)
    key_at, _ = window_key(LOGIN_PER_ACCOUNT, "s", boundary)
    assert ends_before == boundary
    assert key_before != key_at


def test_daily_windows_start_at_midnight_utc():
    review_requests = LIMITS["review_request_customer"]
    evening = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)

    key, ends_at = window_key(review_requests, "org_x#cus_1", evening)

    assert key.endswith(f"#{epoch_seconds(datetime(2026, 3, 2, tzinfo=UTC))}")
    assert ends_at == datetime(2026, 3, 3, tzinfo=UTC)


def test_the_window_does_not_depend_on_the_time_zone_now_is_written_in():
    in_utc = datetime(2026, 3, 2, 10, 7, 30, tzinfo=UTC)
    in_paris = in_utc.astimezone(timezone(timedelta(hours=1)))

    assert window_key(LOGIN_PER_ACCOUNT, "s", in_paris) == window_key(LOGIN_PER_ACCOUNT, "s", in_utc)


def test_a_naive_now_is_refused():
    with pytest.raises(TypeError):
        window_key(LOGIN_PER_ACCOUNT, "s", datetime(2026, 3, 2, 10, 7, 30))


def test_retry_after_counts_whole_seconds_to_the_end_of_the_window():
    assert retry_after(LOGIN_PER_ACCOUNT, datetime(2026, 3, 2, 10, 7, 30, tzinfo=UTC)) == 450


def test_retry_after_rounds_a_part_second_up():
    now = datetime(2026, 3, 2, 10, 14, 58, 500000, tzinfo=UTC)

    assert retry_after(LOGIN_PER_ACCOUNT, now) == 2


def test_retry_after_is_at_least_one_second():
    now = datetime(2026, 3, 2, 10, 14, 59, 999999, tzinfo=UTC)

    assert retry_after(LOGIN_PER_ACCOUNT, now) == 1


def test_retry_after_at_the_start_of_a_window_is_the_whole_window():
    now = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)

    assert retry_after(LOGIN_PER_ACCOUNT, now) == 900


def test_the_limit_is_exceeded_only_past_its_maximum():
    three_per_window = limit(max_events=3)

    assert not exceeds(three_per_window, 3)
    assert exceeds(three_per_window, 4)


@pytest.mark.parametrize("max_events, window", [
    (0, timedelta(minutes=1)),
    (1, timedelta(0)),
    (1, timedelta(seconds=1.5)),
])
def test_a_limit_needs_events_and_a_whole_number_of_seconds(max_events, window):
    with pytest.raises(ValueError):
        limit(max_events=max_events, window=window)


def test_no_limit_counts_anonymous_traffic_per_organization():
    assert not [name for name in LIMITS if name.startswith(("login_", "forgot_password_"))
                and not name.endswith("_source")]


# --- configured maxima --------------------------------------------------------------------------

def test_a_deployment_may_set_the_maximum_of_a_named_limit_but_not_its_window():
    overrides = parse_overrides(" payment_customer=20, card_added_customer = 3 ,")

    assert overrides == {"payment_customer": 20, "card_added_customer": 3}
    assert configured(LIMITS["payment_customer"], overrides) == Limit("payment_customer", 20, timedelta(hours=1))
    assert configured(LIMITS["login_source"], overrides) is LIMITS["login_source"]


def test_a_deployment_may_set_a_backoffs_free_events_but_not_its_delays():
    overrides = parse_overrides("sign_in_failures_source=50")

    backoff = configured_backoff(SIGN_IN_FAILURES_PER_SOURCE, overrides)

    assert backoff.free_events == 50
    assert (backoff.base_delay, backoff.max_delay) == (SIGN_IN_FAILURES_PER_SOURCE.base_delay,
                                                      SIGN_IN_FAILURES_PER_SOURCE.max_delay)
    assert configured_backoff(RESET_REQUESTS_PER_ACCOUNT, overrides) is RESET_REQUESTS_PER_ACCOUNT


@pytest.mark.parametrize("text", ["no_such_limit=3", "payment_customer=0", "payment_customer=many", "payment_customer"])
def test_an_override_must_name_a_limit_and_allow_an_event(text):
    with pytest.raises(ValueError):
        parse_overrides(text)


# --- backoffs -----------------------------------------------------------------------------------

def events(backoff: Backoff, times: int, *, every=timedelta(0), state=NO_FAILURES, starting=NINE_AM):
    for index in range(times):
        state = backoff.after_event(state, starting + index * every)
    return state


def test_a_backoff_lets_the_free_events_through_then_doubles_the_wait_up_to_its_ceiling():
    backoff = Backoff("test", 2, timedelta(minutes=1), timedelta(minutes=15), timedelta(hours=1))

    waits = [backoff.wait(events(backoff, n), NINE_AM) for n in range(1, 9)]

    minutes = [None if wait is None else wait / timedelta(minutes=1) for wait in waits]
    assert minutes == [None, None, 1, 2, 4, 8, 15, 15]


def test_a_backoff_forgets_after_a_quiet_spell():
    backoff = Backoff("test", 0, timedelta(seconds=1), timedelta(minutes=1), timedelta(minutes=15))
    state = events(backoff, 8)

    assert backoff.wait(state, NINE_AM + timedelta(minutes=15)) is None
    assert backoff.after_event(state, NINE_AM + timedelta(minutes=15)).count == 1


def test_the_longest_wait_between_reset_requests_is_shorter_than_a_reset_links_life():
    # so whenever a request is refused, the link the last accepted one sent still works
    assert RESET_REQUESTS_PER_ACCOUNT.max_delay < TOKEN_TTL["reset"]


def test_the_longest_wait_between_sign_in_link_requests_is_under_half_a_links_life():
    assert SIGN_IN_LINK_REQUESTS_PER_ACCOUNT.max_delay * 2 < TOKEN_TTL["sign_in"] == timedelta(minutes=15)


def test_an_address_fails_ten_sign_ins_freely_then_about_once_a_minute():
    assert SIGN_IN_FAILURES_PER_SOURCE.wait(events(SIGN_IN_FAILURES_PER_SOURCE, 10), NINE_AM) is None
    assert SIGN_IN_FAILURES_PER_SOURCE.delay_after(11) == timedelta(seconds=1)
    assert SIGN_IN_FAILURES_PER_SOURCE.delay_after(30) == timedelta(minutes=1)


def test_payments_and_their_failures_are_counted_in_the_same_windows():
    # services/payments/velocity.py keeps both in one counter item per window
    for level in ("customer", "organization"):
        assert LIMITS[f"payment_{level}"].window == LIMITS[f"payment_failure_{level}"].window
