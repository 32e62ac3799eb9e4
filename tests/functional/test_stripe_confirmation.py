"""A 3-D Secure payment is settled by asking Stripe, not by waiting for its call: the browser's
POST /portal/payments/{id}/confirm and the reconcile_payments job retrieve the
PaymentIntent (StripeGateway over a fake Stripe), and the webhook, arriving before or after, ends
in the same state. A card saved while paying is set up for off-session charges."""
from chalicelib.bootstrap import adapters
from tests.support.api import Api, client
from tests.support.payments import (a_3ds_payment_at_stripe, a_payer, an_invoice, deliver, pay, paying_with_3d_secure,
                                   stripe_event, with_stripe, with_webhook_secret)
from tests.support.portal import Clock
from tests.support.stripe_fake import PUBLISHABLE_KEY, FakeStripe


def intent_of(payer, payment: dict) -> str:
    return adapters().uow.payments.get(payer.org_id, payer.customer_id, payment["payment_id"]).gateway_payment_id


def confirm(payer, payment: dict):
    return payer.portal.post(f"/portal/payments/{payment['payment_id']}/confirm")


def invoice_status(payer, invoice: dict) -> str:
    return adapters().uow.invoices.get(payer.org_id, payer.customer_id, invoice["invoice_id"]).status.value


def succeeded_event(stripe: FakeStripe, intent_id: str) -> str:
    return stripe_event("payment_intent.succeeded", stripe.intents[intent_id])


def reconcile(c) -> dict:
    event = c.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])
    return c.lambda_.invoke("reconcile_payments", event).payload


