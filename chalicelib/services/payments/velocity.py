"""Payment velocity limits against card testing: payments, failed payments and card additions per
customer and per organization (domain/rate_limits.py). A refused request answers 429 with
Retry-After; the merchant is notified when a limit fills, once per window. Stripe Radar scores every
charge that gets through (docs/security.md).

A subject's payments and failed payments of one hour share a counter item: one conditional ADD
counts a payment and checks both limits, so checking the failures costs no read."""
from __future__ import annotations

from datetime import datetime

from ...domain.engagement import Notification
from ...domain.errors import Throttled
from ...domain.ids import new_id
from ...domain.rate_limits import Limit, retry_after, window_key
from ...tables.base import owner_key
from ..access import rate_limiting


def before_payment(adapters, org_id: str, customer_id: str, now: datetime) -> None:
    """Count a payment about to be sent to the gateway; Throttled while the payments or the failed
    payments of the customer or the organization are used up (the customer's first: what one
    customer is refused does not count against the organization)."""
    counters = adapters.uow.rate_counters
    for level, subject in _levels(org_id, customer_id):
        payments, failures = _payment_limits(adapters, level)
        key, ends_at = window_key(payments, subject, now)
        counted = counters.count_up_to(key, max_events=payments.max_events, expires_at=ends_at,
                                       max_failures=failures.max_events)
        if counted is None:
            failed_out = counters.failures_counted(key) >= failures.max_events
            raise Throttled(retry_after(payments, now), "failed payments" if failed_out else "payments")
        if counted == payments.max_events:
            _notify(adapters, org_id, _customer_of(level, customer_id), "payments", payments, now)


def after_payment(adapters, org_id: str, customer_id: str, status: str, now: datetime) -> None:
    """Count a payment that failed: once the failures are used up, the next payments are refused."""
    if status != "failed":
        return
    for level, subject in _levels(org_id, customer_id):
        payments, failures = _payment_limits(adapters, level)
        key, ends_at = window_key(payments, subject, now)
        if adapters.uow.rate_counters.count_failure(key, expires_at=ends_at) == failures.max_events:
            _notify(adapters, org_id, _customer_of(level, customer_id), "failed payments", failures, now)


def before_card_added(adapters, org_id: str, customer_id: str, now: datetime) -> None:
    """Count a card being added (saved or replacing another); Throttled once the limit is used up."""
    for level, subject in _levels(org_id, customer_id):
        if rate_limiting.count(adapters, f"card_added_{level}", subject, now, what="new cards"):
            _notify(adapters, org_id, _customer_of(level, customer_id), "cards added",
                    rate_limiting.limit(adapters, f"card_added_{level}"), now)


def _levels(org_id: str, customer_id: str) -> list[tuple[str, str]]:
    return [("customer", owner_key(org_id, customer_id)), ("organization", org_id)]


def _customer_of(level: str, customer_id: str) -> str | None:
    return customer_id if level == "customer" else None


def _payment_limits(adapters, level: str) -> tuple[Limit, Limit]:
    payments = rate_limiting.limit(adapters, f"payment_{level}")
    failures = rate_limiting.limit(adapters, f"payment_failure_{level}")
    return payments, failures


def _notify(adapters, org_id: str, customer_id: str | None, what: str, limit: Limit, now: datetime) -> None:
    who = "one customer" if customer_id else "the portal's customers"
    hours = int(limit.window.total_seconds() // 3600)
    period = "a day" if hours == 24 else "an hour" if hours == 1 else f"{hours} hours"
    headline = (f"Unusual activity: {limit.max_events} {what} by {who} within {period}; "
                f"further ones are refused until the period ends.")
    adapters.uow.notifications.add(org_id, Notification(
        new_id("notification", now), "velocity_limit", headline, now, customer_id=customer_id,
        subject_type="rate_limit", subject_id=limit.name))
