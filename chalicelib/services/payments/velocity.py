"""Payment velocity limits against card testing: payments, failed payments and card additions per
customer and per organization (domain/rate_limits.py). A refused request answers 429 with
Retry-After; the merchant is notified when a limit fills, once per window. Stripe Radar scores every
charge that gets through (docs/security.md)."""
from __future__ import annotations

from datetime import datetime

from ...domain.engagement import Notification
from ...domain.errors import Throttled
from ...domain.ids import new_id
from ...tables.base import owner_key
from ..access import rate_limiting

_WHAT = {"payment": "payments", "payment_failure": "failed payments", "card_added": "new cards"}
_HEADLINE = {"payment": "payments", "payment_failure": "failed payments", "card_added": "cards added"}


def before_payment(adapters, org_id: str, customer_id: str, now: datetime) -> None:
    """Refuse a payment while the failed ones are used up; count it against the payment limits."""
    for limit_name, subject in _subjects("payment_failure", org_id, customer_id):
        rate_limiting.refuse_if_used_up(adapters, limit_name, subject, now, what=_WHAT["payment_failure"])
    _count(adapters, "payment", org_id, customer_id, now, refuse=True)


def after_payment(adapters, org_id: str, customer_id: str, status: str, now: datetime) -> None:
    """Count a payment that failed (the next ones are refused once the failures are used up)."""
    if status == "failed":
        _count(adapters, "payment_failure", org_id, customer_id, now, refuse=False)


def before_card_added(adapters, org_id: str, customer_id: str, now: datetime) -> None:
    """Count a card being added (saved or replacing another); refused once the limit is used up."""
    _count(adapters, "card_added", org_id, customer_id, now, refuse=True)


def _subjects(kind: str, org_id: str, customer_id: str) -> list[tuple[str, str]]:
    # the customer first: what one customer is refused does not count against the organization
    return [(f"{kind}_customer", owner_key(org_id, customer_id)), (f"{kind}_organization", org_id)]


def _count(adapters, kind: str, org_id: str, customer_id: str, now: datetime, *, refuse: bool) -> None:
    for limit_name, subject in _subjects(kind, org_id, customer_id):
        try:
            filled = rate_limiting.count(adapters, limit_name, subject, now, what=_WHAT[kind])
        except Throttled:
            if refuse:
                raise
            continue
        if filled:
            _notify(adapters, org_id, customer_id if limit_name.endswith("_customer") else None, kind,
                    rate_limiting.limit(adapters, limit_name), now)


def _notify(adapters, org_id: str, customer_id: str | None, kind: str, limit, now: datetime) -> None:
    who = "one customer" if customer_id else "the portal"
    headline = (f"Unusual activity: {limit.max_events} {_HEADLINE[kind]} by {who} within "
                f"{_duration(limit.window)}; further ones are refused until the period ends.")
    adapters.uow.notifications.add(org_id, Notification(
        new_id("notification", now), "velocity_limit", headline, now, customer_id=customer_id,
        subject_type="rate_limit", subject_id=limit.name))


def _duration(window) -> str:
    hours = int(window.total_seconds() // 3600)
    return "a day" if hours == 24 else "an hour" if hours == 1 else f"{hours} hours"
