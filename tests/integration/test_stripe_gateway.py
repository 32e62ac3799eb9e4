"""StripeGateway over stripe-python, with a fake HTTP client in place of api.stripe.com:
what it sends (form fields, headers) and how it reads Stripe's answers and errors."""
from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

from chalicelib.domain.money import Money
from chalicelib.gateways.payments import (
    CardDetails, GatewayUnavailable, PaymentGatewayError, PaymentMethodRejected,
)
from chalicelib.gateways.stripe_payments import StripeGateway


@dataclass
class SentRequest:
    method: str
    path: str
    headers: dict
    form: dict  # decoded body (POST) or query (GET)


class FakeStripeHttp(stripe.HTTPClient):
    """Records what stripe-python sends and plays back canned answers in order."""

    name = "fake"

    def __init__(self, *answers):
        super().__init__()
        self.answers = list(answers)
        self.sent: list[SentRequest] = []

    def request(self, method, url, headers, post_data=None):
        parts = urlsplit(url)
        self.sent.append(SentRequest(method, parts.path, dict(headers or {}),
                                     dict(parse_qsl(post_data or parts.query or ""))))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        return json.dumps(body), status, {"Request-Id": f"req_{len(self.sent)}"}

    def _sleep_time_seconds(self, num_retries):
        return 0  # stripe-python's backoff is real time; the tests need none

    def close(self):
        pass


def ok(body: dict) -> tuple[int, dict]:
    return 200, body


def a_card(brand="visa", last4="4242", exp_month=12, exp_year=2030) -> dict:
    return {"brand": brand, "last4": last4, "exp_month": exp_month, "exp_year": exp_year}


def a_payment_method(id="pm_1Visa", customer="cus_1", **card) -> dict:
    return {"id": id, "object": "payment_method", "type": "card", "customer": customer,
            "card": a_card(**card)}


EXPANDED_VISA = "the saved visa, expanded"


def a_payment_intent(status="succeeded", *, id="pi_1", amount=10000, currency="usd",
                     payment_method=EXPANDED_VISA, last_payment_error=None) -> dict:
    return {"id": id, "object": "payment_intent", "status": status, "amount": amount,
            "currency": currency, "client_secret": f"{id}_secret_abc", "customer": "cus_1",
            "payment_method": a_payment_method() if payment_method == EXPANDED_VISA else payment_method,
            "last_payment_error": last_payment_error}


def a_card_error(code, message, *, decline_code=None, payment_intent=None) -> tuple[int, dict]:
    error = {"type": "card_error", "code": code, "message": message, "param": None,
             "payment_method": a_payment_method(last4="0002")}
    if decline_code:
        error["decline_code"] = decline_code
    if payment_intent:
        error["payment_intent"] = payment_intent
    return 402, {"error": error}


def an_invalid_request(message, *, code="resource_missing", param=None, status=400) -> tuple[int, dict]:
    return status, {"error": {"type": "invalid_request_error", "code": code, "message": message,
                              "param": param}}


def a_server_error(status=500) -> tuple[int, dict]:
    return status, {"error": {"type": "api_error", "message": "An unknown error occurred"}}


def a_timeout() -> stripe.APIConnectionError:
    # What stripe-python's own HTTP clients raise on a read timeout.
    return stripe.APIConnectionError("Request timed out", should_retry=True)


def a_gateway(http: FakeStripeHttp) -> StripeGateway:
    return StripeGateway("sk_test_123", publishable_key="pk_test_123", http_client=http)


def charge(gateway, *, off_session=True, amount=Money(10000, "USD"), key="pay_1-attempt-1"):
    return gateway.charge(gateway_customer_id="cus_1", gateway_method_id="pm_1Visa", amount=amount,
                          off_session=off_session, idempotency_key=key,
                          description="Invoice INV-00001", metadata={"payment_id": "pay_1"})


def test_it_names_itself_and_tells_the_browser_its_publishable_key():
    # Given
    gateway = a_gateway(FakeStripeHttp())

    # Then
    assert (gateway.name, gateway.publishable_key) == ("stripe", "pk_test_123")


# Customers, setup, payment methods