def test_the_browser_confirming_after_3d_secure_settles_the_payment_from_stripes_answer(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a payment waiting for 3-D Secure, which the customer then passed in Stripe.js
        stripe, payer, invoice, payment = a_3ds_payment_at_stripe(c, monkeypatch)
        assert payment["next_action"]["publishable_key"] == PUBLISHABLE_KEY
        stripe.finish(intent_of(payer, payment), "succeeded")

        # When the browser asks the server to confirm it
        answer = confirm(payer, payment)

        # Then the server retrieved the PaymentIntent and the invoice is paid
        assert answer.status == 200 and answer.json["status"] == "succeeded", answer.json
        assert stripe.form_of("GET", rf"/v1/payment_intents/{intent_of(payer, payment)}")
        assert invoice_status(payer, invoice) == "paid"


def test_while_the_bank_has_not_answered_the_payment_stays_waiting_and_nothing_is_released(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a payment whose intent Stripe still reports as processing
        stripe, payer, invoice, payment = a_3ds_payment_at_stripe(c, monkeypatch)
        stripe.finish(intent_of(payer, payment), "processing")

        # When the browser confirms
        answer = confirm(payer, payment)

        # Then it is still waiting, not failed, and the invoice is still to be paid by it
        assert answer.json["status"] == "requires_action", answer.json
        assert answer.json["failure_code"] is None and invoice_status(payer, invoice) == "open"
        stripe.finish(intent_of(payer, payment), "succeeded")
        assert confirm(payer, payment).json["status"] == "succeeded"


def test_a_failed_authentication_is_failed_and_the_invoice_payable_again(aws, monkeypatch):
    Clock()
    with client() as c:
        stripe, payer, invoice, payment = a_3ds_payment_at_stripe(c, monkeypatch)
        stripe.finish(intent_of(payer, payment), "requires_payment_method")

        answer = confirm(payer, payment)

        assert answer.json["status"] == "failed"
        assert answer.json["failure_code"] == "payment_intent_authentication_failure"
        stripe.authenticate = False
        again = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_1NewCard"})
        assert again.json["status"] == "succeeded" and invoice_status(payer, invoice) == "paid"


def test_confirm_then_webhook_and_webhook_then_confirm_end_in_the_same_state(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        stripe = with_stripe(monkeypatch)
        outcomes = []
        for order, email in (("confirm first", "zoe@globex.example"), ("webhook first", "ann@globex.example")):
            # Given a payment the customer authenticated
            payer = a_payer(api, email=email, org_name=f"Acme {order}")
            invoice = an_invoice(payer, 10000)
            payment = paying_with_3d_secure(payer, invoice)
            intent_id = intent_of(payer, payment)
            stripe.finish(intent_id, "succeeded")

            # When the browser's confirmation and Stripe's event both arrive, in either order
            if order == "confirm first":
                confirm(payer, payment)
                deliver(api, succeeded_event(stripe, intent_id))
            else:
                deliver(api, succeeded_event(stripe, intent_id))
                confirm(payer, payment)

            # Then the payment settled once
            seen = payer.portal.get(f"/portal/payments/{payment['payment_id']}").json
            activity = payer.admin.get(f"/admin/customers/{payer.customer_id}/activity").json["items"]
            outcomes.append((seen["status"], invoice_status(payer, invoice),
                             sorted(a["action"] for a in activity if a["subject_type"] == "payment"),
                             len(payer.admin.get("/admin/notifications").json["items"])))
        assert outcomes[0] == outcomes[1] == ("succeeded", "paid", ["payment.succeeded"], 1)


def test_retrying_the_payment_after_confirmation_answers_it_as_it_is_now(aws, monkeypatch):
    Clock()
    with client() as c:
        stripe, payer, invoice, payment = a_3ds_payment_at_stripe(c, monkeypatch, key="click-after-3ds")
        stripe.finish(intent_of(payer, payment), "succeeded")
        confirm(payer, payment)

        retried = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_1NewCard"},
                      key="click-after-3ds")

        assert (retried.json["payment_id"], retried.json["status"]) == (payment["payment_id"], "succeeded")
        assert len(stripe.form_of("POST", "/v1/payment_intents")) == 1


def test_another_customers_payment_cannot_be_confirmed(aws, monkeypatch):
    Clock()
    with client() as c:
        with_stripe(monkeypatch)
        api = Api(c)
        payer = a_payer(api)
        other = a_payer(api, email="ann@globex.example", merchant=payer.merchant)
        payment = paying_with_3d_secure(payer, an_invoice(payer, 10000))

        assert confirm(other, payment).status == 404


def test_the_job_settles_a_payment_left_waiting_by_asking_stripe(aws, monkeypatch):
    clock = Clock()
    with client() as c:
        # Given a customer who authenticated but closed the page, and a webhook that never came
        stripe, payer, invoice, payment = a_3ds_payment_at_stripe(c, monkeypatch)
        stripe.finish(intent_of(payer, payment), "succeeded")

        # When the job runs before and after the payment has waited 15 minutes
        early = reconcile(c)
        clock.advance(minutes=16)
        later = reconcile(c)

        # Then only the later run asked Stripe, and settled it
        assert early["settled"] == [] and later["settled"] == [payment["payment_id"]]
        assert invoice_status(payer, invoice) == "paid"


def test_a_payment_nobody_authenticates_is_cancelled_at_stripe_and_its_invoice_released(aws, monkeypatch):
    clock = Clock()
    with client() as c:
        stripe, payer, invoice, payment = a_3ds_payment_at_stripe(c, monkeypatch)
        intent_id = intent_of(payer, payment)

        clock.advance(minutes=30)
        assert reconcile(c)["waiting"] == 1   # the customer may still come back
        clock.advance(hours=23)
        report = reconcile(c)

        assert report["settled"] == [payment["payment_id"]]
        assert stripe.intents[intent_id]["status"] == "canceled"
        cancelled = adapters().uow.payments.get(payer.org_id, payer.customer_id, payment["payment_id"])
        assert (cancelled.status.value, cancelled.failure_code) == ("failed", "canceled")
        assert invoice_status(payer, invoice) == "open"
        assert list(adapters().uow.payments.awaiting_gateway_since(clock.now)) == []


def test_a_card_saved_while_paying_is_set_up_for_off_session_charges(aws, monkeypatch):
    Clock()
    with client() as c:
        stripe = with_stripe(monkeypatch, authenticate=False)
        payer = a_payer(Api(c))
        kept, once = an_invoice(payer, 10000), an_invoice(payer, 5000)

        pay(payer.portal, {"invoice_ids": [kept["invoice_id"]], "payment_method": "pm_1Kept", "save_for_future": True})
        pay(payer.portal, {"invoice_ids": [once["invoice_id"]], "payment_method": "pm_1Once"})

        saving, not_saving = stripe.form_of("POST", "/v1/payment_intents")
        assert saving["setup_future_usage"] == "off_session" and saving["off_session"] == "false"
        assert "setup_future_usage" not in not_saving


def test_me_gives_the_browser_the_publishable_key_only_with_stripe(aws, monkeypatch):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        assert payer.portal.get("/portal/me").json["stripe_publishable_key"] is None

        from chalicelib import config
        monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_portico")
        config.reload()
        with_stripe(monkeypatch)

        assert payer.portal.get("/portal/me").json["stripe_publishable_key"] == PUBLISHABLE_KEY


def test_paying_another_way_cancels_the_payment_left_waiting_at_stripe_before_charging_again(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a payment waiting for 3-D Secure that the customer leaves
        stripe, payer, invoice, waiting = a_3ds_payment_at_stripe(c, monkeypatch)
        left = intent_of(payer, waiting)

        # When they pay the invoice again with a card that needs no authentication
        stripe.authenticate = False
        again = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_1OtherCard"})

        # Then the first intent was cancelled at Stripe before the second was created, and is abandoned
        assert again.json["status"] == "succeeded", again.json
        calls = [(s.method, s.path) for s in stripe.sent]
        cancelled = calls.index(("POST", f"/v1/payment_intents/{left}/cancel"))
        assert ("POST", "/v1/payment_intents") in calls[cancelled:]
        assert stripe.intents[left]["status"] == "canceled"
        first = payer.portal.get(f"/portal/payments/{waiting['payment_id']}").json
        assert first["status"] == "failed" and first["failure_code"] == "abandoned"


def test_a_payment_the_bank_approved_meanwhile_is_recorded_and_the_invoice_is_not_charged_twice(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a payment waiting for 3-D Secure that the bank approved, before Stripe's webhook came
        stripe, payer, invoice, waiting = a_3ds_payment_at_stripe(c, monkeypatch)
        stripe.finish(intent_of(payer, waiting), "succeeded")
        created = len(stripe.form_of("POST", r"/v1/payment_intents"))

        # When the customer, not knowing, pays the invoice again with another card
        stripe.authenticate = False
        again = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_1OtherCard"})

        # Then Stripe refused to cancel it, the first payment is recorded as succeeded, the invoice is
        # paid by it, and no second charge was made
        assert again.status == 422 and again.json["error"]["code"] == "invoice_not_outstanding", again.json
        assert payer.portal.get(f"/portal/payments/{waiting['payment_id']}").json["status"] == "succeeded"
        assert invoice_status(payer, invoice) == "paid"
        assert len(stripe.form_of("POST", r"/v1/payment_intents")) == created
