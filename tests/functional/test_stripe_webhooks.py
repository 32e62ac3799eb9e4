"""POST /webhooks/stripe: verified on the raw body, each event processed once, the same final
state whatever the order or the number of deliveries, unknown types acknowledged."""
from chalicelib.bootstrap import adapters
from tests.support.api import Api, client
from tests.support.payments import (a_declined_intent, a_payer, a_payment_stripe_reports_on, a_payment_waiting_for_3ds,
                                   a_saved_card, a_subscription, an_invoice, deliver, gateway_customer_of, pay,
                                   payment_intent, signature, stripe_event, with_webhook_secret)
from tests.support.portal import Clock, emails_to, portal_organization


def state_of(payer, invoice, payment) -> tuple:
    seen = payer.portal.get(f"/portal/payments/{payment['payment_id']}").json
    home = payer.portal.get("/portal/dashboard").json
    activity = payer.admin.get(f"/admin/customers/{payer.customer_id}/activity").json["items"]
    return (seen["status"], seen["refunded_minor"],
            payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"],
            home["outstanding"]["count"], home["last_payment"] and home["last_payment"]["payment_id"],
            sorted(a["action"] for a in activity if a["subject_type"] == "payment"),
            len(emails_to("zoe@globex.example")), len(payer.admin.get("/admin/notifications").json["items"]))


