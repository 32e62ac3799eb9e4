"""Named rate limits (OWASP ASVS 5.0 V2.4): the arithmetic, not the counters.

Fixed windows (`Limit`): a counter lives under `window_key(...)[0]`; the caller increments it
atomically, expires the item when the window ends, and refuses the event when the new count
`exceeds` the limit, answering 429 with `retry_after` seconds. Windows are aligned to the Unix
epoch, so every instance of the service agrees on where a window starts without sharing a clock.

Backoffs (`Backoff`): one subject's events, each beyond the free ones making the next wait twice
as long, up to a ceiling, forgotten after a quiet spell.

Anonymous traffic is only ever counted per source IP or per (organization, email), never per
organization: otherwise anyone could use up an organization's allowance and lock its customers out.
The numbers and why they were chosen are in docs/security.md.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from .lockout import FailureState

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
    # Sign-in and recovery, per source IP: an atomic cap on bursts (each sign-in costs an argon2
    # verification), generous enough for an office behind one NAT address.
    Limit("login_source", 30, timedelta(minutes=1)),
    Limit("forgot_password_source", 20, timedelta(hours=1)),
    Limit("sign_in_link_source", 20, timedelta(hours=1)),
    # Anything that sends an email or reaches a person: keeps the portal from being a spam relay.
    Limit("invite_email_customer", 5, timedelta(hours=1)),
    Limit("invite_email_organization", 200, timedelta(hours=1)),
    Limit("message_to_org_customer", 10, timedelta(hours=1)),
    Limit("forward_document_customer", 20, timedelta(hours=1)),
    Limit("review_request_customer", 3, timedelta(days=1)),
    # Payment velocity (card testing), signed-in customers only: per customer, and per organization
    # as the ceiling of a spike spread over many customers. Stripe Radar scores each charge beyond these.
    Limit("payment_customer", 10, timedelta(hours=1)),
    Limit("payment_organization", 1000, timedelta(hours=1)),
    Limit("payment_failure_customer", 5, timedelta(hours=1)),
    Limit("payment_failure_organization", 100, timedelta(hours=1)),
    Limit("card_added_customer", 5, timedelta(days=1)),
    Limit("card_added_organization", 200, timedelta(hours=1)),
)


@dataclass(frozen=True)
class Counted:
    """What one window's counter holds: its events, and the failed ones among them (payments)."""
    events: int = 0
    failures: int = 0


def configured(limit: Limit, overrides: dict[str, int]) -> Limit:
    """`limit` with the maximum the deployment configures for it (its window stays)."""
    maximum = overrides.get(limit.name)
    return limit if maximum is None else Limit(limit.name, maximum, limit.window)


def parse_overrides(text: str) -> dict[str, int]:
    """"payment_customer=20, card_added_customer=3" -> {"payment_customer": 20, ...}; ValueError
    for an unknown name or a maximum below 1. A backoff's number is its free events."""
    overrides = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        name, _, maximum = part.partition("=")
        name = name.strip()
        if name not in LIMITS and name not in BACKOFFS or not maximum.strip().isdigit() or int(maximum) < 1:
            raise ValueError(f"not a rate limit override: {part!r}")
        overrides[name] = int(maximum)
    return overrides


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff of one subject's events (requests, or failures).

    The first `free_events` cost nothing; each further one makes the next wait `base_delay`,
    doubling up to `max_delay`. The events are forgotten `forget_after` the last
    one. State is a FailureState (count, time of the last event; never locked)."""

    name: str
    free_events: int
    base_delay: timedelta
    max_delay: timedelta
    forget_after: timedelta

    def key(self, subject: str) -> str:
        return f"{self.name}#{subject}"

    def wait(self, state: FailureState, now: datetime) -> timedelta | None:
        """How long the subject must wait before its next event is admitted; None: now."""
        if state.last_failure_at is None or self._is_forgotten(state, now):
            return None
        ready_at = state.last_failure_at + self.delay_after(state.count)
        return ready_at - now if now < ready_at else None

    def after_event(self, state: FailureState, now: datetime) -> FailureState:
        count = 1 if state.last_failure_at is None or self._is_forgotten(state, now) else state.count + 1
        return FailureState(count, now)

    def delay_after(self, count: int) -> timedelta:
        over = count - self.free_events
        if over <= 0:
            return timedelta(0)
        return min(self.base_delay * 2 ** min(over - 1, 30), self.max_delay)

    def _is_forgotten(self, state: FailureState, now: datetime) -> bool:
        return now - state.last_failure_at >= self.forget_after


# Failed sign-ins from one source IP, whatever account they name: ten free (a shared office's
# typos), then 1 s doubling to a minute, so one address guesses about once a minute at most.
SIGN_IN_FAILURES_PER_SOURCE = Backoff("sign_in_failures_source", 10, timedelta(seconds=1), timedelta(minutes=1),
                                      timedelta(minutes=15))
# Reset emails per (organization, email), whoever asks: three at once, then waits of 1, 2, 4, 8, 15 minutes.
# The ceiling is half the reset link's 30 minutes, so whenever a request is refused, the link the
# last accepted one sent is still usable: others cannot keep the owner from recovering.
RESET_REQUESTS_PER_ACCOUNT = Backoff("reset_requests", 2, timedelta(minutes=1), timedelta(minutes=15),
                                     timedelta(hours=1))

# Sign-in links per (organization, email), whoever asks: the same shape, its ceiling (7 minutes)
# under half the link's 15 minutes for the same reason.
SIGN_IN_LINK_REQUESTS_PER_ACCOUNT = Backoff("sign_in_link_requests", 2, timedelta(minutes=1), timedelta(minutes=7),
                                            timedelta(hours=1))


BACKOFFS = {backoff.name: backoff for backoff in (SIGN_IN_FAILURES_PER_SOURCE, RESET_REQUESTS_PER_ACCOUNT,
                                                  SIGN_IN_LINK_REQUESTS_PER_ACCOUNT)}


def configured_backoff(backoff: Backoff, overrides: dict[str, int]) -> Backoff:
    """`backoff` with the free events the deployment configures for it (its delays stay)."""
    free = overrides.get(backoff.name)
    return backoff if free is None else replace(backoff, free_events=free)


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
