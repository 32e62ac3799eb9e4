"""Second-factor rules in the domain (no AWS): RFC 6238 codes, the drift window and replays,
recovery codes and their hashes, and the signed challenge between password and code."""
import base64
from datetime import datetime, timedelta, timezone

from chalicelib.domain import second_factor as totp

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()   # RFC 6238's SHA-1 test key


def test_codes_are_those_of_rfc_6238():
    # the RFC's 8-digit values, of which authenticator apps show the last six
    assert totp.code_for(RFC_SECRET, 59 // 30) == "287082"
    assert totp.code_for(RFC_SECRET, 1111111109 // 30) == "081804"
    assert totp.code_for(RFC_SECRET, 2000000000 // 30) == "279037"


def test_a_code_of_the_step_before_or_after_is_accepted_but_never_twice():
    secret = totp.new_secret()
    step = totp.step_at(NOW)
    late = totp.code_for(secret, step - 1)
    assert totp.accepted_step(secret, late, NOW, last_step=None) == step - 1
    assert totp.accepted_step(secret, late, NOW, last_step=step - 1) is None
    assert totp.accepted_step(secret, totp.code_for(secret, step - 2), NOW, last_step=None) is None
    assert totp.accepted_step(secret, "12a456", NOW, last_step=None) is None


def test_recovery_codes_are_ten_different_and_hashed_however_they_are_typed():
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == 10 and all(len(code) == 19 for code in codes)
    assert totp.recovery_hash(codes[0].upper().replace("-", " ")) == totp.recovery_hash(codes[0])
    assert codes[0] not in totp.recovery_hash(codes[0])


def test_a_challenge_names_its_login_until_it_expires_and_only_with_our_key():
    key = totp.challenge_key("stage secret")
    challenge, expires_at = totp.new_challenge(key, "org_1#zoe@example.com", NOW)
    assert expires_at == NOW + totp.CHALLENGE_TTL
    assert totp.challenged_login(key, challenge, NOW + timedelta(minutes=4)) == "org_1#zoe@example.com"
    assert totp.challenged_login(key, challenge, expires_at) is None
    assert totp.challenged_login(totp.challenge_key("another stage"), challenge, NOW) is None
    assert totp.challenged_login(key, "garbage", NOW) is None


def test_the_uri_is_what_authenticator_apps_read():
    uri = totp.otpauth_uri("ABC", "zoe@example.com", "Acme Cloud")
    assert uri == ("otpauth://totp/Acme%20Cloud%3Azoe%40example.com?secret=ABC&issuer=Acme%20Cloud"
                   "&algorithm=SHA1&digits=6&period=30")
