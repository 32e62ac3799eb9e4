"""Stripe's webhook: public, verified by its signature over the raw body."""
from __future__ import annotations

from .. import bootstrap
from ..bootstrap import services
from .http import STRIPE_SIGNATURE, Routes


stripe = Routes("stripe")


@stripe.route("/webhooks/stripe", "POST", response="WebhookReceipt", headers=(STRIPE_SIGNATURE,))
def stripe_webhook():
    """A Stripe event (signature verified before anything is read)."""
    from .responses.engagement import WebhookReceipt
    return WebhookReceipt.of(services().payments.receive_webhook(
        stripe.request.raw_body, stripe.header("Stripe-Signature"), bootstrap.now())).model_dump()
