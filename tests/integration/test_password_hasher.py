import statistics
import time

import pytest

from chalicelib.gateways.password_hasher import PasswordHasher

PASSWORD = "plinth marmalade overture"
OWASP_MINIMUM_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


def hasher(*, memory_cost=19456, time_cost=2, parallelism=1):
    return PasswordHasher(memory_cost=memory_cost, time_cost=time_cost, parallelism=parallelism)


HASHER = hasher()


def median_seconds(action, runs=5):
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def test_the_default_hash_is_argon2id_at_the_owasp_minimum():
    assert PasswordHasher().hash(PASSWORD).startswith(OWASP_MINIMUM_PREFIX)


def test_hashes_of_one_password_differ_by_their_salt():
    assert HASHER.hash(PASSWORD) != HASHER.hash(PASSWORD)


def test_the_right_password_verifies_and_a_wrong_one_does_not():
    stored = HASHER.hash(PASSWORD)

    assert HASHER.verify(stored, PASSWORD) is True
    assert HASHER.verify(stored, PASSWORD + "!") is False


def test_every_spelling_of_one_password_verifies_after_normalisation():
    # Given a password with "é" stored in its composed form
    stored = HASHER.hash("café au lait every morning")

    # Then the decomposed spelling (e + combining accent) verifies too
    assert HASHER.verify(stored, "cafe\u0301 au lait every morning")


def test_the_whole_password_is_hashed_without_truncation():
    # Given a 256-character password
    long_password = "abcdefghij" * 25 + "klmnop"
    stored = HASHER.hash(long_password)

    # Then changing only its last character fails verification
    assert HASHER.verify(stored, long_password)
    assert not HASHER.verify(stored, long_password[:-1] + "q")


def test_a_tampered_hash_does_not_verify():
    # Given a stored hash whose digest was altered by one character
    stored = HASHER.hash(PASSWORD)
    last = stored[-1]
    tampered = stored[:-1] + ("A" if last != "A" else "B")

    assert HASHER.verify(tampered, PASSWORD) is False


@pytest.mark.parametrize("unusable", [
    None, "", "not a hash", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA", "$argon2id$zzz", "$bcrypt$é",
])
def test_a_missing_or_malformed_hash_does_not_verify_and_does_not_raise(unusable):
    assert HASHER.verify(unusable, PASSWORD) is False
    assert HASHER.needs_rehash(unusable) is True


def test_a_hash_made_with_the_current_parameters_needs_no_rehash():
    assert HASHER.needs_rehash(HASHER.hash(PASSWORD)) is False


def test_a_rehash_is_needed_when_the_parameters_change():
    # Given a hash made at the minimum
    stored = HASHER.hash(PASSWORD)

    # When the parameters are raised
    stronger = hasher(memory_cost=2 * 19456, time_cost=3)

    # Then the old hash still verifies but asks to be replaced
    assert stronger.verify(stored, PASSWORD)
    assert stronger.needs_rehash(stored) is True


@pytest.mark.parametrize("weaker", [
    {"memory_cost": 19455}, {"time_cost": 1}, {"parallelism": 0},
])
def test_parameters_below_the_owasp_minimum_are_refused(weaker):
    with pytest.raises(ValueError):
        hasher(**weaker)


def test_verify_dummy_takes_about_as_long_as_a_real_verification():
    # Given a real account's hash, verified once to warm up
    stored = HASHER.hash(PASSWORD)
    HASHER.verify(stored, "a wrong password guess")

    # When timing a wrong password against it and the dummy check of an unknown account
    real = median_seconds(lambda: HASHER.verify(stored, "a wrong password guess"))
    dummy = median_seconds(lambda: HASHER.verify_dummy("a wrong password guess"))

    # Then neither is more than twice the other
    assert 0.5 < dummy / real < 2


def test_a_malformed_hash_costs_about_as_long_as_a_real_verification():
    stored = HASHER.hash(PASSWORD)

    real = median_seconds(lambda: HASHER.verify(stored, "a wrong password guess"))
    malformed = median_seconds(lambda: HASHER.verify("", "a wrong password guess"))

    assert 0.5 < malformed / real < 2
