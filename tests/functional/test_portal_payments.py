"""POST /portal/payments: each outcome (succeeded, declined, insufficient funds, 3-D Secure then
confirmed or failed), partial payments, credits, paying everything, and saving a new card."""
from tests.support.api import Api, client
from tests.support.payments import (a_credit_note, a_payer, a_saved_card, a_subscription, an_invoice, pay)
from tests.support.portal import Clock, emails_to, text_of


def invoice_of(payer, invoice_id):
    return payer.portal.get(f"/portal/invoices/{invoice_id}").json


def dashboard_of(payer):
    return payer.portal.get("/portal/dashboard").json


def test_paying_an_invoice_with_a_saved_card_marks_it_paid_and_sends_a_receipt(aws):
    Clock()
    with client() as c:
        # Given an open invoice of 100.00 and a saved Visa
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        card = a_saved_card(payer)

        # When the customer pays it
        answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                    "payment_method": card["payment_method_id"]})

        # Then the payment succeeded, the invoice is paid and the figures follow
        assert answer.status == 201, answer.json
        assert answer.json["status"] == "succeeded"
        assert answer.json["amount_minor"] == 10000 and answer.json["method_summary"] == "Visa •••• 4242"
        assert answer.json["allocations"] == [{"invoice_id": invoice["invoice_id"], "amount_minor": 10000}]
        paid = invoice_of(payer, invoice["invoice_id"])
        assert paid["status"] == "paid" and paid["balance_minor"] == 0
        assert paid["payments"] == [{"payment_id": answer.json["payment_id"], "amount_minor": 10000,
                                     "paid_at": answer.json["succeeded_at"], "method_summary": "Visa •••• 4242"}]
        home = dashboard_of(payer)
        assert home["outstanding"] == {"count": 0, "total_minor": 0, "currency": "USD",
                                       "currency_exponent": 2}
        assert home["last_payment"]["payment_id"] == answer.json["payment_id"]
        assert home["last_payment"]["invoice_id"] == invoice["invoice_id"]
        # And the customer has a receipt, the merchant a notification and an email
        [receipt] = [m for m in emails_to("zoe@globex.example") if "Payment receipt" in m["Subject"]]
        assert invoice["number"] in text_of(receipt)
        assert any("Payment received from Globex" in m["Subject"] for m in emails_to("billing@acme.example"))
        notes = payer.admin.get("/admin/notifications").json["items"]
        assert [n["kind"] for n in notes] == ["payment_received"]


def test_a_declined_card_fails_with_a_clear_reason_and_marks_nothing_paid(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)

        answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_chargeDeclined"})

        assert answer.status == 201
        assert answer.json["status"] == "failed"
        assert answer.json["failure_code"] == "card_declined"
        assert answer.json["failure_message"] == "Your card was declined."
        assert invoice_of(payer, invoice["invoice_id"])["status"] == "open"
        assert dashboard_of(payer)["outstanding"]["count"] == 1 and dashboard_of(payer)["last_payment"] is None


def test_insufficient_funds_names_the_reason_and_the_invoice_can_be_paid_again(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)

        refused = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                     "payment_method": "pm_card_chargeDeclinedInsufficientFunds"})
        again = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_mastercard"})

        assert refused.json["status"] == "failed" and refused.json["failure_code"] == "insufficient_funds"
        assert refused.json["failure_message"] == "Your card has insufficient funds."
        assert again.json["status"] == "succeeded" and again.json["method_summary"] == "Mastercard •••• 4444"
        statuses = [p["status"] for p in payer.portal.get("/portal/payments").json["items"]]
        assert sorted(statuses) == ["failed", "succeeded"]


def test_a_card_that_requires_authentication_is_paid_once_the_customer_confirms(aws):
    Clock()
    with client() as c:
        # Given a card that asks for 3-D Secure
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        started = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                     "payment_method": "pm_card_authenticationRequired"})
        assert started.json["status"] == "requires_action"
        next_action = started.json["next_action"]
        assert next_action["type"] == "simulated_authentication" and next_action["client_secret"]
        assert invoice_of(payer, invoice["invoice_id"])["status"] == "open"

        # When the customer passes the check
        confirmed = payer.portal.post(next_action["confirm_path"], {"approve": True})

        # Then the invoice is paid, as the payment_intent.succeeded webhook would have done it
        assert confirmed.status == 200, confirmed.json
        assert confirmed.json["status"] == "succeeded" and "next_action" not in confirmed.json
        assert invoice_of(payer, invoice["invoice_id"])["status"] == "paid"
        again = payer.portal.post(next_action["confirm_path"], {"approve": True})
        assert again.status == 409


def test_failing_the_authentication_fails_the_payment_and_frees_the_invoice(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        started = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                     "payment_method": "pm_card_authenticationRequired"})

        refused = payer.portal.post(started.json["next_action"]["confirm_path"], {"approve": False})

        assert refused.json["status"] == "failed"
        assert refused.json["failure_code"] == "payment_intent_authentication_failure"
        assert invoice_of(payer, invoice["invoice_id"])["status"] == "open"
        assert pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                  "payment_method": "pm_card_visa"}).json["status"] == "succeeded"


def test_paying_another_way_replaces_a_payment_left_waiting_for_authentication(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        waiting = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                     "payment_method": "pm_card_authenticationRequired"}).json

        paid = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"})

        assert paid.json["status"] == "succeeded"
        abandoned = payer.portal.get(f"/portal/payments/{waiting['payment_id']}").json
        assert abandoned["status"] == "failed" and abandoned["failure_code"] == "abandoned"


