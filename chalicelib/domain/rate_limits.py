"""Named fixed-window rate limits (OWASP ASVS 5.0 V2.4): the arithmetic, not the counters.

A counter lives under `window_key(...)[0]`; the caller increments it atomically, expires the
item when the window ends, and refuses the event when the new count `exceeds` the limit,
answering 429 with `retry_after` seconds. Windows are aligned to the Unix epoch, so every
instance of the service agrees on where a window starts without sharing a clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class Limit:
    name: str
    max_events: int
    window: timedelta

    def __post_init__(self):
        if self.max_events < 1:
            raise ValueError("a limit allows at least one event")
        if self.window < _SECOND or self.window % _SECOND:
            raise ValueError("a window is a whole number of seconds")


def _limits(*limits: Limit) -> dict[str, Limit]:
    return {limit.name: limit for limit in limits}


LIMITS = _limits(
    # Sign-in and recovery: per account slows guessing one password; per organization
    # caps credential stuffing spread across many accounts.
    Limit("login_account", 10, timedelta(minutes=15)),
    Limit("login_organization", 300, timedelta(minutes=1)),
    Limit("forgot_password_account", 3, timedelta(hours=1)),
    Limit("forgot_password_organization", 100, timedelta(hours=1)),
    # Anything that sends an email or reaches a person: keeps the portal from being a spam relay.
    Limit("invite_email_customer", 5, timedelta(hours=1)),
    Limit("invite_email_organization", 200, timedelta(hours=1)),
    Limit("message_to_org_customer", 10, timedelta(hours=1)),
    Limit("forward_document_customer", 20, timedelta(hours=1)),
    Limit("review_request_customer", 3, timedelta(days=1)),
)


def window_key(limit: Limit, subject: str, now: datetime) -> tuple[str, datetime]:
    """The counter key for `subject` in the window holding `now`, and when that window ends.

    `subject` identifies who is counted, scoped by organization and already canonical
    (e.g. "org_x#alice@example.com" with the email lower-cased): two spellings of one
    subject would get two counters and twice the allowance.
    Key: "login_account#org_x#alice@example.com#<window start, epoch seconds>".
    """
    start = _window_start(limit, now)
    key = f"{limit.name}#{subject}#{start}"
    return key, _EPOCH + (start * _SECOND) + limit.window


def retry_after(limit: Limit, now: datetime) -> int:
    """Whole seconds (at least 1) until the window holding `now` ends: the Retry-After."""
    ends_at = _EPOCH + (_window_start(limit, now) * _SECOND) + limit.window
    return max(1, _ceil_seconds(ends_at - now))


def exceeds(limit: Limit, count: int) -> bool:
    """Whether `count` events in one window (this one included) are more than allowed."""
    return count > limit.max_events


def _window_start(limit: Limit, now: datetime) -> int:
    window_seconds = limit.window // _SECOND
    # Integer arithmetic on timedeltas: exact, unlike float timestamps. A naive `now` fails here.
    elapsed_seconds = (now - _EPOCH) // _SECOND
    return elapsed_seconds - elapsed_seconds % window_seconds


def _ceil_seconds(duration: timedelta) -> int:
    return -(-duration // _SECOND)
