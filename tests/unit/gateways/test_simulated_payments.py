"""SimulatedGateway answers like Stripe's test mode and remembers nothing between calls."""
import inspect

import pytest

from chalicelib.domain.money import Money
from chalicelib.gateways.payments import (
    CardDetails, PaymentGateway, PaymentGatewayError, PaymentMethodRejected,
)
from chalicelib.gateways.simulated_payments import SimulatedGateway
from chalicelib.gateways.stripe_payments import StripeGateway

CUSTOMER = "cus_sim_alice"


def a_gateway() -> PaymentGateway:
    # A fresh instance per call: like separate Lambda instances, they share nothing.
    return SimulatedGateway()


def saved(test_method_id: str, customer: str = CUSTOMER) -> str:
    return a_gateway().attach_method(gateway_customer_id=customer, method_id=test_method_id).gateway_method_id


def charge(method_id: str, *, amount=Money(10000, "USD"), off_session=True, key="charge-1",
           customer=CUSTOMER):
    return a_gateway().charge(gateway_customer_id=customer, gateway_method_id=method_id,
                              amount=amount, off_session=off_session, idempotency_key=key,
                              description="Invoice INV-1", metadata={"invoice_id": "inv_1"})


def test_it_names_itself_and_needs_no_publishable_key():
    # Given
    gateway = a_gateway()

    # Then
    assert (gateway.name, gateway.publishable_key) == ("simulated", None)


@pytest.mark.parametrize("adapter", [SimulatedGateway, StripeGateway])
def test_each_adapter_offers_every_operation_of_the_port_with_the_same_parameters(adapter):
    # Given
    operations = [name for name, member in vars(PaymentGateway).items()
                  if inspect.isfunction(member) and not name.startswith("_")]

    # Then
    for name in operations:
        port, adapted = getattr(PaymentGateway, name), getattr(adapter, name)
        assert inspect.signature(adapted) == inspect.signature(port), name


# Customers and setup

def test_ensure_customer_keeps_an_existing_gateway_customer():
    # When
    customer = a_gateway().ensure_customer(
        org_id="org_1", customer_id="cus_1", email="a@example.com", name="Alice",
        existing_gateway_customer_id="cus_sim_existing", idempotency_key="k1")

    # Then
    assert customer == "cus_sim_existing"


def test_ensure_customer_gives_the_same_id_for_the_same_customer_on_any_instance():
    # Given
    def ensure(org_id, customer_id, key):
        return a_gateway().ensure_customer(
            org_id=org_id, customer_id=customer_id, email="a@example.com", name="Alice",
            existing_gateway_customer_id=None, idempotency_key=key)

    # When
    first = ensure("org_1", "cus_1", "k1")

    # Then
    assert first.startswith("cus_sim_")
    assert ensure("org_1", "cus_1", "k2") == first
    assert ensure("org_2", "cus_1", "k1") != first


def test_create_setup_returns_a_client_secret_for_the_customer():
    # When
    setup = a_gateway().create_setup(gateway_customer_id=CUSTOMER, idempotency_key="setup-1")

    # Then
    assert setup.gateway_setup_id.startswith("seti_sim_")
    assert setup.client_secret.startswith(setup.gateway_setup_id + "_secret_")
    assert setup.gateway_customer_id == CUSTOMER
    assert a_gateway().create_setup(gateway_customer_id=CUSTOMER, idempotency_key="setup-1") == setup


# Payment methods

@pytest.mark.parametrize("test_method_id, brand, last4", [
    ("pm_card_visa", "visa", "4242"),
    ("pm_card_mastercard", "mastercard", "4444"),
    ("pm_card_amex", "amex", "8431"),
    ("pm_card_chargeDeclined", "visa", "0002"),
    ("pm_card_chargeDeclinedInsufficientFunds", "visa", "9995"),
    ("pm_card_chargeDeclinedExpiredCard", "visa", "0069"),
    ("pm_card_authenticationRequired", "visa", "3184"),
])
def test_attaching_a_stripe_test_method_saves_the_test_card(test_method_id, brand, last4):
    # When
    method = a_gateway().attach_method(gateway_customer_id=CUSTOMER, method_id=test_method_id)

    # Then
    assert method.gateway_method_id.startswith("pm_sim_")
    assert (method.card.brand, method.card.last4) == (brand, last4)
    assert 1 <= method.card.exp_month <= 12 and method.card.exp_year >= 2030