def test_ensure_customer_creates_a_customer_tagged_with_the_portal_ids():
    # Given
    http = FakeStripeHttp(ok({"id": "cus_N1", "object": "customer"}))

    # When
    customer = a_gateway(http).ensure_customer(
        org_id="org_1", customer_id="cus_01J", email="alice@example.com", name="Alice",
        existing_gateway_customer_id=None, idempotency_key="customer-cus_01J")

    # Then
    assert customer == "cus_N1"
    [sent] = http.sent
    assert (sent.method, sent.path) == ("post", "/v1/customers")
    assert sent.form == {"email": "alice@example.com", "name": "Alice",
                         "metadata[org_id]": "org_1", "metadata[customer_id]": "cus_01J"}
    assert sent.headers["Idempotency-Key"] == "customer-cus_01J"
    assert sent.headers["Authorization"] == "Bearer sk_test_123"


def test_ensure_customer_does_not_call_stripe_for_a_known_customer():
    # Given
    http = FakeStripeHttp()

    # When
    customer = a_gateway(http).ensure_customer(
        org_id="org_1", customer_id="cus_01J", email="a@example.com", name="Alice",
        existing_gateway_customer_id="cus_N1", idempotency_key="k")

    # Then
    assert customer == "cus_N1" and http.sent == []


def test_create_setup_asks_for_an_off_session_card_setup_intent():
    # Given
    http = FakeStripeHttp(ok({"id": "seti_1", "object": "setup_intent", "client_secret": "seti_1_secret_x"}))

    # When
    setup = a_gateway(http).create_setup(gateway_customer_id="cus_1", idempotency_key="setup-1")

    # Then
    assert (setup.gateway_setup_id, setup.client_secret, setup.gateway_customer_id) == (
        "seti_1", "seti_1_secret_x", "cus_1")
    [sent] = http.sent
    assert sent.path == "/v1/setup_intents"
    assert sent.form == {"customer": "cus_1", "usage": "off_session", "payment_method_types[0]": "card"}
    assert sent.headers["Idempotency-Key"] == "setup-1"


def test_attach_method_saves_the_card_details_only():
    # Given
    http = FakeStripeHttp(ok(a_payment_method(id="pm_1New", brand="mastercard", last4="4444",
                                              exp_month=3, exp_year=2031)))

    # When
    method = a_gateway(http).attach_method(gateway_customer_id="cus_1", method_id="pm_1New")

    # Then
    assert method.gateway_method_id == "pm_1New"
    assert method.card == CardDetails("mastercard", "4444", 3, 2031)
    [sent] = http.sent
    assert (sent.path, sent.form) == ("/v1/payment_methods/pm_1New/attach", {"customer": "cus_1"})


def test_attaching_an_unknown_method_is_rejected_with_stripes_reason():
    # Given
    http = FakeStripeHttp(an_invalid_request("No such PaymentMethod: 'pm_nope'", param="payment_method",
                                             status=404))

    # When
    with pytest.raises(PaymentMethodRejected) as rejected:
        a_gateway(http).attach_method(gateway_customer_id="cus_1", method_id="pm_nope")

    # Then
    assert (rejected.value.code, rejected.value.message) == (
        "resource_missing", "No such PaymentMethod: 'pm_nope'")


def test_attaching_a_card_the_issuer_refuses_is_rejected():
    # Given
    http = FakeStripeHttp(a_card_error("card_declined", "Your card was declined.",
                                       decline_code="generic_decline"))

    # When
    with pytest.raises(PaymentMethodRejected) as rejected:
        a_gateway(http).attach_method(gateway_customer_id="cus_1", method_id="pm_1Declined")

    # Then
    assert rejected.value.code == "card_declined"


def test_detach_method_detaches_and_tolerates_a_method_already_gone():
    # Given
    http = FakeStripeHttp(ok(a_payment_method(customer=None)),
                          an_invalid_request("The payment method you provided is not attached "
                                             "to a customer so detachment is impossible.",
                                             code="payment_method_unexpected_state"))
    gateway = a_gateway(http)

    # When
    gateway.detach_method(gateway_method_id="pm_1Visa")
    gateway.detach_method(gateway_method_id="pm_1Visa")

    # Then
    assert [sent.path for sent in http.sent] == ["/v1/payment_methods/pm_1Visa/detach"] * 2


