import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain.tokens import (
    TOKEN_TTL, SessionTimes, constant_time_equals, is_fresh_sign_in, is_session_live, new_session_token, new_token,
    parties_named_in, session_expiry, token_hash,
)

SIGNED_IN_AT = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def hours(value):
    return timedelta(hours=value)


def minutes(value):
    return timedelta(minutes=value)


def test_a_new_token_carries_256_bits_in_url_safe_characters():
    token = new_token()

    assert len(token) == 43  # 32 bytes in unpadded base64
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_new_tokens_differ():
    assert len({new_token() for _ in range(100)}) == 100


def test_a_session_token_names_its_organization_and_customer_before_its_secret():
    token = new_session_token("org_acme", "cus_01J9ZQ")

    org_id, customer_id, secret = token.split(".")
    assert (org_id, customer_id, len(secret)) == ("org_acme", "cus_01J9ZQ", 43)
    assert parties_named_in(token) == ("org_acme", "cus_01J9ZQ")


def test_a_token_of_the_older_form_names_nobody():
    assert parties_named_in(new_token()) is None


@pytest.mark.parametrize("token", ["org_acme..secret", ".cus_1.secret", "org_acme.cus_1.", "org_acme.cus_1.s.x",
                                   "org_acme.cus#1.secret", "org acme.cus_1.secret", "org_acme.cus_1",
                                   "o" * 65 + ".cus_1.secret", "."])
def test_a_dotted_token_of_any_other_shape_is_refused(token):
    with pytest.raises(ValueError):
        parties_named_in(token)


def test_the_token_hash_is_sha256_in_hex():
    assert token_hash("abc") == hashlib.sha256(b"abc").hexdigest()
    assert len(token_hash(new_token())) == 64


def test_the_same_token_always_hashes_the_same_so_it_can_be_looked_up():
    token = new_token()

    assert token_hash(token) == token_hash(token)
    assert token_hash(token) != token_hash(new_token())


def test_constant_time_equals_compares_values():
    assert constant_time_equals("same", "same")
    assert not constant_time_equals("same", "sane")
    assert not constant_time_equals("same", "same-but-longer")


def test_constant_time_equals_accepts_non_ascii_text():
    assert constant_time_equals("clé", "clé")
    assert not constant_time_equals("clé", "cle")


def test_a_session_used_recently_is_live():
    assert is_session_live(SIGNED_IN_AT, SIGNED_IN_AT + hours(2), SIGNED_IN_AT + hours(2) + minutes(29))


def test_a_session_idle_for_thirty_minutes_has_ended():
    # Given a session last used at 10:00
    last_seen = SIGNED_IN_AT + hours(2)

    # Then it ends at 10:30
    assert session_expiry(SIGNED_IN_AT, last_seen) == last_seen + minutes(30)
    assert not is_session_live(SIGNED_IN_AT, last_seen, last_seen + minutes(30))


def test_a_session_ends_twelve_hours_after_sign_in_however_active():
    # Given a session used a minute ago, 11 h 59 after sign-in
    last_seen = SIGNED_IN_AT + hours(12) - minutes(1)

    # Then it still ends at 20:00, twelve hours after sign-in
    assert session_expiry(SIGNED_IN_AT, last_seen) == SIGNED_IN_AT + hours(12)
    assert is_session_live(SIGNED_IN_AT, last_seen, SIGNED_IN_AT + hours(12) - timedelta(seconds=1))
    assert not is_session_live(SIGNED_IN_AT, last_seen, SIGNED_IN_AT + hours(12))


def test_the_timeouts_can_be_chosen():
    assert session_expiry(SIGNED_IN_AT, SIGNED_IN_AT, idle=minutes(5), absolute=hours(1)) \
        == SIGNED_IN_AT + minutes(5)
    assert not is_session_live(SIGNED_IN_AT, SIGNED_IN_AT + minutes(58), SIGNED_IN_AT + hours(1),
                               idle=minutes(5), absolute=hours(1))


def test_session_times_carry_both_timeouts():
    times = SessionTimes(idle=minutes(10), absolute=hours(2))

    assert times.expiry(SIGNED_IN_AT, SIGNED_IN_AT + minutes(5)) == SIGNED_IN_AT + minutes(15)
    assert times.is_live(SIGNED_IN_AT, SIGNED_IN_AT + minutes(5), SIGNED_IN_AT + minutes(14))
    assert SessionTimes() == SessionTimes(idle=minutes(30), absolute=hours(12))


def test_invitations_last_three_days_password_resets_half_an_hour_email_changes_an_hour_sign_in_links_15_minutes():
    assert TOKEN_TTL == {"invite": hours(72), "reset": minutes(30), "console_reset": minutes(30),
                         "email_change": hours(1), "sign_in": minutes(15)}


def test_a_sign_in_stands_in_for_a_password_for_ten_minutes():
    assert is_fresh_sign_in(SIGNED_IN_AT, SIGNED_IN_AT)
    assert is_fresh_sign_in(SIGNED_IN_AT, SIGNED_IN_AT + minutes(10) - timedelta(seconds=1))
    assert not is_fresh_sign_in(SIGNED_IN_AT, SIGNED_IN_AT + minutes(10))
    assert not is_fresh_sign_in(SIGNED_IN_AT, SIGNED_IN_AT - minutes(1))   # a clock that went back proves nothing
