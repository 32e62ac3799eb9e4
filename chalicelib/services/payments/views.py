"""What the portal shows of a payment, wherever it appears (the payments routes, the answer of a
subscription action that charged): the payment and, while the browser must finish 3-D Secure, what
it must do (the client secret only then). The response model (handlers/responses/documents.Payment)
chooses the fields: never its idempotency key, gateway ids or version. It imports no payments use
case: a subscription action shows the charge it made without loading the payments service."""
from __future__ import annotations

from dataclasses import dataclass

from ...domain.payments import Payment, PaymentStatus


@dataclass(frozen=True)
class NextAction:
    """What the browser must do to finish a payment that requires authentication: confirm through our
    route (the simulated gateway), or through Stripe.js with the publishable key."""
    type: str
    client_secret: str | None
    confirm_path: str | None = None
    publishable_key: str | None = None


@dataclass(frozen=True)
class Shown:
    """A payment as the portal shows it; `next_action` only while it requires action."""
    payment: Payment
    next_action: NextAction | None = None


def shown(adapters, payment: Payment) -> Shown:
    if payment.status != PaymentStatus.REQUIRES_ACTION:
        return Shown(payment)
    return Shown(payment, _next_action(adapters, payment))


def _next_action(adapters, payment: Payment) -> NextAction:
    gateway = adapters.gateway
    if gateway.name == "simulated":
        return NextAction("simulated_authentication", payment.client_secret,
                          confirm_path=f"/portal/payments/{payment.payment_id}/confirm-action")
    return NextAction("stripe_confirm_card_payment", payment.client_secret, publishable_key=gateway.publishable_key)
