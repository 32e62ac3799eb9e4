"""The payment gateway port: what services ask of Stripe (or its simulation) and the answers.

Adapters: `simulated_payments.SimulatedGateway` (default, Stripe test-mode behaviour without a
network) and `stripe_payments.StripeGateway`. Only gateway ids and card brand/last4/expiry ever
cross this port, never card numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from chalicelib.domain import currencies
from chalicelib.domain.money import Money

ChargeStatus = Literal["succeeded", "requires_action", "failed"]


@dataclass(frozen=True)
class CardDetails:
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class SavedMethod:
    gateway_method_id: str
    card: CardDetails


@dataclass(frozen=True)
class SetupSession:
    """What the browser needs to collect a card for later off-session charges."""

    gateway_setup_id: str
    client_secret: str
    gateway_customer_id: str


@dataclass(frozen=True)
class ChargeResult:
    status: ChargeStatus
    gateway_payment_id: str | None
    amount: Money
    # The most specific Stripe reason: the decline code when a `card_declined` names one
    # (insufficient_funds), else the error code (card_declined, expired_card,
    # authentication_required, payment_intent_authentication_failure).
    failure_code: str | None = None
    failure_message: str | None = None  # a sentence the customer can read
    client_secret: str | None = None  # requires_action: what Stripe.js needs to finish 3-D Secure
    card: CardDetails | None = None
    decline_code: str | None = None  # Stripe's raw decline_code (generic_decline, ...), if any

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


class PaymentGatewayError(Exception):
    """The gateway refused a request for a reason other than a card decline
    (unknown payment, refund larger than the charge, bad API key, idempotency key reused
    with other parameters)."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code


class GatewayUnavailable(PaymentGatewayError):
    """The outcome is unknown for now: the gateway timed out or failed even after retries with
    the same idempotency key. Retrying later with that key is safe; `gateway_payment_id` is set
    when a payment exists whose outcome is still pending."""

    def __init__(self, message: str, gateway_payment_id: str | None = None):
        super().__init__(message, code="gateway_unavailable")
        self.gateway_payment_id = gateway_payment_id


class PaymentMethodRejected(PaymentGatewayError):
    """The payment method cannot be used: unknown, invalid, or another customer's."""


class PaymentGateway(Protocol):
    name: str  # "simulated" | "stripe"
    publishable_key: str | None  # for the browser (None for simulated)

    def ensure_customer(self, *, org_id: str, customer_id: str, email: str, name: str,
                        existing_gateway_customer_id: str | None, idempotency_key: str) -> str:
        """The gateway customer id, created on first use."""
        ...

    def create_setup(self, *, gateway_customer_id: str, idempotency_key: str) -> SetupSession:
        """Start collecting a card that may be charged off-session later."""
        ...

    def attach_method(self, *, gateway_customer_id: str, method_id: str) -> SavedMethod:
        """Save a payment method for the customer; raises PaymentMethodRejected."""
        ...

    def detach_method(self, *, gateway_method_id: str) -> None:
        """Forget a saved method; a method that is already gone is not an error."""
        ...

    def charge(self, *, gateway_customer_id: str, gateway_method_id: str, amount: Money,
               off_session: bool, idempotency_key: str, description: str,
               metadata: dict[str, str], save_for_future: bool = False) -> ChargeResult:
        """Charge now. Declines are results, not exceptions; raises PaymentMethodRejected,
        GatewayUnavailable, or ValueError for a non-positive amount. `save_for_future`: the
        customer keeps the card, so the charge also sets it up for off-session charges later."""
        ...

    def retrieve_payment(self, gateway_payment_id: str) -> ChargeResult:
        """The payment as the gateway knows it now; GatewayUnavailable (with its id) while its
        outcome is still unknown (processing)."""
        ...

    def cancel_payment(self, gateway_payment_id: str) -> ChargeResult:
        """Cancel a payment nobody will finish (still waiting for authentication): it can no longer
        succeed. Raises PaymentGatewayError if it cannot be cancelled (it succeeded meanwhile)."""
        ...

    def refund(self, *, gateway_payment_id: str, amount: Money, idempotency_key: str) -> str:
        """Refund part or all of a succeeded payment; returns the refund id."""
        ...


def require_chargeable(amount: Money) -> None:
    """Gateways only move positive amounts in currencies they know, in whole increments of the
    currency (Stripe refuses 12.345 KWD: three-decimal amounts must end in 0)."""
    if not isinstance(amount, Money):
        raise TypeError(f"expected Money, got {type(amount).__name__}")
    if amount.amount_minor <= 0:
        raise ValueError(f"amount must be positive, got {amount.amount_minor} {amount.currency}")
    if not currencies.is_supported(amount.currency):
        raise ValueError(f"unsupported currency {amount.currency!r}")
    currencies.to_gateway_unit(amount.amount_minor, amount.currency)   # ValueError if not whole


def most_specific_failure(code: str | None, decline_code: str | None) -> str | None:
    """Stripe says `card_declined` for most declines and puts the reason in `decline_code`."""
    if code == "card_declined" and decline_code and decline_code != "generic_decline":
        return decline_code
    return code or decline_code