# Charges: what is sent

def test_an_off_session_charge_sends_a_confirmed_card_payment_intent():
    # Given
    http = FakeStripeHttp(ok(a_payment_intent("succeeded")))

    # When
    charge(a_gateway(http), off_session=True, key="pay_1-attempt-1")

    # When
    [sent] = http.sent
    assert (sent.method, sent.path) == ("post", "/v1/payment_intents")
    assert sent.form == {
        "amount": "10000", "currency": "usd", "customer": "cus_1", "payment_method": "pm_1Visa",
        "payment_method_types[0]": "card", "confirm": "true", "off_session": "true",
        "description": "Invoice INV-00001", "metadata[payment_id]": "pay_1",
        "expand[0]": "payment_method",
    }
    assert sent.headers["Idempotency-Key"] == "pay_1-attempt-1"


def test_an_on_session_charge_says_so():
    # Given
    http = FakeStripeHttp(ok(a_payment_intent("succeeded")))

    # When
    charge(a_gateway(http), off_session=False)

    # Then
    assert http.sent[0].form["off_session"] == "false"


def test_the_currency_is_sent_in_lower_case_and_the_amount_in_minor_units():
    # Given
    http = FakeStripeHttp(ok(a_payment_intent("succeeded", amount=5000, currency="jpy")))

    # When
    result = charge(a_gateway(http), amount=Money(5000, "JPY"))

    # Then
    assert (http.sent[0].form["amount"], http.sent[0].form["currency"]) == ("5000", "jpy")
    assert result.amount == Money(5000, "JPY")


# Currencies on the wire: Stripe's unit, as the one currency table says (domain/currencies.py)

ON_THE_WIRE = [
    (Money(10_000, "USD"), 10_000),    # 100.00 USD: two decimals, as in ISO 4217
    (Money(5_000, "JPY"), 5_000),      # 5,000 yen: zero-decimal, whole yen
    (Money(5_000, "ISK"), 500_000),    # 5,000 krónur: zero-decimal for ISO, two-decimal on Stripe's wire
    (Money(12_340, "KWD"), 12_340),    # 12.340 KWD: three decimals, the last one 0
    (Money(12_340, "BHD"), 12_340),
]


@pytest.mark.parametrize("ours, stripes", ON_THE_WIRE)
def test_a_charge_is_sent_in_stripes_unit_and_its_answer_read_back_in_ours(ours, stripes):
    # Given Stripe answers the PaymentIntent in its own unit
    http = FakeStripeHttp(ok(a_payment_intent("succeeded", amount=stripes, currency=ours.currency.lower())))

    # When the amount is charged
    result = charge(a_gateway(http), amount=ours)

    # Then Stripe was sent its unit, and the result is in ours
    assert (http.sent[0].form["amount"], http.sent[0].form["currency"]) == (str(stripes), ours.currency.lower())
    assert result.amount == ours


@pytest.mark.parametrize("ours, stripes", ON_THE_WIRE)
def test_a_refund_is_sent_in_stripes_unit(ours, stripes):
    # Given
    http = FakeStripeHttp(ok({"id": "re_1", "object": "refund", "status": "succeeded", "amount": stripes}))

    # When
    a_gateway(http).refund(gateway_payment_id="pi_OK", amount=ours, idempotency_key="refund-1")

    # Then
    assert http.sent[0].form == {"payment_intent": "pi_OK", "amount": str(stripes)}


@pytest.mark.parametrize("ours, stripes", ON_THE_WIRE)
def test_a_retrieved_payment_and_a_declined_ones_intent_are_read_in_our_unit(ours, stripes):
    # Given a PaymentIntent Stripe reports, and a decline carrying its PaymentIntent
    intent = a_payment_intent("succeeded", amount=stripes, currency=ours.currency.lower())
    declined = a_payment_intent("requires_payment_method", amount=stripes, currency=ours.currency.lower())
    http = FakeStripeHttp(ok(intent), a_card_error("card_declined", "Your card was declined.",
                                                   decline_code="generic_decline", payment_intent=declined))

    # When
    gateway = a_gateway(http)
    retrieved, refused = gateway.retrieve_payment("pi_1"), charge(gateway, amount=ours)

    # Then
    assert retrieved.amount == ours and refused.amount == ours