def test_the_same_card_saved_for_two_customers_gets_two_ids():
    assert saved("pm_card_visa", "cus_sim_alice") != saved("pm_card_visa", "cus_sim_bob")


def test_attaching_an_unknown_method_is_rejected():
    # When
    with pytest.raises(PaymentMethodRejected) as rejected:
        a_gateway().attach_method(gateway_customer_id=CUSTOMER, method_id="pm_card_bogus")

    # Then
    assert rejected.value.code == "resource_missing"


def test_attaching_another_customers_saved_method_is_rejected():
    # Given
    bobs_card = saved("pm_card_visa", "cus_sim_bob")

    # When / Then
    with pytest.raises(PaymentMethodRejected):
        a_gateway().attach_method(gateway_customer_id=CUSTOMER, method_id=bobs_card)


def test_detaching_is_always_accepted():
    assert a_gateway().detach_method(gateway_method_id=saved("pm_card_visa")) is None


# Charges

def test_a_saved_visa_is_charged():
    # When
    result = charge(saved("pm_card_visa"))

    # Then
    assert result.status == "succeeded"
    assert result.gateway_payment_id.startswith("pi_sim_")
    assert result.amount == Money(10000, "USD")
    assert result.card == CardDetails("visa", "4242", 12, 2034)
    assert result.failure_code is None and result.client_secret is None


def test_a_stripe_test_id_can_be_charged_without_saving_it():
    assert charge("pm_card_mastercard", off_session=False).status == "succeeded"


@pytest.mark.parametrize("test_method_id, failure_code, decline_code, message", [
    ("pm_card_chargeDeclined", "card_declined", "generic_decline", "Your card was declined."),
    ("pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds", "insufficient_funds",
     "Your card has insufficient funds."),
    ("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card", "Your card has expired."),
])
def test_declining_test_cards_fail_with_stripes_codes(test_method_id, failure_code, decline_code, message):
    # When
    result = charge(saved(test_method_id))

    # Then
    assert result.status == "failed"
    assert (result.failure_code, result.decline_code, result.failure_message) == (
        failure_code, decline_code, message)
    # Stripe keeps a failed PaymentIntent, so the attempt can be traced.
    assert result.gateway_payment_id.startswith("pi_sim_")


def test_a_card_needing_authentication_asks_the_customer_on_session():
    # When
    result = charge(saved("pm_card_authenticationRequired"), off_session=False)

    # Then
    assert result.status == "requires_action"
    assert result.client_secret.startswith(result.gateway_payment_id + "_secret_")


def test_a_card_needing_authentication_fails_off_session():
    # When
    result = charge(saved("pm_card_authenticationRequired"), off_session=True)

    # Then
    assert (result.status, result.failure_code) == ("failed", "authentication_required")
    assert result.failure_message == "Your card was declined. This transaction requires authentication."
    assert result.client_secret is None


def test_the_same_idempotency_key_gives_the_same_payment_on_any_instance():
    # Given
    method = saved("pm_card_visa")

    # When
    first, again = charge(method, key="invoice-7-attempt-1"), charge(method, key="invoice-7-attempt-1")

    # Then
    assert again == first
    assert charge(method, key="invoice-7-attempt-2").gateway_payment_id != first.gateway_payment_id


def test_charging_another_customers_method_is_rejected():
    with pytest.raises(PaymentMethodRejected):
        charge(saved("pm_card_visa", "cus_sim_bob"), customer="cus_sim_alice")


@pytest.mark.parametrize("amount", [Money(0, "USD"), Money(-100, "USD")])
def test_only_positive_amounts_are_charged(amount):
    with pytest.raises(ValueError):
        charge(saved("pm_card_visa"), amount=amount)


def test_an_amount_without_a_valid_currency_is_refused():
    # Given
    amount = Money(100, "USD")
    object.__setattr__(amount, "currency", "XYZ")  # slipped past Money's own check

    # When / Then
    with pytest.raises(ValueError):
        charge(saved("pm_card_visa"), amount=amount)


def test_zero_decimal_currencies_keep_their_minor_units():
    # When
    result = charge(saved("pm_card_visa"), amount=Money(5000, "JPY"))

    # Then
    assert a_gateway().retrieve_payment(result.gateway_payment_id).amount == Money(5000, "JPY")


