"""The key Stripe.js needs in the browser, asked by every portal's first request (`GET /portal/me`):
a module of its own, so that asking loads nothing of paying."""
from __future__ import annotations

from ...domain.errors import BusinessRuleViolation


def publishable_key(adapters) -> str | None:
    """What Stripe.js needs in the browser; None in simulated mode (and while Stripe is not configured)."""
    if adapters.settings.payments_mode != "stripe":
        return None
    try:
        return adapters.gateway.publishable_key
    except BusinessRuleViolation:   # payments_not_configured: the secret is not stored yet
        return None