@pytest.mark.parametrize("amount", [Money(12_345, "KWD"), Money(12_345, "BHD"), Money(12_345, "MGA")])
def test_an_amount_stripe_cannot_move_is_refused_before_calling_stripe(amount):
    # Given 12.345 KWD (Stripe wants three-decimal amounts to end in 0) or 123.45 MGA (whole ariary only)
    http = FakeStripeHttp()

    # When / Then neither a charge nor a refund of it reaches Stripe
    with pytest.raises(ValueError):
        charge(a_gateway(http), amount=amount)
    with pytest.raises(ValueError):
        a_gateway(http).refund(gateway_payment_id="pi_OK", amount=amount, idempotency_key="r")
    assert http.sent == []


@pytest.mark.parametrize("amount", [Money(0, "USD"), Money(-1, "USD")])
def test_a_non_positive_amount_is_refused_before_calling_stripe(amount):
    # Given
    http = FakeStripeHttp()

    # When
    with pytest.raises(ValueError):
        charge(a_gateway(http), amount=amount)

    # Then
    assert http.sent == []


# Charges: how answers are read

def test_a_succeeded_payment_intent_is_a_succeeded_charge_with_its_card():
    # Given
    http = FakeStripeHttp(ok(a_payment_intent("succeeded", id="pi_OK")))

    # When
    result = charge(a_gateway(http))

    # Then
    assert (result.status, result.gateway_payment_id, result.amount) == (
        "succeeded", "pi_OK", Money(10000, "USD"))
    assert result.card == CardDetails("visa", "4242", 12, 2030)
    assert result.failure_code is None


def test_requires_action_hands_the_client_secret_to_the_browser():
    # Given
    http = FakeStripeHttp(ok(a_payment_intent("requires_action", id="pi_3DS")))

    # When
    result = charge(a_gateway(http), off_session=False)

    # Then
    assert (result.status, result.client_secret) == ("requires_action", "pi_3DS_secret_abc")


def test_a_declined_card_is_a_failed_charge_with_stripes_code_and_message():
    # Given
    declined_intent = a_payment_intent("requires_payment_method", id="pi_DECLINED", payment_method=None)
    http = FakeStripeHttp(a_card_error("card_declined", "Your card has insufficient funds.",
                                       decline_code="insufficient_funds", payment_intent=declined_intent))

    # When
    result = charge(a_gateway(http))

    # Then
    assert result.status == "failed"
    assert result.gateway_payment_id == "pi_DECLINED"
    assert (result.failure_code, result.decline_code, result.failure_message) == (
        "insufficient_funds", "insufficient_funds", "Your card has insufficient funds.")
    assert result.card.last4 == "0002"


def test_a_generic_decline_keeps_the_card_declined_code():
    # Given
    http = FakeStripeHttp(a_card_error("card_declined", "Your card was declined.",
                                       decline_code="generic_decline",
                                       payment_intent=a_payment_intent("requires_payment_method")))

    # When
    result = charge(a_gateway(http))

    # Then
    assert (result.failure_code, result.decline_code) == ("card_declined", "generic_decline")


def test_authentication_required_off_session_is_a_failed_charge():
    # Given
    http = FakeStripeHttp(a_card_error(
        "authentication_required", "Your card was declined. This transaction requires authentication.",
        decline_code="authentication_required",
        payment_intent=a_payment_intent("requires_payment_method", id="pi_SCA")))

    # When
    result = charge(a_gateway(http), off_session=True)

    # Then
    assert (result.status, result.failure_code, result.gateway_payment_id) == (
        "failed", "authentication_required", "pi_SCA")
    assert result.client_secret is None


def test_a_card_error_without_a_payment_intent_still_reports_the_requested_amount():
    # Given
    http = FakeStripeHttp(a_card_error("expired_card", "Your card has expired.", decline_code="expired_card"))

    # When
    result = charge(a_gateway(http), amount=Money(1234, "EUR"))

    # Then
    assert (result.status, result.failure_code, result.gateway_payment_id, result.amount) == (
        "failed", "expired_card", None, Money(1234, "EUR"))


