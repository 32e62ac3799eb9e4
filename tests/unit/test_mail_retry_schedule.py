from datetime import datetime, timedelta, timezone

from chalicelib.services.accounts.outbox import RETRY_DELAYS, next_attempt_at

AT = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def test_retries_wait_longer_after_each_failure():
    waits = [next_attempt_at(failures, AT) - AT for failures in range(1, len(RETRY_DELAYS) + 1)]

    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
                     timedelta(hours=4)]


def test_an_email_is_given_up_after_its_last_retry():
    assert next_attempt_at(len(RETRY_DELAYS) + 1, AT) is None
