"""Password hashing with argon2id (OWASP Password Storage Cheat Sheet, ASVS 5.0 V11.4.2).

Passwords are NFKC-normalised here (`password_policy.normalise`), the same way the policy
checked them, so callers cannot forget to and every spelling of one password verifies.
"""
from __future__ import annotations

import secrets

from argon2 import PasswordHasher as Argon2Hasher
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from chalicelib.domain.password_policy import normalise

# OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
MIN_MEMORY_COST_KIB = 19456
MIN_TIME_COST = 2
PARALLELISM = 1


class PasswordHasher:
    def __init__(self, *, memory_cost: int = MIN_MEMORY_COST_KIB, time_cost: int = MIN_TIME_COST,
                 parallelism: int = PARALLELISM):
        if memory_cost < MIN_MEMORY_COST_KIB or time_cost < MIN_TIME_COST or parallelism < 1:
            raise ValueError("argon2id parameters below the OWASP minimum "
                             f"(m={MIN_MEMORY_COST_KIB} KiB, t={MIN_TIME_COST}, p={PARALLELISM})")
        self._argon2 = Argon2Hasher(memory_cost=memory_cost, time_cost=time_cost,
                                    parallelism=parallelism, type=Type.ID)
        # Hashed now rather than on first use, so no verify_dummy ever pays for it and stands
        # out by taking twice as long.
        self._dummy_hash = self._argon2.hash(secrets.token_urlsafe(32))

    def hash(self, password: str) -> str:
        """The encoded hash to store: "$argon2id$v=19$m=...,t=...,p=...$<salt>$<hash>"."""
        return self._argon2.hash(normalise(password))

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Whether `password` matches; False (never an exception) for a wrong password or a
        missing or unusable stored hash."""
        try:
            return self._argon2.verify(_text(stored_hash), normalise(password))
        except VerifyMismatchError:
            return False
        except (VerificationError, ValueError):  # InvalidHashError is a ValueError
            # An account without a usable hash (e.g. invited, no password yet) must not answer
            # faster than one with a wrong password: that would tell the two apart.
            self.verify_dummy(password)
            return False

    def needs_rehash(self, stored_hash: str | None) -> bool:
        """Whether `stored_hash` was made with other parameters (or is unusable): after a
        successful sign-in, store `hash(password)` again."""
        try:
            return self._argon2.check_needs_rehash(_text(stored_hash))
        except ValueError:
            return True

    def verify_dummy(self, password: str) -> None:
        """Spend the time of a real verification, for sign-ins to unknown accounts, so the
        answer's timing does not reveal whether an email has an account."""
        try:
            self._argon2.verify(self._dummy_hash, normalise(password))
        except VerificationError:
            pass


def _text(stored_hash: str | None) -> str:
    if not isinstance(stored_hash, str):
        raise InvalidHashError("no stored hash")
    return stored_hash
