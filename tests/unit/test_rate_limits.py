from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain.rate_limits import LIMITS, Limit, exceeds, retry_after, window_key

UTC = timezone.utc
LOGIN_PER_ACCOUNT = LIMITS["login_account"]


def limit(*, name="test", max_events=3, window=timedelta(minutes=15)):
    return Limit(name, max_events, window)


def epoch_seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def test_the_limits_are_the_ones_the_portal_promises():
    assert {name: (each.max_events, each.window) for name, each in LIMITS.items()} == {
        "login_account": (10, timedelta(minutes=15)),
        "login_organization": (300, timedelta(minutes=1)),
        "forgot_password_account": (3, timedelta(hours=1)),
        "forgot_password_organization": (100, timedelta(hours=1)),
        "invite_email_customer": (5, timedelta(hours=1)),
        "invite_email_organization": (200, timedelta(hours=1)),
        "message_to_org_customer": (10, timedelta(hours=1)),
        "forward_document_customer": (20, timedelta(hours=1)),
        "review_request_customer": (3, timedelta(days=1)),
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
