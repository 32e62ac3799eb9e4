"""A payment gateway that answers like Stripe's test mode, without a network or any state.

It runs in several Lambda instances at once, so it remembers nothing: every id is derived from
a hash of what made it (the idempotency key, the customer), and a payment id carries what later
calls need to answer about it (test card, on/off session, amount), e.g.
`pi_sim_<hash of key>_visa_off_10000usd`. The same idempotency key therefore always yields the
same payment and the same outcome.

Test PaymentMethod ids are Stripe's: pm_card_visa, pm_card_mastercard, pm_card_amex (succeed),
pm_card_chargeDeclined, pm_card_chargeDeclinedInsufficientFunds, pm_card_chargeDeclinedExpiredCard
(declined) and pm_card_authenticationRequired (3-D Secure). Attaching one gives
`pm_sim_<card>_<hash of customer>`, which keeps the test card's behaviour.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from chalicelib.domain import currencies
from chalicelib.domain.money import Money
from chalicelib.gateways.payments import (
    CardDetails, ChargeResult, PaymentGatewayError, PaymentMethodRejected, SavedMethod,
    SetupSession, most_specific_failure, require_chargeable,
)

# Stripe's test PaymentMethods expire in the future; a fixed date keeps answers reproducible.
_EXP_MONTH, _EXP_YEAR = 12, 2034


@dataclass(frozen=True)
class _Decline:
    code: str
    message: str
    decline_code: str | None = None


@dataclass(frozen=True)
class _TestCard:
    card: CardDetails
    decline: _Decline | None = None
    requires_authentication: bool = False


def _card(brand: str, last4: str) -> CardDetails:
    return CardDetails(brand=brand, last4=last4, exp_month=_EXP_MONTH, exp_year=_EXP_YEAR)


_TEST_CARDS = {
    "visa": _TestCard(_card("visa", "4242")),
    "mastercard": _TestCard(_card("mastercard", "4444")),
    "amex": _TestCard(_card("amex", "8431")),
    "chargeDeclined": _TestCard(_card("visa", "0002"), _Decline(
        "card_declined", "Your card was declined.", "generic_decline")),
    "chargeDeclinedInsufficientFunds": _TestCard(_card("visa", "9995"), _Decline(
        "card_declined", "Your card has insufficient funds.", "insufficient_funds")),
    "chargeDeclinedExpiredCard": _TestCard(_card("visa", "0069"), _Decline(
        "expired_card", "Your card has expired.", "expired_card")),
    "authenticationRequired": _TestCard(_card("visa", "3184"), requires_authentication=True),
}

_OFF_SESSION_AUTHENTICATION = _Decline(
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
    "authentication_required")
# Stripe's own message for this code is meant for developers; this is the one Stripe.js shows.
_FAILED_AUTHENTICATION = _Decline(
    "payment_intent_authentication_failure",
    "We are unable to authenticate your payment method. "
    "Please choose a different payment method and try again.")

_TEST_METHOD_ID = re.compile(r"pm_card_(?P<card>[A-Za-z]+)")
_SAVED_METHOD_ID = re.compile(r"pm_sim_(?P<card>[A-Za-z]+)_(?P<owner>[0-9a-f]{12})")
_PAYMENT_ID = re.compile(
    r"pi_sim_(?P<key>[0-9a-f]{20})_(?P<card>[A-Za-z]+)_(?P<session>on|off)"
    r"_(?P<amount>[1-9][0-9]*)(?P<currency>[a-z]{3})")


def _digest(*parts: str, length: int = 20) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class _Payment:
    """Everything about a simulated payment, as spelled in its id."""

    key_digest: str
    card_name: str
    off_session: bool
    amount: Money

    @property
    def id(self) -> str:
        session = "off" if self.off_session else "on"
        return (f"pi_sim_{self.key_digest}_{self.card_name}_{session}_"
                f"{self.amount.amount_minor}{self.amount.currency.lower()}")

    @property
    def test_card(self) -> _TestCard:
        return _TEST_CARDS[self.card_name]

    @property
    def awaits_authentication(self) -> bool:
        return self.test_card.requires_authentication and not self.off_session

    @classmethod
    def parse(cls, gateway_payment_id: str) -> "_Payment":
        match = _PAYMENT_ID.fullmatch(gateway_payment_id or "")
        if match and match["card"] in _TEST_CARDS and currencies.is_supported(match["currency"].upper()):
            amount = Money(int(match["amount"]), match["currency"].upper())
            return cls(match["key"], match["card"], match["session"] == "off", amount)
        raise PaymentGatewayError(f"No such payment_intent: '{gateway_payment_id}'",
                                  code="resource_missing")

    def outcome(self) -> ChargeResult:
        card = self.test_card
        if card.decline:
            return self.failed(card.decline)
        if card.requires_authentication:
            if self.off_session:
                return self.failed(_OFF_SESSION_AUTHENTICATION)
            return ChargeResult("requires_action", self.id, self.amount, card=card.card,
                                client_secret=f"{self.id}_secret_{_digest(self.id, 'secret', length=24)}")
        return self.succeeded()

    def succeeded(self) -> ChargeResult:
        return ChargeResult("succeeded", self.id, self.amount, card=self.test_card.card)

    def failed(self, decline: _Decline) -> ChargeResult:
        return ChargeResult(
            "failed", self.id, self.amount, card=self.test_card.card,
            failure_code=most_specific_failure(decline.code, decline.decline_code),
            failure_message=decline.message, decline_code=decline.decline_code)


_CANCELED = _Decline("canceled", "The payment was cancelled before it was confirmed; nothing was charged.")


class SimulatedGateway:
    name = "simulated"
    publishable_key: str | None = None

    def ensure_customer(self, *, org_id: str, customer_id: str, email: str, name: str,
                        existing_gateway_customer_id: str | None, idempotency_key: str) -> str:
        if existing_gateway_customer_id:
            return existing_gateway_customer_id
        return f"cus_sim_{_digest(org_id, customer_id)}"

    def create_setup(self, *, gateway_customer_id: str, idempotency_key: str) -> SetupSession:
        setup_id = f"seti_sim_{_digest(idempotency_key)}"
        return SetupSession(
            gateway_setup_id=setup_id,
            client_secret=f"{setup_id}_secret_{_digest(setup_id, 'secret', length=24)}",
            gateway_customer_id=gateway_customer_id)

    def attach_method(self, *, gateway_customer_id: str, method_id: str) -> SavedMethod:
        card_name = self._card_name(method_id, gateway_customer_id)
        return SavedMethod(
            gateway_method_id=f"pm_sim_{card_name}_{self._owner(gateway_customer_id)}",
            card=_TEST_CARDS[card_name].card)

    def detach_method(self, *, gateway_method_id: str) -> None:
        return None  # nothing is stored, so nothing stays attached

    def charge(self, *, gateway_customer_id: str, gateway_method_id: str, amount: Money,
               off_session: bool, idempotency_key: str, description: str,
               metadata: dict[str, str], save_for_future: bool = False) -> ChargeResult:
        require_chargeable(amount)
        least = currencies.minimum_charge_minor(amount.currency)
        if least is not None and amount.amount_minor < least:   # as Stripe refuses it, before any card
            raise PaymentGatewayError(f"Amount must be at least {currencies.plain_text(least, amount.currency)} "
                                      f"{amount.currency.lower()}", code="amount_too_small")
        card_name = self._card_name(gateway_method_id, gateway_customer_id)
        return _Payment(_digest(idempotency_key), card_name, off_session, amount).outcome()

    def retrieve_payment(self, gateway_payment_id: str) -> ChargeResult:
        """What the payment answered when it was made. Without state, a 3-D Secure payment
        stays `requires_action` here: record the result of `confirm_action` instead."""
        return _Payment.parse(gateway_payment_id).outcome()

    def confirm_action(self, gateway_payment_id: str, approve: bool) -> ChargeResult:
        """The customer completes (approve) or fails 3-D Secure for a `requires_action` payment."""
        payment = _Payment.parse(gateway_payment_id)
        if not payment.awaits_authentication:
            raise PaymentGatewayError(
                f"The payment {gateway_payment_id} does not require an action.",
                code="payment_intent_unexpected_state")
        return payment.succeeded() if approve else payment.failed(_FAILED_AUTHENTICATION)

    def cancel_payment(self, gateway_payment_id: str) -> ChargeResult:
        """Only a payment waiting for authentication can be cancelled (as at Stripe)."""
        payment = _Payment.parse(gateway_payment_id)
        if not payment.awaits_authentication:
            raise PaymentGatewayError(
                f"The payment {gateway_payment_id} cannot be cancelled.", code="payment_intent_unexpected_state")
        return payment.failed(_CANCELED)

    def refund(self, *, gateway_payment_id: str, amount: Money, idempotency_key: str) -> str:
        require_chargeable(amount)
        payment = _Payment.parse(gateway_payment_id)
        if amount.currency != payment.amount.currency:
            raise ValueError(f"cannot refund {amount.currency} on a {payment.amount.currency} payment")
        # A 3-D Secure payment may have been approved since; without state, give it the benefit.
        if not (payment.outcome().succeeded or payment.awaits_authentication):
            raise PaymentGatewayError(
                f"The payment {gateway_payment_id} has no successful charge to refund.",
                code="payment_intent_unexpected_state")
        if amount.amount_minor > payment.amount.amount_minor:
            raise PaymentGatewayError(
                f"Refund amount ({amount.format()}) is greater than the payment "
                f"({payment.amount.format()}).", code="amount_too_large")
        return f"re_sim_{_digest(idempotency_key)}"

    @staticmethod
    def _owner(gateway_customer_id: str) -> str:
        return _digest(gateway_customer_id, length=12)

    def _card_name(self, method_id: str, gateway_customer_id: str) -> str:
        """The test card behind a Stripe test id or a method saved for this customer."""
        test = _TEST_METHOD_ID.fullmatch(method_id or "")
        if test and test["card"] in _TEST_CARDS:
            return test["card"]
        saved = _SAVED_METHOD_ID.fullmatch(method_id or "")
        if saved and saved["card"] in _TEST_CARDS:
            if saved["owner"] != self._owner(gateway_customer_id):
                raise PaymentMethodRejected(
                    "The payment method belongs to another customer.", code="resource_missing")
            return saved["card"]
        raise PaymentMethodRejected(f"No such PaymentMethod: '{method_id}'", code="resource_missing")
