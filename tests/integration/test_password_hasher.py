
import pytest

from chalicelib.gateways.password_hasher import PasswordHasher

PASSWORD = "plinth marmalade overture"
OWASP_MINIMUM_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


def hasher(*, memory_cost=19456, time_cost=2, parallelism=1):
    return PasswordHasher(memory_cost=memory_cost, time_cost=time_cost, parallelism=parallelism)


HASHER = hasher()


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


class CountingArgon2:
    """Wraps argon2's hasher and records the parameters of every full verification it runs."""

    def __init__(self, inner):
        self.inner, self.verified = inner, []

    def verify(self, stored, password):
        if stored.count("$") == 5:                    # a usable hash: argon2 does the full work
            self.verified.append(stored.split("$")[3])   # "m=19456,t=2,p=1"
        return self.inner.verify(stored, password)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def spied_hasher():
    spied = hasher()
    spied._argon2 = CountingArgon2(spied._argon2)
    return spied


# Timing is a property of the work done, so these tests check the work (one full argon2id
# verification at the account parameters) rather than racing a wall clock on a shared CI machine.
def test_an_unknown_account_costs_one_full_verification_at_the_account_parameters():
    spied = spied_hasher()
    spied.verify_dummy("a wrong password guess")
    assert spied._argon2.verified == ["m=19456,t=2,p=1"]


def test_a_malformed_hash_costs_one_full_verification_like_a_wrong_password():
    spied = spied_hasher()
    stored = spied.hash(PASSWORD)
    spied.verify(stored, "a wrong password guess")
    spied.verify("", "a wrong password guess")
    assert spied._argon2.verified == ["m=19456,t=2,p=1", "m=19456,t=2,p=1"]
