"""A payment's answer is built from the typed result by its response model, in the shape the portal
has always been answered with: the next action only while one is needed, and only its gateway's part."""
from chalicelib.domain.payments import PaymentStatus
from chalicelib.handlers.http import plain
from chalicelib.handlers.responses.documents import Payment
from chalicelib.handlers.responses.engagement import WebhookReceipt
from chalicelib.services.payments.views import NextAction, Shown
from chalicelib.services.payments.webhooks import Delivery
from tests.support.domain_builders import a_payment, an_invoice


def answer(shown: Shown) -> dict:
    return plain(Payment.of(shown).model_dump())


def test_a_settled_payment_is_answered_without_a_next_action():
    paid = answer(Shown(a_payment(an_invoice())))

    assert "next_action" not in paid
    assert list(paid)[:5] == ["payment_id", "status", "amount_minor", "currency", "currency_exponent"]


def test_the_simulated_gateway_s_next_action_names_its_confirm_path_and_no_publishable_key():
    waiting = a_payment(an_invoice(), status=PaymentStatus.REQUIRES_ACTION, client_secret="pi_1_secret")

    shown = answer(Shown(waiting, NextAction("simulated_authentication", "pi_1_secret", confirm_path="/portal/x")))

    assert shown["next_action"] == {"type": "simulated_authentication", "client_secret": "pi_1_secret",
                                    "confirm_path": "/portal/x"}


def test_stripe_s_next_action_names_its_publishable_key_even_when_none_is_configured():
    waiting = a_payment(an_invoice(), status=PaymentStatus.REQUIRES_ACTION, client_secret="pi_1_secret")

    shown = answer(Shown(waiting, NextAction("stripe_confirm_card_payment", "pi_1_secret")))

    assert shown["next_action"] == {"type": "stripe_confirm_card_payment", "client_secret": "pi_1_secret",
                                    "publishable_key": None}


def test_a_webhook_receipt_says_only_what_became_of_the_event():
    assert WebhookReceipt.of(Delivery.DUPLICATE).model_dump() == {"received": True, "duplicate": True}
    assert WebhookReceipt.of(Delivery.IGNORED).model_dump() == {"received": True, "handled": False}
    assert WebhookReceipt.of(Delivery.HANDLED).model_dump() == {"received": True, "handled": True}