def test_a_part_payment_leaves_the_invoice_partially_paid(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)

        part = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                                  "amount_minor": 2500})
        too_much = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                                      "amount_minor": 9000})

        assert part.json["amount_minor"] == 2500
        after = invoice_of(payer, invoice["invoice_id"])
        assert after["status"] == "partially_paid" and after["balance_minor"] == 7500
        assert too_much.status == 400 and "amount_minor" in too_much.json["error"]["details"]["fields"]
        assert dashboard_of(payer)["outstanding"] == {"count": 1, "total_minor": 7500, "currency": "USD",
                                                      "currency_exponent": 2}


def test_pay_now_pays_every_outstanding_invoice_in_one_payment(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        first, second = an_invoice(payer, 10000), an_invoice(payer, 2500)
        payer.admin.post("/admin/payments", {"customer_id": payer.customer_id, "invoice_id": second["invoice_id"],
                                             "amount_minor": 500})

        answer = pay(payer.portal, {"all_outstanding": True, "payment_method": "pm_card_visa"})

        assert answer.json["status"] == "succeeded" and answer.json["amount_minor"] == 12000
        assert {a["invoice_id"]: a["amount_minor"] for a in answer.json["allocations"]} == {
            first["invoice_id"]: 10000, second["invoice_id"]: 2000}
        assert dashboard_of(payer)["outstanding"]["count"] == 0
        nothing_left = pay(payer.portal, {"all_outstanding": True, "payment_method": "pm_card_visa"})
        assert nothing_left.status == 422 and nothing_left.json["error"]["code"] == "nothing_outstanding"


def test_available_credits_are_applied_first_and_only_the_rest_is_charged(aws):
    Clock()
    with client() as c:
        # Given an invoice of 100.00 and a credit note of 30.00
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        note = a_credit_note(payer, 3000)

        # When the customer pays with their credits
        answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                                    "use_credits": True})

        # Then only 70.00 is charged and the credit is spent
        assert answer.json["status"] == "succeeded" and answer.json["amount_minor"] == 7000
        paid = invoice_of(payer, invoice["invoice_id"])
        assert paid["status"] == "paid" and paid["credits_applied"][0]["number"] == note["number"]
        assert paid["credits_applied"][0]["amount_minor"] == 3000
        assert dashboard_of(payer)["available_credits"]["amount_minor"] == 0


def test_credits_that_cover_the_invoice_pay_it_without_a_charge(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 2000)
        a_credit_note(payer, 5000)

        answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                                    "use_credits": True})

        assert answer.json["status"] == "succeeded" and answer.json["amount_minor"] == 0
        assert answer.json["method_summary"] == "Available credits"
        assert invoice_of(payer, invoice["invoice_id"])["status"] == "paid"
        assert dashboard_of(payer)["available_credits"]["amount_minor"] == 3000


def test_a_new_card_saved_for_the_future_becomes_the_subscriptions_auto_charge_method(aws):
    Clock()
    with client() as c:
        # Given a subscription's invoice and no saved card
        payer = a_payer(Api(c))
        sub = a_subscription(payer, auto_charge=False)
        invoice = an_invoice(payer, 10000, subscription_id=sub["subscription_id"])

        # When the customer pays with a new card and keeps it
        answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_mastercard",
                                    "save_for_future": True})

        # Then the card is saved, default, and charges the subscription from now on
        assert answer.json["status"] == "succeeded"
        (saved,) = payer.portal.get("/portal/payment-methods").json["items"]
        assert saved["summary"] == "Mastercard •••• 4444" and saved["is_default"] is True
        assert answer.json["payment_method_id"] == saved["payment_method_id"]
        from chalicelib.bootstrap import adapters
        stored = adapters().uow.subscriptions.get(payer.org_id, payer.customer_id, sub["subscription_id"])
        assert stored.payment_method_id == saved["payment_method_id"] and stored.auto_charge is True


def test_a_declined_new_card_is_not_saved(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)

        answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_chargeDeclined",
                                    "save_for_future": True})

        assert answer.json["status"] == "failed"
        assert payer.portal.get("/portal/payment-methods").json["items"] == []


def test_bad_payment_requests_answer_400_and_write_nothing(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        ids = [invoice["invoice_id"]]

        no_key = payer.portal.post("/portal/payments", {"invoice_ids": ids, "payment_method": "pm_card_visa"})
        both = pay(payer.portal, {"invoice_ids": ids, "all_outstanding": True, "payment_method": "pm_card_visa"})
        neither = pay(payer.portal, {"payment_method": "pm_card_visa"})
        not_a_method = pay(payer.portal, {"invoice_ids": ids, "payment_method": "4242424242424242"})
        unknown_field = pay(payer.portal, {"invoice_ids": ids, "payment_method": "pm_card_visa", "card": "x"})

        assert no_key.status == 400 and "Idempotency-Key" in no_key.json["error"]["details"]["fields"]
        for answer in (both, neither, not_a_method, unknown_field):
            assert answer.status == 400, answer.json
        assert payer.portal.get("/portal/payments").json["items"] == []
        assert invoice_of(payer, invoice["invoice_id"])["status"] == "open"


def test_a_paid_or_void_invoice_cannot_be_paid(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        paid, void = an_invoice(payer, 1000), an_invoice(payer, 1000)
        pay(payer.portal, {"invoice_ids": [paid["invoice_id"]], "payment_method": "pm_card_visa"})
        payer.admin.post(f"/admin/invoices/{void['invoice_id']}/void", {"customer_id": payer.customer_id})

        for invoice in (paid, void):
            answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"})
            assert answer.status == 422 and answer.json["error"]["code"] == "invoice_not_outstanding"