def test_charging_a_method_stripe_does_not_know_is_rejected():
    # Given
    http = FakeStripeHttp(an_invalid_request("No such PaymentMethod: 'pm_1Visa'", param="payment_method"))

    # When / Then
    with pytest.raises(PaymentMethodRejected):
        charge(a_gateway(http))


def test_reusing_an_idempotency_key_with_other_parameters_is_a_gateway_error():
    # Given
    reused = ("Keys for idempotent requests can only be used with the same parameters "
              "they were first used with.")
    http = FakeStripeHttp((400, {"error": {"type": "idempotency_error", "message": reused}}))

    # When
    with pytest.raises(PaymentGatewayError) as error:
        charge(a_gateway(http))

    # Then
    assert not isinstance(error.value, GatewayUnavailable)


# Charges: transient failures

def test_a_server_error_is_retried_with_the_same_idempotency_key():
    # Given
    http = FakeStripeHttp(a_server_error(500), a_server_error(503),
                          ok(a_payment_intent("succeeded", id="pi_OK")))

    # When
    result = charge(a_gateway(http), key="pay_1-attempt-1")

    # Then
    assert result.gateway_payment_id == "pi_OK"
    assert [sent.headers["Idempotency-Key"] for sent in http.sent] == ["pay_1-attempt-1"] * 3
    assert http.sent[0].form == http.sent[2].form


def test_server_errors_after_the_retries_mean_the_gateway_is_unavailable():
    # Given
    http = FakeStripeHttp(a_server_error(), a_server_error(), a_server_error())

    # When
    with pytest.raises(GatewayUnavailable):
        charge(a_gateway(http))

    # Then
    assert len(http.sent) == 3


def test_a_timeout_is_retried_then_reported_as_unavailable():
    # Given
    http = FakeStripeHttp(a_timeout(), a_timeout(), a_timeout())

    # When
    with pytest.raises(GatewayUnavailable):
        charge(a_gateway(http), key="pay_1-attempt-1")

    # Then
    assert [sent.headers["Idempotency-Key"] for sent in http.sent] == ["pay_1-attempt-1"] * 3


def test_a_timeout_then_success_is_a_success():
    # When
    http = FakeStripeHttp(a_timeout(), ok(a_payment_intent("succeeded")))

    # Then
    assert charge(a_gateway(http)).status == "succeeded"


def test_rate_limiting_means_the_gateway_is_unavailable():
    # Given
    http = FakeStripeHttp((429, {"error": {"type": "invalid_request_error", "code": "rate_limit",
                                           "message": "Too many requests"}}))

    # When / Then
    with pytest.raises(GatewayUnavailable):
        charge(a_gateway(http))


class StripeAskingForRetries(FakeStripeHttp):
    """Stripe's `Stripe-Should-Retry: true` on its 429 answers, as it sends with a lock_timeout."""

    def request(self, method, url, headers, post_data=None):
        body, status, answer_headers = super().request(method, url, headers, post_data)
        return body, status, {**answer_headers, **({"stripe-should-retry": "true"} if status == 429 else {})}


def test_a_lock_timeout_is_retried_with_the_same_idempotency_key_and_the_charge_goes_through():
    # Given Stripe answering a lock_timeout, then the payment
    http = StripeAskingForRetries((429, {"error": {"type": "invalid_request_error", "code": "lock_timeout",
                                                   "message": "This object cannot be accessed right now"}}),
                                  ok(a_payment_intent("succeeded")))

    # When the gateway charges
    result = charge(a_gateway(http))

    # Then stripe-python asked again, with the same key, and the charge succeeded
    assert result.status == "succeeded"
    assert [s.headers["Idempotency-Key"] for s in http.sent] == ["pay_1-attempt-1"] * 2


def test_a_payment_still_processing_is_unavailable_with_its_id():
    # Given
    http = FakeStripeHttp(ok(a_payment_intent("processing", id="pi_SLOW")))

    # When
    with pytest.raises(GatewayUnavailable) as error:
        charge(a_gateway(http))

    # Then
    assert error.value.gateway_payment_id == "pi_SLOW"


