"""Opaque bearer tokens (sessions, invitations, password resets, email changes, sign-in links) and how long they last.

Only `token_hash(token)` is ever stored: a leaked table does not hand out live sessions.
Session limits follow OWASP ASVS 5.0 V7.3 and NIST SP 800-63B-4 (AAL1 reauthentication).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

TOKEN_BYTES = 32  # 256 bits of randomness

SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
# An account without a password (made where the portal signs in with emailed links only) proves
# itself for a change that asks the current password by a sign-in this recent instead: long enough
# to do what one signed in again for, short enough that a session left open does not stand in for it.
FRESH_SIGN_IN = timedelta(minutes=10)

TOKEN_TTL = {
    "invite": timedelta(hours=72),
    "reset": timedelta(minutes=30),
    "console_reset": timedelta(minutes=30),   # a console user's reset: as a portal account's
    # Long enough to switch to the new mailbox and back, short enough that a link forwarded or
    # left in a shared inbox is dead by the time anyone else finds it.
    "email_change": timedelta(hours=1),
    # A sign-in link stands in for a password: short, as a link read over someone's shoulder or
    # left in a mailbox others read should be dead soon.
    "sign_in": timedelta(minutes=15),
}


def new_token() -> str:
    """A fresh URL-safe token from the OS's CSPRNG (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


# an id as the portal's ids are written (domain/ids.py): never a '.', never empty
_PARTY_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def new_session_token(org_id: str, customer_id: str) -> str:
    """A portal session's token: `<org_id>.<customer_id>.<secret>`. The ids let the session check read
    the session, the customer and the organization in one call; the secret alone is what cannot be
    guessed, and the stored key is the hash of the whole token, so the ids change nothing of that."""
    return f"{org_id}.{customer_id}.{new_token()}"


def parties_named_in(token: str) -> tuple[str, str] | None:
    """(org_id, customer_id) a session token names; None for a token of the older form (the secret
    alone, no '.'). ValueError for anything else: no session was ever issued with it."""
    if "." not in token:
        return None
    parts = token.split(".")
    if len(parts) != 3 or not (_PARTY_ID.fullmatch(parts[0]) and _PARTY_ID.fullmatch(parts[1]) and parts[2]):
        raise ValueError("not a session token")
    return parts[0], parts[1]


def new_api_key(prefix: str, org_id: str) -> str:
    """A merchant API key: `<prefix><org_id>.<secret>`. As a session token's ids, the organization's
    lets the key check read the key and the organization (and what the route reads) in one call; the
    secret alone cannot be guessed, and the stored key is the hash of the whole key."""
    return f"{prefix}{org_id}.{new_token()}"


def org_named_in_api_key(api_key: str, prefix: str) -> str | None:
    """The organization an API key names; None for a key of the older form (the prefix and the secret
    alone, no '.'). ValueError for anything else: no key was ever issued so."""
    rest = api_key.removeprefix(prefix)
    if "." not in rest:
        return None
    org_id, _, secret = rest.partition(".")
    if not (_PARTY_ID.fullmatch(org_id) and secret) or "." in secret:
        raise ValueError("not an API key")
    return org_id


def token_hash(token: str) -> str:
    """The value stored and looked up in place of `token`: SHA-256, hex.

    No salt and no slow hash: those protect guessable secrets such as passwords, and a
    256-bit random token cannot be guessed or found in a precomputed table, so a fast
    unsalted hash loses nothing and keeps the hash usable as a lookup key.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    """Compare secrets without leaking, through timing, how many leading characters match."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def session_expiry(created_at: datetime, last_seen_at: datetime, *,
                   idle: timedelta = SESSION_IDLE_TIMEOUT,
                   absolute: timedelta = SESSION_ABSOLUTE_TIMEOUT) -> datetime:
    """When a session ends: `idle` after it was last used, and never later than `absolute`
    after sign-in."""
    return min(last_seen_at + idle, created_at + absolute)


def is_session_live(created_at: datetime, last_seen_at: datetime, now: datetime, *,
                    idle: timedelta = SESSION_IDLE_TIMEOUT,
                    absolute: timedelta = SESSION_ABSOLUTE_TIMEOUT) -> bool:
    return now < session_expiry(created_at, last_seen_at, idle=idle, absolute=absolute)


def is_fresh_sign_in(signed_in_at: datetime, now: datetime) -> bool:
    """Whether a session that began at `signed_in_at` stands in for the current password now."""
    return signed_in_at <= now < signed_in_at + FRESH_SIGN_IN


@dataclass(frozen=True)
class SessionTimes:
    """The two session timeouts as one value, for configuration to carry around."""

    idle: timedelta = SESSION_IDLE_TIMEOUT
    absolute: timedelta = SESSION_ABSOLUTE_TIMEOUT

    def expiry(self, created_at: datetime, last_seen_at: datetime) -> datetime:
        return session_expiry(created_at, last_seen_at, idle=self.idle, absolute=self.absolute)

    def is_live(self, created_at: datetime, last_seen_at: datetime, now: datetime) -> bool:
        return is_session_live(created_at, last_seen_at, now, idle=self.idle, absolute=self.absolute)