def test_a_succeeded_event_delivered_three_times_pays_the_invoice_once(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a payment waiting for 3-D Secure, finished in the browser by Stripe.js
        api, payer, invoice, payment = a_payment_stripe_reports_on(c, monkeypatch)
        event = stripe_event("payment_intent.succeeded", payment_intent(payment), event_id="evt_paid")

        # When Stripe delivers the event three times
        answers = [deliver(api, event) for _ in range(3)]

        # Then it took effect once
        assert [a.status for a in answers] == [200, 200, 200]
        assert answers[0].json == {"received": True, "handled": True}
        assert answers[1].json == answers[2].json == {"received": True, "duplicate": True}
        status, _, invoice_status, outstanding, last, actions, _, notified = state_of(payer, invoice, payment)
        assert (status, invoice_status, outstanding, last) == ("succeeded", "paid", 0, payment["payment_id"])
        assert actions == ["payment.succeeded"] and notified == 1
        receipts = [m for m in emails_to("zoe@globex.example") if "Payment receipt" in m["Subject"]]
        assert len(receipts) == 1


def test_a_bad_signature_is_refused_and_changes_nothing(aws, monkeypatch):
    Clock()
    with client() as c:
        api, payer, invoice, payment = a_payment_stripe_reports_on(c, monkeypatch)
        event = stripe_event("payment_intent.succeeded", payment_intent(payment))

        forged = deliver(api, event, header=signature(event, secret="whsec_someone_else"))
        unsigned = deliver(api, event, header="")
        tampered = deliver(api, event.replace('"amount": 10000', '"amount": 1'), header=signature(event))

        for answer in (forged, unsigned, tampered):
            assert answer.status == 400 and answer.json["error"]["code"] == "invalid_input"
        assert payer.portal.get(f"/portal/payments/{payment['payment_id']}").json["status"] == "requires_action"
        assert deliver(api, event).json["handled"] is True   # the event itself was never marked as seen


def test_a_stale_event_is_refused(aws, monkeypatch):
    Clock()
    with client() as c:
        api, payer, invoice, payment = a_payment_stripe_reports_on(c, monkeypatch)
        event = stripe_event("payment_intent.succeeded", payment_intent(payment))

        stale = deliver(api, event, header=signature(event, seconds_ago=301))

        assert stale.status == 400
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "open"


def test_a_failure_reported_after_the_success_does_not_undo_it(aws, monkeypatch):
    Clock()
    with client() as c:
        api, payer, invoice, payment = a_payment_stripe_reports_on(c, monkeypatch)
        failed = stripe_event("payment_intent.payment_failed", a_declined_intent(
            payment, decline_code="insufficient_funds", message="Your card has insufficient funds."))
        succeeded = stripe_event("payment_intent.succeeded", payment_intent(payment))

        # An attempt failed, then the customer's next attempt succeeded; Stripe sent them reversed
        assert deliver(api, succeeded).status == 200
        assert deliver(api, failed).status == 200

        assert payer.portal.get(f"/portal/payments/{payment['payment_id']}").json["status"] == "succeeded"
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "paid"


def test_a_success_after_a_reported_failure_still_pays_the_invoice(aws, monkeypatch):
    Clock()
    with client() as c:
        api, payer, invoice, payment = a_payment_stripe_reports_on(c, monkeypatch)

        deliver(api, stripe_event("payment_intent.payment_failed",
                                  a_declined_intent(payment, "payment_intent_authentication_failure")))
        failed = payer.portal.get(f"/portal/payments/{payment['payment_id']}").json
        deliver(api, stripe_event("payment_intent.succeeded", payment_intent(payment)))

        assert failed["status"] == "failed" and failed["failure_code"] == "payment_intent_authentication_failure"
        assert payer.portal.get(f"/portal/payments/{payment['payment_id']}").json["status"] == "succeeded"
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "paid"


def test_success_and_refund_give_the_same_state_in_either_order(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        finals = []
        for order, email in ((("succeeded", "refunded"), "zoe@globex.example"),
                             (("refunded", "succeeded"), "zoe@initech.example")):
            payer = a_payer(api, org_name=f"Org {email}", email=email)
            invoice = an_invoice(payer, 10000)
            payment = a_payment_waiting_for_3ds(payer, invoice)
            events = {
                "succeeded": stripe_event("payment_intent.succeeded", payment_intent(payment)),
                "refunded": stripe_event("charge.refunded", {
                    "id": "ch_1", "object": "charge", "payment_intent": payment["gateway_payment_id"],
                    "amount": 10000, "amount_refunded": 2500, "refunded": False, "currency": "usd"}),
            }
            for name in order:
                assert deliver(api, events[name]).status == 200
            seen = payer.portal.get(f"/portal/payments/{payment['payment_id']}").json
            activity = payer.admin.get(f"/admin/customers/{payer.customer_id}/activity").json["items"]
            finals.append((seen["status"], seen["refunded_minor"],
                           payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"],
                           sorted(a["action"] for a in activity if a["subject_type"] == "payment")))

        assert finals[0] == finals[1] == ("succeeded", 2500, "paid", ["payment.refunded", "payment.succeeded"])


def test_amounts_in_isk_events_are_read_in_kronur_not_in_stripes_hundredths(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a merchant billing in Icelandic krónur and a payment of 5,000 kr waiting for 3-D Secure
        api = Api(c)
        payer = a_payer(api, merchant=portal_organization(api, currency="ISK"))
        invoice = an_invoice(payer, 5_000)
        payment = a_payment_waiting_for_3ds(payer, invoice)
        intent = {**payment_intent(payment), "amount": 500_000, "currency": "isk"}   # Stripe's two-decimal ISK

        # When Stripe reports it paid, then 1,000 kr of it refunded (100000 on the wire)
        deliver(api, stripe_event("payment_intent.succeeded", intent))
        deliver(api, stripe_event("charge.refunded", {
            "id": "ch_1", "object": "charge", "payment_intent": payment["gateway_payment_id"], "amount": 500_000,
            "amount_refunded": 100_000, "refunded": False, "currency": "isk"}))

        # Then the payment of 5,000 kr succeeded and 1,000 kr of it is refunded
        seen = payer.portal.get(f"/portal/payments/{payment['payment_id']}").json
        assert (seen["status"], seen["amount_minor"], seen["refunded_minor"]) == ("succeeded", 5_000, 1_000)


def test_a_refund_reported_twice_or_late_is_counted_once(aws, monkeypatch):
    Clock()
    with client() as c:
        api, payer, invoice, payment = a_payment_stripe_reports_on(c, monkeypatch)
        deliver(api, stripe_event("payment_intent.succeeded", payment_intent(payment)))

        def refund(total):
            return stripe_event("charge.refunded", {"id": "ch_1", "object": "charge", "amount_refunded": total,
                                                    "payment_intent": payment["gateway_payment_id"]})
        for event in (refund(4000), refund(1000), refund(4000)):   # the 10.00 refund arrives last
            deliver(api, event)

        assert payer.portal.get(f"/portal/payments/{payment['payment_id']}").json["refunded_minor"] == 4000


def test_unknown_events_and_other_payments_are_acknowledged(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        unknown = stripe_event("invoice.finalized", {"id": "in_1", "object": "invoice"}, event_id="evt_u")
        not_ours = stripe_event("payment_intent.succeeded", {"id": "pi_elsewhere", "object": "payment_intent",
                                                             "amount": 100, "currency": "usd", "metadata": {}})

        first, again = deliver(api, unknown), deliver(api, unknown)
        elsewhere = deliver(api, not_ours)

        assert first.status == 200 and first.json == {"received": True, "handled": False}
        assert again.json == {"received": True, "duplicate": True}
        assert elsewhere.status == 200


def test_a_payment_whose_answer_was_lost_is_settled_by_its_event(aws, monkeypatch):
    from tests.support.payments import counting_gateway
    Clock()
    with_webhook_secret(monkeypatch)
    counting_gateway(monkeypatch, lose_answers=1)
    with client() as c:
        # Given a charge whose answer never came back: we do not know its PaymentIntent id
        api = Api(c)
        payer = a_payer(api)
        invoice = an_invoice(payer, 10000)
        lost = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"})
        payment_id = lost.json["error"]["details"]["payment_id"]
        payment = payer.portal.get(f"/portal/payments/{payment_id}").json

        # When Stripe reports it, with the metadata we gave the charge
        intent = payment_intent(payment, gateway_payment_id="pi_lost")
        intent["metadata"] = {"org_id": payer.org_id, "customer_id": payer.customer_id, "payment_id": payment_id}
        deliver(api, stripe_event("payment_intent.succeeded", intent))

        # Then it is settled
        assert payer.portal.get(f"/portal/payments/{payment_id}").json["status"] == "succeeded"
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "paid"


def test_a_card_set_up_in_the_browser_is_saved_once_by_its_event(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a customer who started a card setup but never came back to the portal
        api = Api(c)
        payer = a_payer(api)
        setup = payer.portal.post("/portal/payment-methods/setup").json
        event = stripe_event("setup_intent.succeeded", {"id": setup["setup_id"], "object": "setup_intent",
                                                        "customer": gateway_customer_of(payer),
                                                        "payment_method": "pm_card_visa",
                                                        "status": "succeeded"})

        # When Stripe reports the setup, twice
        deliver(api, event)
        deliver(api, event)

        # Then the card is saved once
        (saved,) = payer.portal.get("/portal/payment-methods").json["items"]
        assert saved["summary"] == "Visa •••• 4242" and saved["is_default"] is True


def test_a_card_detached_at_stripe_is_forgotten_and_its_subscriptions_move(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        payer = a_payer(api)
        kept, dropped = a_saved_card(payer), a_saved_card(payer, "pm_card_mastercard")
        sub = a_subscription(payer, payment_method_id=dropped["payment_method_id"])
        gateway_method_id = adapters().uow.payment_methods.get(payer.org_id, payer.customer_id,
                                                               dropped["payment_method_id"]).gateway_method_id
        event = stripe_event("payment_method.detached", {"id": gateway_method_id, "object": "payment_method",
                                                         "customer": None},
                             previous_attributes={"customer": gateway_customer_of(payer)})

        assert deliver(api, event).status == 200

        methods = payer.portal.get("/portal/payment-methods").json["items"]
        assert [m["payment_method_id"] for m in methods] == [kept["payment_method_id"]]
        moved = adapters().uow.subscriptions.get(payer.org_id, payer.customer_id, sub["subscription_id"])
        assert moved.payment_method_id == kept["payment_method_id"]

