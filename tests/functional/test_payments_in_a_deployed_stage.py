"""A deployed stage without Stripe takes no money on the simulated gateway unless its template allows
it (AllowSimulatedPayments): nothing that starts a payment is accepted, nothing is written, the
portal still says which mode it is in, and a renewal's charge waits instead of failing the customer."""
from datetime import timedelta

import pytest

from chalicelib import bootstrap
from tests.support.api import NOW, Api, client
from tests.support.payments import a_payer, an_invoice, pay
from tests.support.portal import Clock, emails_to
from tests.support.subscriptions import a_shop


@pytest.fixture
def deployed(monkeypatch):
    """Settings as in a Lambda of a stage deployed without Stripe keys."""
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "portico-prod-APIHandler")
    monkeypatch.delenv("PORTICO_ALLOW_SIMULATED_PAYMENTS", raising=False)
    bootstrap.reset()
    yield
    monkeypatch.undo()
    bootstrap.reset()


def test_without_the_switch_a_payment_a_card_setup_and_a_saved_card_are_refused_and_nothing_is_written(aws, deployed):
    Clock()
    with client() as c:
        # Given a customer with an open invoice, in a stage deployed without Stripe
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)

        # When she tries to pay it, to start saving a card, and to save one
        paid = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"})
        setup = payer.portal.post("/portal/payment-methods/setup")
        saved = payer.portal.post("/portal/payment-methods", {"payment_method": "pm_card_visa"})
        me = payer.portal.get("/portal/me")

        # Then each is refused with the same reason, and no payment exists, the invoice is still open
        assert [a.status for a in (paid, setup, saved)] == [422, 422, 422]
        assert {a.json["error"]["code"] for a in (paid, setup, saved)} == {"payments_not_configured"}
        assert payer.portal.get("/portal/payments").json["items"] == []
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "open"
        assert payer.portal.get("/portal/payment-methods").json["items"] == []
        # and the portal still says it runs on the simulated gateway
        assert me.status == 200 and me.json["payments_mode"] == "simulated"


def test_with_the_switch_the_simulated_gateway_takes_test_cards(aws, deployed, monkeypatch):
    # Given a demo stage deployed with AllowSimulatedPayments=true
    monkeypatch.setenv("PORTICO_ALLOW_SIMULATED_PAYMENTS", "true")
    bootstrap.reset()
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)

        # When the customer pays with a test card
        paid = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"})

    # Then it goes through
    assert paid.status == 201 and paid.json["status"] == "succeeded", paid.json


def test_a_renewal_charge_waits_for_payments_to_be_set_up_instead_of_dunning_the_customer(aws, monkeypatch):
    with client() as c:
        # Given a subscription charged to a saved card, its term ending now (saved while payments worked)
        shop = a_shop(c)
        card = shop.saved_card()
        sub = shop.subscription(auto_charge=True, payment_method_id=card, term_start=NOW - timedelta(days=30),
                                term_end=NOW)
        # When the stage is then deployed without Stripe nor the switch, and the due work runs
        monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "portico-prod-RunDueWork")
        bootstrap.reset()
        Clock(NOW + timedelta(hours=1))
        report = bootstrap.services().subscriptions.run_due("live", NOW + timedelta(hours=1))
        monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
        bootstrap.reset()
        after = bootstrap.adapters().uow.subscriptions.get(shop.acme.org.org_id, shop.zoe.customer_id,
                                                           sub["subscription_id"])

    # Then the run counts it as failed (the job's alarm), and the customer is neither dunned nor emailed
    assert report.failed == [sub["subscription_id"]]
    assert after.status.value == "live" and after.dunning_attempts == 0
    assert [m["Subject"] for m in emails_to(shop.zoe.email) if "payment" in m["Subject"].lower()] == []
