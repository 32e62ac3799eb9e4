"""Which gateway takes payments: the simulated one unless a Stripe secret is configured (an
environment variable locally, an SSM parameter on AWS, read only when first needed)."""
import pytest

from chalicelib import bootstrap, config
from chalicelib.domain.errors import BusinessRuleViolation
from chalicelib.gateways.simulated_payments import SimulatedGateway
from chalicelib.gateways.stripe_payments import StripeGateway
from tests.support.api import Api, client
from tests.support.payments import a_payer, an_invoice, pay
from tests.support.portal import Clock


def configured(monkeypatch, **env) -> None:
    for name in ("STRIPE_SECRET_KEY", "PORTICO_STRIPE_SECRET_PARAMETER", "STRIPE_WEBHOOK_SECRET",
                 "PORTICO_STRIPE_WEBHOOK_SECRET_PARAMETER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    bootstrap.reset()


def ssm():
    return bootstrap.adapters().client("ssm")


def test_without_a_stripe_secret_payments_are_simulated(aws, monkeypatch):
    configured(monkeypatch)

    assert isinstance(bootstrap.adapters().gateway, SimulatedGateway)
    assert bootstrap.adapters().webhook_secret is None


def test_a_secret_key_in_the_environment_switches_to_stripe(aws, monkeypatch):
    configured(monkeypatch, STRIPE_SECRET_KEY="sk_test_local", STRIPE_PUBLISHABLE_KEY="pk_test_local")

    gateway = bootstrap.adapters().gateway

    assert isinstance(gateway, StripeGateway) and gateway.publishable_key == "pk_test_local"
    assert config.settings().payments_mode == "stripe"


def test_on_aws_the_secrets_come_from_ssm_parameters_read_when_first_needed(aws, monkeypatch):
    # Given parameters named by the environment, which do not exist yet when the app configures itself
    configured(monkeypatch, PORTICO_STRIPE_SECRET_PARAMETER="/portico/stripe/secret",
               PORTICO_STRIPE_WEBHOOK_SECRET_PARAMETER="/portico/stripe/webhook")
    config.settings()

    # When they are stored, then asked for
    ssm().put_parameter(Name="/portico/stripe/secret", Value="sk_test_from_ssm", Type="SecureString")
    ssm().put_parameter(Name="/portico/stripe/webhook", Value="whsec_from_ssm", Type="SecureString")

    # Then the gateway is Stripe's, with the secret read from SSM
    assert isinstance(bootstrap.adapters().gateway, StripeGateway)
    assert bootstrap.adapters().gateway._api_key == "sk_test_from_ssm"
    assert bootstrap.adapters().webhook_secret == "whsec_from_ssm"


def test_until_the_named_parameters_are_stored_payments_and_webhooks_are_refused_and_then_work(aws, monkeypatch):
    # Given a stage naming Stripe parameters that the operator has not stored yet
    configured(monkeypatch, PORTICO_STRIPE_SECRET_PARAMETER="/portico/stripe/secret",
               PORTICO_STRIPE_WEBHOOK_SECRET_PARAMETER="/portico/stripe/webhook")

    # Then payments are not configured and no webhook can be verified (a refusal, not a crash)
    with pytest.raises(BusinessRuleViolation) as refused:
        bootstrap.adapters().gateway
    assert refused.value.code == "payments_not_configured"
    assert bootstrap.adapters().webhook_secret is None

    # When the operator stores them, the next payment and event read them: nothing was remembered
    ssm().put_parameter(Name="/portico/stripe/secret", Value="sk_test_later", Type="SecureString")
    ssm().put_parameter(Name="/portico/stripe/webhook", Value="whsec_later", Type="SecureString")
    assert bootstrap.adapters().gateway._api_key == "sk_test_later"
    assert bootstrap.adapters().webhook_secret == "whsec_later"


def test_confirming_an_authentication_by_hand_exists_only_in_simulated_mode(aws, monkeypatch):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 1000)
        waiting = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                     "payment_method": "pm_card_authenticationRequired"}).json
        configured(monkeypatch, STRIPE_SECRET_KEY="sk_test_local")

        answer = payer.portal.post(f"/portal/payments/{waiting['payment_id']}/confirm-action", {"approve": True})

        assert answer.status == 404
