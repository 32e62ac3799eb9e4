"""Stripe webhook verification: the signature covers the raw body, so parse nothing before it."""
from __future__ import annotations

DEFAULT_TOLERANCE_SECONDS = 300


class InvalidWebhook(Exception):
    """Not a fresh, authentic Stripe event: bad or missing signature, stale timestamp, or a body
    that is not an event. The webhook answers 400 and Stripe retries later."""


def parse_event(payload: bytes | str, signature_header: str | None, secret: str,
                tolerance: int = DEFAULT_TOLERANCE_SECONDS) -> dict:
    """The verified event as plain JSON data (`id`, `type`, `data.object`, ...)."""
    import stripe  # only the webhook Lambda pays for importing stripe

    if not secret or not secret.strip():
        # A deployment mistake, not a bad request: let it surface as a server error.
        raise ValueError("no Stripe webhook signing secret is configured")
    try:
        event = stripe.Webhook.construct_event(payload, signature_header, secret, tolerance)
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhook(error.user_message) from error
    except (ValueError, AttributeError) as error:
        # ValueError: not UTF-8, not JSON, or a v2 thin event; AttributeError: JSON but not an object.
        raise InvalidWebhook("The body is not a Stripe event.") from error
    data = event.to_dict()
    if not isinstance(data.get("id"), str) or not isinstance(data.get("type"), str):
        raise InvalidWebhook("The body is not a Stripe event.")
    return data
