"""The payment gateway over Stripe: Customers, SetupIntents, PaymentMethods, PaymentIntents, Refunds.

stripe-python retries timeouts, connection errors, 409s and 5xx twice with the same
Idempotency-Key; what still fails becomes GatewayUnavailable. Card declines are results.

Amounts cross in Stripe's unit (`stripe_amounts`): ISK is sent as 500 for 5 krónur, KWD in whole
tens of fils, and read back the same way.

Card PaymentIntents rarely stay `processing`; while one does, its outcome is unknown for now and
GatewayUnavailable carries the payment id (a later retrieval, the reconciliation job or the
payment_intent.succeeded / payment_failed webhook settles it).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

from chalicelib import tracing
from chalicelib.domain.money import Money
from chalicelib.gateways.payments import (
    CardDetails, ChargeResult, GatewayUnavailable, PaymentGatewayError, PaymentMethodRejected,
    SavedMethod, SetupSession, most_specific_failure, require_chargeable,
)
from chalicelib.gateways.stripe_amounts import from_stripe, to_stripe

if TYPE_CHECKING:
    import stripe

MAX_NETWORK_RETRIES = 2
_GENERIC_FAILURE = "The payment could not be completed. Please try another payment method."
# Stripe's messages for card errors are written for customers; these few are written for developers.
_CUSTOMER_MESSAGES = {
    "payment_intent_authentication_failure":
        "We are unable to authenticate your payment method. "
        "Please choose a different payment method and try again.",
    "canceled": "The payment was cancelled before it was confirmed; nothing was charged.",
}


class StripeGateway:
    name = "stripe"

    def __init__(self, api_key: str, *, publishable_key: str | None = None,
                 http_client: "stripe.HTTPClient | None" = None):
        self.publishable_key = publishable_key
        self._api_key = api_key
        self._http_client = http_client
        self._client: "stripe.StripeClient | None" = None

    @property
    def _api(self) -> Any:
        """The v1 services, built on first use: importing stripe is a noticeable part of a cold
        start, and most requests never touch payments."""
        if self._client is None:
            import stripe

            tracing.follow("requests")   # stripe-python calls Stripe through requests
            self._client = stripe.StripeClient(
                self._api_key, http_client=self._http_client,
                max_network_retries=MAX_NETWORK_RETRIES)
        return self._client.v1

    def ensure_customer(self, *, org_id: str, customer_id: str, email: str, name: str,
                        existing_gateway_customer_id: str | None, idempotency_key: str) -> str:
        if existing_gateway_customer_id:
            return existing_gateway_customer_id
        with _gateway_errors():
            customer = self._api.customers.create(
                {"email": email, "name": name,
                 "metadata": {"org_id": org_id, "customer_id": customer_id}},
                {"idempotency_key": idempotency_key})
        return customer.id

    def create_setup(self, *, gateway_customer_id: str, idempotency_key: str) -> SetupSession:
        with _gateway_errors():
            intent = self._api.setup_intents.create(
                {"customer": gateway_customer_id, "usage": "off_session",
                 "payment_method_types": ["card"]},
                {"idempotency_key": idempotency_key})
        return SetupSession(gateway_setup_id=intent.id, client_secret=intent.client_secret,
                            gateway_customer_id=gateway_customer_id)

    def attach_method(self, *, gateway_customer_id: str, method_id: str) -> SavedMethod:
        import stripe

        with _gateway_errors():
            try:
                method = self._api.payment_methods.attach(
                    method_id, {"customer": gateway_customer_id})
            except (stripe.CardError, stripe.InvalidRequestError) as error:
                raise PaymentMethodRejected(_message(error), code=error.code) from error
        card = _card(method)
        if card is None:
            raise PaymentMethodRejected("Only cards can be saved.", code="unsupported_payment_method")
        return SavedMethod(gateway_method_id=method.id, card=card)

    def detach_method(self, *, gateway_method_id: str) -> None:
        import stripe

        with _gateway_errors():
            try:
                self._api.payment_methods.detach(gateway_method_id)
            except stripe.InvalidRequestError:
                return None  # unknown or no longer attached: already the state we want

    def charge(self, *, gateway_customer_id: str, gateway_method_id: str, amount: Money,
               off_session: bool, idempotency_key: str, description: str,
               metadata: dict[str, str], save_for_future: bool = False) -> ChargeResult:
        import stripe

        require_chargeable(amount)
        stripe_amount, stripe_currency = to_stripe(amount)
        params = {"amount": stripe_amount, "currency": stripe_currency,
                  "customer": gateway_customer_id, "payment_method": gateway_method_id,
                  # card only: other methods could redirect, which confirm=true would refuse
                  "payment_method_types": ["card"],
                  "confirm": True, "off_session": off_session,
                  "description": description, "metadata": metadata,
                  "expand": ["payment_method"]}
        if save_for_future and not off_session:
            # The customer is here to authenticate once for later renewals too: banks then
            # accept off-session charges of this card far more often.
            params["setup_future_usage"] = "off_session"
        with _gateway_errors():
            try:
                intent = self._api.payment_intents.create(params, {"idempotency_key": idempotency_key})
            except stripe.CardError as error:
                return _declined(error, amount)
            except stripe.InvalidRequestError as error:
                if error.param == "payment_method":
                    raise PaymentMethodRejected(_message(error), code=error.code) from error
                raise
        return _result(intent)

    def retrieve_payment(self, gateway_payment_id: str) -> ChargeResult:
        with _gateway_errors():
            intent = self._api.payment_intents.retrieve(
                gateway_payment_id, {"expand": ["payment_method"]})
        return _result(intent)

    def cancel_payment(self, gateway_payment_id: str) -> ChargeResult:
        with _gateway_errors():
            intent = self._api.payment_intents.cancel(
                gateway_payment_id, {"cancellation_reason": "abandoned", "expand": ["payment_method"]})
        return _result(intent)

    def refund(self, *, gateway_payment_id: str, amount: Money, idempotency_key: str) -> str:
        require_chargeable(amount)
        stripe_amount, _ = to_stripe(amount)
        with _gateway_errors():
            refund = self._api.refunds.create(
                {"payment_intent": gateway_payment_id, "amount": stripe_amount},
                {"idempotency_key": idempotency_key})
        return refund.id


@contextmanager
def _gateway_errors() -> Iterator[None]:
    """Stripe's exceptions stop here: callers see the port's."""
    import stripe

    try:
        yield
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as error:
        raise GatewayUnavailable(f"Stripe is unavailable: {_message(error)}") from error
    except stripe.StripeError as error:
        raise PaymentGatewayError(_message(error), code=error.code) from error


def _message(error: "stripe.StripeError") -> str:
    return error.user_message or type(error).__name__


def _field(stripe_object: Any, name: str) -> Any:
    """An optional field: Stripe omits some, and an unexpanded object is only its id."""
    return None if stripe_object is None or isinstance(stripe_object, str) \
        else getattr(stripe_object, name, None)


def _card(method: Any) -> CardDetails | None:
    """Card details of an expanded PaymentMethod (None when it is only an id, or not a card)."""
    card = _field(method, "card")
    if card is None:
        return None
    return CardDetails(brand=card.brand, last4=card.last4,
                       exp_month=card.exp_month, exp_year=card.exp_year)


def _amount(intent: Any) -> Money:
    return from_stripe(intent.amount, intent.currency)


def _failed(payment_id: str | None, amount: Money, *, code: str | None, decline_code: str | None,
            message: str | None, method: Any) -> ChargeResult:
    return ChargeResult(
        "failed", payment_id, amount,
        failure_code=most_specific_failure(code, decline_code),
        failure_message=_CUSTOMER_MESSAGES.get(code or "") or message or _GENERIC_FAILURE,
        decline_code=decline_code, card=_card(method))


def _either(first: Any, second: Any) -> Any:
    return first if first is not None else second


def _declined(error: "stripe.CardError", requested: Money) -> ChargeResult:
    """A 402 card error: Stripe attaches the failed PaymentIntent and the method, when it has them."""
    details = error.error
    intent = _field(details, "payment_intent")
    return _failed(
        _field(intent, "id"), _amount(intent) if intent is not None else requested,
        code=error.code, decline_code=_field(details, "decline_code"), message=_message(error),
        method=_either(_field(details, "payment_method"), _field(intent, "payment_method")))


def _result(intent: Any) -> ChargeResult:
    if intent.status == "succeeded":
        return ChargeResult("succeeded", intent.id, _amount(intent),
                            card=_card(_field(intent, "payment_method")))
    if intent.status == "requires_action":
        return ChargeResult("requires_action", intent.id, _amount(intent),
                            client_secret=intent.client_secret,
                            card=_card(_field(intent, "payment_method")))
    if intent.status in ("requires_payment_method", "canceled"):
        last_error = _field(intent, "last_payment_error")
        return _failed(
            intent.id, _amount(intent),
            code=_field(last_error, "code") or intent.status,
            decline_code=_field(last_error, "decline_code"), message=_field(last_error, "message"),
            method=_either(_field(last_error, "payment_method"), _field(intent, "payment_method")))
    if intent.status == "processing":
        raise GatewayUnavailable(f"Payment {intent.id} is still processing.",
                                 gateway_payment_id=intent.id)
    raise PaymentGatewayError(f"Payment {intent.id} is unexpectedly {intent.status}.",
                              code="unexpected_status")
