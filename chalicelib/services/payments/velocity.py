"""Payment velocity limits against card testing: payments, failed payments and card additions per
customer and per organization (domain/rate_limits.py). A refused request answers 429 with
Retry-After; the merchant is notified when a limit fills, once per window. Stripe Radar scores every
charge that gets through (docs/security.md).

A subject's payments and failed payments of one hour share a counter item, read with the payment's
other items and counted inside the transactions that write the payment: a payment in the one that
claims its invoices, on the condition that both limits have room (so a refused payment writes
nothing and costs no call of its own); a failure in the one that records it, whenever it arrives
(at once, after 3-D Secure, by webhook or found by the reconciliation)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...domain.engagement import Notification
from ...domain.errors import ConcurrentUpdate, DomainError, Throttled
from ...domain.ids import new_id
from ...domain.payments import Payment
from ...domain.rate_limits import Counted, Limit, retry_after, window_key
from ...tables.base import owner_key
from ..access import rate_limiting


@dataclass(frozen=True)
class Window:
    """One subject's payment counter for the window holding a moment: the customer's or the organization's."""
    level: str               # "customer" | "organization"
    customer_id: str | None  # whom the merchant is told about (None: the organization's spike)
    key: str
    ends_at: datetime
    payments: Limit
    failures: Limit


def windows(adapters, org_id: str, customer_id: str, now: datetime) -> list[Window]:
    """The payment counters a payment of the customer at `now` is counted under, the customer's first:
    what one customer is refused does not count against the organization."""
    found = []
    for level, subject in (("customer", owner_key(org_id, customer_id)), ("organization", org_id)):
        payments = rate_limiting.limit(adapters, f"payment_{level}")
        failures = rate_limiting.limit(adapters, f"payment_failure_{level}")
        key, ends_at = window_key(payments, subject, now)
        found.append(Window(level, customer_id if level == "customer" else None, key, ends_at, payments, failures))
    return found


def counter_keys(counted: list[Window]) -> list[str]:
    return [w.key for w in counted]


def check(counted: list[Window], state: dict[str, Counted], now: datetime) -> None:
    """Throttled if a counter, as read, has no payment left: refused before the card is looked at."""
    for window in counted:
        _refuse_if_full(window, state.get(window.key, Counted()), now)


def count_payment_in(adapters, tx, org_id: str, counted: list[Window], state: dict[str, Counted],
                     now: datetime) -> None:
    """Count a payment in its claim's transaction. A counter found full cancels the transaction
    (Throttled: nothing is written); the payment that fills one tells the merchant, in it too."""
    for window in counted:
        read = state.get(window.key, Counted())

        def refused(found: Counted, window=window) -> DomainError:
            try:
                _refuse_if_full(window, found, now)
            except Throttled as throttled:
                return throttled
            return ConcurrentUpdate("invoice")   # another payment took the last place first: read again
        adapters.uow.rate_counters.count_event_in(
            tx, window.key, counted=read, max_events=window.payments.max_events,
            max_failures=window.failures.max_events, expires_at=window.ends_at, refused=refused)
        if read.events + 1 == window.payments.max_events:
            _notify_in(adapters, tx, org_id, window.customer_id, "payments", window.payments, now)


def counts_as_failure(payment: Payment, failure_code: str) -> bool:
    """A portal payment the gateway refused (at once, after 3-D Secure, by webhook or found by the
    reconciliation) counts against the failed payments; one replaced by the customer's next attempt
    was never refused, and scheduled charges are not the signed-in customer's doing."""
    return payment.source == "portal" and failure_code != "abandoned"


def count_failure_in(adapters, tx, org_id: str, counted: list[Window], state: dict[str, Counted],
                     now: datetime) -> None:
    """Count a failed payment in the transaction that records the failure (so once per payment,
    however often the failure is reported); the failure that fills a limit tells the merchant."""
    for window in counted:
        read = state.get(window.key, Counted())
        adapters.uow.rate_counters.count_failure_in(tx, window.key, counted=read,
                                                    max_failures=window.failures.max_events,
                                                    expires_at=window.ends_at)
        if read.failures + 1 == window.failures.max_events:
            _notify_in(adapters, tx, org_id, window.customer_id, "failed payments", window.failures, now)


def count_refused_card(adapters, org_id: str, counted: list[Window], now: datetime) -> None:
    """Count a card the gateway refused to attach for a payment that was never made (the customer
    asked to save it): a card test all the same, so a failed payment."""
    for window in counted:
        failures = adapters.uow.rate_counters.count_failure(window.key, expires_at=window.ends_at)
        if failures == window.failures.max_events:
            _notify_in(adapters, None, org_id, window.customer_id, "failed payments", window.failures, now)


def _refuse_if_full(window: Window, found: Counted, now: datetime) -> None:
    if found.failures >= window.failures.max_events:
        raise Throttled(retry_after(window.payments, now), "failed payments")
    if found.events >= window.payments.max_events:
        raise Throttled(retry_after(window.payments, now), "payments")


def before_card_added(adapters, org_id: str, customer_id: str, now: datetime) -> None:
    """Count a card being added (saved or replacing another); Throttled once the limit is used up."""
    for level, subject in _levels(org_id, customer_id):
        if rate_limiting.count(adapters, f"card_added_{level}", subject, now, what="new cards"):
            _notify_in(adapters, None, org_id, _customer_of(level, customer_id), "cards added",
                    rate_limiting.limit(adapters, f"card_added_{level}"), now)


def _levels(org_id: str, customer_id: str) -> list[tuple[str, str]]:
    return [("customer", owner_key(org_id, customer_id)), ("organization", org_id)]


def _customer_of(level: str, customer_id: str) -> str | None:
    return customer_id if level == "customer" else None


def _notify_in(adapters, tx, org_id: str, customer_id: str | None, what: str, limit: Limit, now: datetime) -> None:
    who = "one customer" if customer_id else "the portal's customers"
    hours = int(limit.window.total_seconds() // 3600)
    period = "a day" if hours == 24 else "an hour" if hours == 1 else f"{hours} hours"
    headline = (f"Unusual activity: {limit.max_events} {what} by {who} within {period}; "
                f"further ones are refused until the period ends.")
    adapters.uow.notifications.add(org_id, Notification(
        new_id("notification", now), "velocity_limit", headline, now, customer_id=customer_id,
        subject_type="rate_limit", subject_id=limit.name), tx)
