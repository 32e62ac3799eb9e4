"""POST /webhooks/stripe for what only Stripe knows: disputes mark the payment and tell the merchant
(the invoice stays paid), cancelled intents release their invoices, and a card the issuer renewed
refreshes the saved method. Each once, in any order."""
from chalicelib.bootstrap import adapters
from tests.support.api import Api, client
from tests.support.payments import (a_payer, a_payment_stripe_reports_on, a_saved_card, deliver, gateway_customer_of,
                                   pay, payment_intent, stripe_event, with_webhook_secret)
from tests.support.portal import Clock, emails_to, text_of


def a_dispute(payment: dict, status: str, *, amount_minor: int | None = None, event_id: str | None = None) -> str:
    kind = "charge.dispute.closed" if status in ("won", "lost", "warning_closed") else "charge.dispute.created"
    return stripe_event(kind, {"id": "dp_1", "object": "dispute", "charge": "ch_1",
                               "payment_intent": payment["gateway_payment_id"], "status": status,
                               "amount": payment["amount_minor"] if amount_minor is None else amount_minor,
                               "currency": payment["currency"].lower(), "reason": "fraudulent"}, event_id=event_id)


def merchant_notifications(payer) -> list[dict]:
    return [n for n in payer.admin.get("/admin/notifications").json["items"] if n["kind"] == "payment_disputed"]


def test_a_dispute_marks_the_payment_notifies_the_merchant_and_leaves_the_invoice_paid(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given an invoice paid by card
        api, payer, invoice, payment = a_payment_stripe_reports_on(c, monkeypatch, paid_by_card=True)

        # When the customer's bank disputes it, and Stripe sends the event twice
        event = a_dispute(payment, "needs_response", event_id="evt_dispute")
        answers = [deliver(api, event) for _ in range(2)]

        # Then the payment shows the dispute, the merchant is told once, the invoice stays paid
        assert [a.status for a in answers] == [200, 200]
        seen = payer.portal.get(f"/portal/payments/{payment['payment_id']}").json
        assert (seen["status"], seen["dispute_status"], seen["disputed_minor"]) == ("succeeded", "needs_response",
                                                                                      10000)
        [notified] = merchant_notifications(payer)
        assert "Globex" in notified["headline"] and notified["subject_id"] == payment["payment_id"]
        [told] = [m for m in emails_to(payer.merchant.org.email) if "Payment disputed" in m["Subject"]]
        assert "Respond to it in your Stripe dashboard" in text_of(told)
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "paid"


def test_a_closed_dispute_is_not_reopened_by_its_created_event_arriving_late(aws, monkeypatch):
    Clock()
    with client() as c:
        api, payer, _, payment = a_payment_stripe_reports_on(c, monkeypatch, paid_by_card=True)

        deliver(api, a_dispute(payment, "lost"))
        deliver(api, a_dispute(payment, "needs_response"))

        seen = payer.portal.get(f"/portal/payments/{payment['payment_id']}").json
        assert seen["dispute_status"] == "lost"
        assert [n["headline"].split(":")[0] for n in merchant_notifications(payer)] == ["Dispute lost"]


def test_a_cancelled_intent_releases_its_invoice_to_be_paid_again(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a payment waiting for 3-D Secure, cancelled at Stripe
        api, payer, invoice, waiting = a_payment_stripe_reports_on(c, monkeypatch)
        event = stripe_event("payment_intent.canceled", payment_intent(waiting, status="canceled"))

        # When Stripe reports the cancellation
        assert deliver(api, event).status == 200

        # Then the payment failed as cancelled, and the invoice is payable again (off-session too)
        seen = payer.portal.get(f"/portal/payments/{waiting['payment_id']}").json
        assert (seen["status"], seen["failure_code"]) == ("failed", "canceled")
        claims = adapters().uow.payments.state(payer.org_id, payer.customer_id, claim_ids=[invoice["invoice_id"]])
        assert claims.claims == {}
        again = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"})
        assert again.json["status"] == "succeeded"


def test_a_cancellation_reported_after_the_success_does_not_undo_it(aws, monkeypatch):
    Clock()
    with client() as c:
        api, payer, invoice, payment = a_payment_stripe_reports_on(c, monkeypatch, paid_by_card=True)

        deliver(api, stripe_event("payment_intent.canceled", payment_intent(payment, status="canceled")))

        assert payer.portal.get(f"/portal/payments/{payment['payment_id']}").json["status"] == "succeeded"
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "paid"


def test_a_card_the_issuer_renewed_is_refreshed(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a saved Visa expiring soon
        api = Api(c)
        payer = a_payer(api)
        saved = a_saved_card(payer)
        stored = adapters().uow.payment_methods.get(payer.org_id, payer.customer_id, saved["payment_method_id"])
        customer = gateway_customer_of(payer)
        renewed = {"id": stored.gateway_method_id, "object": "payment_method", "type": "card", "customer": customer,
                   "card": {"brand": "visa", "last4": "1881", "exp_month": 3, "exp_year": 2031}}

        # When Stripe's card updater reports its new number and expiry (twice, under both names)
        for kind in ("payment_method.automatic_updated", "payment_method.updated"):
            assert deliver(api, stripe_event(kind, renewed)).status == 200

        # Then the saved method is the renewed card, still the same method
        [method] = payer.portal.get("/portal/payment-methods").json["items"]
        assert (method["payment_method_id"], method["last4"], method["exp_month"], method["exp_year"]) == (
            saved["payment_method_id"], "1881", 3, 2031)


def test_an_update_of_a_card_not_saved_here_or_not_a_card_is_acknowledged(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        a_payer(api)
        stranger = {"id": "pm_elsewhere", "object": "payment_method", "type": "card", "customer": "cus_elsewhere",
                    "card": {"brand": "visa", "last4": "4242", "exp_month": 1, "exp_year": 2030}}
        no_card = {"id": "pm_sepa", "object": "payment_method", "type": "sepa_debit", "customer": None}

        answers = [deliver(api, stripe_event("payment_method.updated", data)) for data in (stranger, no_card)]

        assert [a.json for a in answers] == [{"received": True, "handled": True}] * 2


def test_a_dispute_event_without_its_amount_is_refused(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        event = stripe_event("charge.dispute.created", {"id": "dp_1", "object": "dispute", "status": "needs_response",
                                                        "currency": "usd", "payment_intent": "pi_1"})

        answer = deliver(api, event)

        assert answer.status == 400