# Retrieving and 3-D Secure

@pytest.mark.parametrize("test_method_id, off_session", [
    ("pm_card_visa", True), ("pm_card_chargeDeclinedInsufficientFunds", True),
    ("pm_card_authenticationRequired", False), ("pm_card_authenticationRequired", True),
])
def test_retrieving_a_payment_answers_what_the_charge_answered(test_method_id, off_session):
    # When
    result = charge(saved(test_method_id), off_session=off_session)

    # Then
    assert a_gateway().retrieve_payment(result.gateway_payment_id) == result


def test_retrieving_an_unknown_payment_fails():
    # When
    with pytest.raises(PaymentGatewayError) as error:
        a_gateway().retrieve_payment("pi_3Nothing")

    # Then
    assert error.value.code == "resource_missing"


def test_approving_3d_secure_completes_the_payment():
    # Given
    pending = charge(saved("pm_card_authenticationRequired"), off_session=False)

    # When
    result = SimulatedGateway().confirm_action(pending.gateway_payment_id, approve=True)

    # Then
    assert result.status == "succeeded"
    assert (result.gateway_payment_id, result.amount) == (pending.gateway_payment_id, pending.amount)
    assert result.card.last4 == "3184"


def test_failing_3d_secure_fails_the_payment():
    # Given
    pending = charge(saved("pm_card_authenticationRequired"), off_session=False)

    # When
    result = SimulatedGateway().confirm_action(pending.gateway_payment_id, approve=False)

    # Then
    assert (result.status, result.failure_code) == ("failed", "payment_intent_authentication_failure")
    assert result.failure_message.startswith("We are unable to authenticate your payment method.")


def test_a_payment_that_needs_no_action_cannot_be_confirmed():
    # Given
    done = charge(saved("pm_card_visa"))

    # When
    with pytest.raises(PaymentGatewayError) as error:
        SimulatedGateway().confirm_action(done.gateway_payment_id, approve=True)

    # Then
    assert error.value.code == "payment_intent_unexpected_state"


# Refunds

def refund(payment_id: str, amount: Money, key: str = "refund-1") -> str:
    return a_gateway().refund(gateway_payment_id=payment_id, amount=amount, idempotency_key=key)


def test_a_succeeded_payment_is_refunded_in_part_with_a_stable_refund_id():
    # Given
    paid = charge(saved("pm_card_visa"))

    # When
    refund_id = refund(paid.gateway_payment_id, Money(2500, "USD"))

    # Then
    assert refund_id.startswith("re_sim_")
    assert refund(paid.gateway_payment_id, Money(2500, "USD")) == refund_id


def test_refunding_more_than_was_paid_is_refused():
    # Given
    paid = charge(saved("pm_card_visa"))

    # When
    with pytest.raises(PaymentGatewayError) as error:
        refund(paid.gateway_payment_id, Money(10001, "USD"))

    # Then
    assert error.value.code == "amount_too_large"


def test_a_declined_payment_cannot_be_refunded():
    # Given
    declined = charge(saved("pm_card_chargeDeclined"))

    # When / Then
    with pytest.raises(PaymentGatewayError):
        refund(declined.gateway_payment_id, Money(100, "USD"))


def test_a_refund_must_be_positive_and_in_the_payments_currency():
    # Given
    paid = charge(saved("pm_card_visa"))

    # When / Then
    with pytest.raises(ValueError):
        refund(paid.gateway_payment_id, Money(0, "USD"))
    with pytest.raises(ValueError):
        refund(paid.gateway_payment_id, Money(100, "EUR"))


def test_a_payment_waiting_for_authentication_can_be_cancelled_and_then_is_failed():
    # Given
    pending = charge("pm_card_authenticationRequired", off_session=False)

    # When
    result = SimulatedGateway().cancel_payment(pending.gateway_payment_id)

    # Then
    assert (result.status, result.failure_code) == ("failed", "canceled")


def test_a_payment_that_needs_no_authentication_cannot_be_cancelled():
    # Given
    done = charge("pm_card_visa")

    # When / Then
    with pytest.raises(PaymentGatewayError):
        SimulatedGateway().cancel_payment(done.gateway_payment_id)