def test_a_bad_api_key_is_a_gateway_error_not_an_outage():
    # Given
    http = FakeStripeHttp((401, {"error": {"type": "invalid_request_error",
                                           "message": "Invalid API Key provided: sk_test_***123"}}))

    # When
    with pytest.raises(PaymentGatewayError) as error:
        charge(a_gateway(http))

    # Then
    assert not isinstance(error.value, GatewayUnavailable)


# Retrieving and refunding

def test_retrieve_payment_reads_the_intent_with_its_payment_method():
    # Given
    http = FakeStripeHttp(ok(a_payment_intent("succeeded", id="pi_OK")))

    # When
    result = a_gateway(http).retrieve_payment("pi_OK")

    # Then
    assert result.status == "succeeded"
    [sent] = http.sent
    assert (sent.method, sent.path, sent.form) == ("get", "/v1/payment_intents/pi_OK",
                                                   {"expand[0]": "payment_method"})


def test_a_payment_whose_3d_secure_failed_is_failed_with_a_customer_message():
    # Given
    http = FakeStripeHttp(ok(a_payment_intent(
        "requires_payment_method", id="pi_3DS", payment_method=None,
        last_payment_error={"type": "invalid_request_error", "code": "payment_intent_authentication_failure",
                            "message": "The provided PaymentMethod has failed authentication. You can "
                                       "provide payment_method_data or a new PaymentMethod to attempt "
                                       "to fulfill this PaymentIntent again.",
                            "payment_method": a_payment_method(last4="3184")})))

    # When
    result = a_gateway(http).retrieve_payment("pi_3DS")

    # Then
    assert (result.status, result.failure_code) == ("failed", "payment_intent_authentication_failure")
    assert result.failure_message.startswith("We are unable to authenticate your payment method.")
    assert result.card.last4 == "3184"


def test_a_canceled_payment_is_failed():
    # Given
    http = FakeStripeHttp(ok(a_payment_intent("canceled")))

    # When
    result = a_gateway(http).retrieve_payment("pi_1")

    # Then
    assert (result.status, result.failure_code) == ("failed", "canceled")


def test_retrieving_an_unknown_payment_is_a_gateway_error():
    # Given
    http = FakeStripeHttp(an_invalid_request("No such payment_intent: 'pi_nope'", status=404))

    # When
    with pytest.raises(PaymentGatewayError) as error:
        a_gateway(http).retrieve_payment("pi_nope")

    # Then
    assert error.value.code == "resource_missing"


def test_refund_sends_the_payment_and_amount_with_the_idempotency_key():
    # Given
    http = FakeStripeHttp(ok({"id": "re_1", "object": "refund", "status": "succeeded", "amount": 2500}))

    # When
    refund_id = a_gateway(http).refund(gateway_payment_id="pi_OK", amount=Money(2500, "USD"),
                                       idempotency_key="refund-1")

    # Then
    assert refund_id == "re_1"
    [sent] = http.sent
    assert (sent.path, sent.form) == ("/v1/refunds", {"payment_intent": "pi_OK", "amount": "2500"})
    assert sent.headers["Idempotency-Key"] == "refund-1"


def test_a_refund_stripe_refuses_is_a_gateway_error_with_its_code():
    # Given
    http = FakeStripeHttp(an_invalid_request("Charge ch_1 has already been refunded.",
                                             code="charge_already_refunded"))

    # When
    with pytest.raises(PaymentGatewayError) as error:
        a_gateway(http).refund(gateway_payment_id="pi_OK", amount=Money(2500, "USD"), idempotency_key="r")

    # Then
    assert error.value.code == "charge_already_refunded"


def test_stripe_is_not_imported_until_the_gateway_is_used():
    # Given
    import subprocess
    import sys

    # When
    code = ("import sys; from chalicelib.gateways.stripe_payments import StripeGateway; "
            "StripeGateway('sk_test_x'); print('stripe' in sys.modules)")
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    # Then
    assert answer.stdout.strip() == "False"
