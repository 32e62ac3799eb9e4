"""Payment velocity limits against card testing: payments, failed payments and card additions per
customer and per organization answer 429 with Retry-After, and the merchant is told."""
from chalicelib import bootstrap
from tests.support.api import Api, client
from tests.support.payments import (a_key, a_payer, an_invoice, counting_gateway, deliver, pay, payment_intent,
                                   stripe_event, with_stripe, with_webhook_secret)
from tests.support.portal import Clock

CARDS = ("pm_card_visa", "pm_card_mastercard")


def notifications(payer) -> list[dict]:
    return [n for n in payer.admin.get("/admin/notifications").json["items"] if n["kind"] == "velocity_limit"]


def one_unit(payer, invoice, card, *, key=None):
    """A part payment of the smallest charge the payment service takes (0.50 USD), as card testers pay."""
    return pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": card, "amount_minor": 50},
               key=key)


def test_thirty_one_unit_payments_with_alternating_cards_are_stopped_after_ten(aws):
    clock = Clock()
    with client() as c:
        # Given an open invoice (12:00, so the hour's window ends at 13:00)
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        clock.advance(minutes=20)

        # When the customer pays 1 minor unit 30 times, each with a fresh Idempotency-Key and alternating cards
        answers = [one_unit(payer, invoice, CARDS[n % 2]) for n in range(30)]

        # Then ten go through and the rest wait for the hour to end
        assert [a.status for a in answers] == [201] * 10 + [429] * 20
        refused = answers[10]
        assert refused.json["error"]["code"] == "throttled"
        assert refused.headers["Retry-After"] == str(40 * 60)
        # And the merchant is told once
        told = notifications(payer)
        assert len(told) == 1 and told[0]["customer_id"] == payer.customer_id
        assert "10 payments" in told[0]["headline"]


def test_a_retried_payment_is_not_counted_again(aws):
    Clock()
    with client() as c:
        # Given ten payments (the limit), the last sent with a key
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        for _ in range(9):
            assert one_unit(payer, invoice, "pm_card_visa").status == 201
        assert one_unit(payer, invoice, "pm_card_visa", key="last-one").status == 201

        # When the last is retried with its key
        retried = one_unit(payer, invoice, "pm_card_visa", key="last-one")

        # Then it gets its answer again, not a 429
        assert retried.status == 201


def test_failed_payments_stop_further_payments_of_the_customer(aws):
    clock = Clock()
    with client() as c:
        # Given five declined payments within the hour (the limit), at 12:20
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        clock.advance(minutes=20)
        for _ in range(5):
            answer = one_unit(payer, invoice, "pm_card_chargeDeclined")
            assert answer.status == 201 and answer.json["status"] == "failed", answer.json

        # When the customer tries a card that works
        answer = one_unit(payer, invoice, "pm_card_visa")

        # Then it is refused until the hour ends, and the merchant is told of the failures
        assert answer.status == 429 and answer.headers["Retry-After"] == str(40 * 60)
        assert ["5 failed payments" in n["headline"] for n in notifications(payer)] == [True]
        clock.advance(minutes=20)
        payer.portal.get("/portal/me")   # still here: the session stays open
        clock.advance(minutes=20)
        assert one_unit(payer, invoice, "pm_card_visa").status == 201


def test_fifteen_cards_added_in_a_row_are_stopped_after_five(aws):
    Clock()
    with client() as c:
        # Given a signed-in customer
        payer = a_payer(Api(c))

        # When 15 cards are added in a row
        answers = [payer.portal.post("/portal/payment-methods", {"payment_method": CARDS[n % 2]})
                   for n in range(15)]

        # Then five are, the rest wait for the day to end (12:00 -> midnight UTC), and the merchant is told
        assert [a.status for a in answers] == [201] * 5 + [429] * 10
        assert answers[5].headers["Retry-After"] == str(12 * 3600)
        assert ["5 cards added" in n["headline"] for n in notifications(payer)] == [True]


def test_the_organization_ceiling_stops_a_spike_spread_over_customers(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a deployment that allows 3 payments an hour across an organization
        monkeypatch.setenv("PORTICO_RATE_LIMITS", "payment_organization=3")
        bootstrap.reset()
        api = Api(c)
        zoe = a_payer(api)
        max_ = a_payer(api, email="max@initech.example", display_name="Initech", merchant=zoe.merchant)
        zoes, maxs = an_invoice(zoe, 10000), an_invoice(max_, 10000)

        # When two customers pay four times between them
        answers = [one_unit(zoe, zoes, "pm_card_visa"), one_unit(max_, maxs, "pm_card_visa"),
                   one_unit(zoe, zoes, "pm_card_visa"), one_unit(max_, maxs, "pm_card_visa")]

        # Then the fourth is refused, and the merchant is told of the organization's spike
        assert [a.status for a in answers] == [201, 201, 201, 429]
        told = notifications(zoe)
        assert len(told) == 1 and told[0]["customer_id"] is None and "3 payments" in told[0]["headline"]


def test_limits_are_counted_per_customer(aws):
    Clock()
    with client() as c:
        # Given a customer who used up her payments
        api = Api(c)
        zoe = a_payer(api)
        invoice = an_invoice(zoe, 10000)
        for _ in range(10):
            one_unit(zoe, invoice, "pm_card_visa")
        assert one_unit(zoe, invoice, "pm_card_visa").status == 429

        # When another customer of the organization pays
        max_ = a_payer(api, email="max@initech.example", display_name="Initech", merchant=zoe.merchant)
        answer = one_unit(max_, an_invoice(max_, 10000), "pm_card_visa", key=a_key())

        # Then it goes through
        assert answer.status == 201


# --- failures that arrive later -----------------------------------------------------------------

def a_3ds_payment(payer, invoice, card: str = "pm_card_authenticationRequired") -> dict:
    answer = one_unit(payer, invoice, card)
    assert answer.status == 201 and answer.json["status"] == "requires_action", answer.json
    return answer.json


def with_failure_limit(monkeypatch, maximum: int) -> None:
    monkeypatch.setenv("PORTICO_RATE_LIMITS", f"payment_failure_customer={maximum}")
    bootstrap.reset()


def test_payments_failing_3d_secure_afterwards_count_as_failed_payments(aws):
    Clock()
    with client() as c:
        # Given five payments that waited for 3-D Secure and then failed it
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        for _ in range(5):
            payment = a_3ds_payment(payer, invoice)
            failed = payer.portal.post(f"/portal/payments/{payment['payment_id']}/confirm-action", {"approve": False})
            assert failed.json["status"] == "failed", failed.json

        # When the customer tries a card that works
        answer = one_unit(payer, invoice, "pm_card_visa")

        # Then it is refused as the failed payments are used up, and the merchant was told
        assert answer.status == 429 and "failed payments" in answer.json["error"]["message"]
        assert ["5 failed payments" in n["headline"] for n in notifications(payer)] == [True]


def test_a_failure_confirmed_by_the_browser_after_stripes_3d_secure_is_counted(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a deployment allowing one failed payment an hour, and a payment waiting for 3-D Secure at Stripe
        with_failure_limit(monkeypatch, 1)
        stripe = with_stripe(monkeypatch)
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        payment = a_3ds_payment(payer, invoice, "pm_1NewCard")
        intent = bootstrap.adapters().uow.payments.get(payer.org_id, payer.customer_id,
                                                        payment["payment_id"]).gateway_payment_id
        stripe.finish(intent, "requires_payment_method")

        # When the browser confirms it (failed), twice
        confirmed = [payer.portal.post(f"/portal/payments/{payment['payment_id']}/confirm") for _ in range(2)]

        # Then it failed, and the next payment is refused
        assert [a.json["status"] for a in confirmed] == ["failed", "failed"]
        assert one_unit(payer, invoice, "pm_card_visa").status == 429


def test_a_failure_reported_by_webhook_counts_once_however_often_it_is_reported(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a deployment allowing two failed payments an hour, and a payment waiting for 3-D Secure
        with_failure_limit(monkeypatch, 2)
        api = Api(c)
        payer = a_payer(api)
        invoice = an_invoice(payer, 10000)
        first = a_3ds_payment(payer, invoice)

        # When Stripe reports its failure three times (one event delivered twice, and another event)
        failed = stripe_event("payment_intent.payment_failed", failure_of(payer, first))
        for event in (failed, failed, stripe_event("payment_intent.payment_failed", failure_of(payer, first))):
            assert deliver(api, event).status == 200

        # Then it counted once: another payment is let through, and the merchant is not told
        second = a_3ds_payment(payer, invoice)
        assert notifications(payer) == []
        # And the failure of that one fills the limit: the merchant is told, further payments are refused
        deliver(api, stripe_event("payment_intent.payment_failed", failure_of(payer, second)))
        assert ["2 failed payments" in n["headline"] for n in notifications(payer)] == [True]
        assert one_unit(payer, invoice, "pm_card_visa").status == 429


def failure_of(payer, payment: dict) -> dict:
    """Stripe's PaymentIntent of `payment`, declined."""
    gateway_id = bootstrap.adapters().uow.payments.get(payer.org_id, payer.customer_id,
                                                       payment["payment_id"]).gateway_payment_id
    return payment_intent({**payment, "gateway_payment_id": gateway_id}, status="requires_payment_method",
                          error={"code": "card_declined", "decline_code": "stolen_card"})


def test_a_failure_the_reconciliation_finds_is_counted(aws, monkeypatch):
    clock = Clock()
    with client() as c:
        # Given a deployment allowing one failed payment an hour, and a declined payment whose answer was lost
        with_failure_limit(monkeypatch, 1)
        counting_gateway(monkeypatch, lose_answers=1)
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        lost = one_unit(payer, invoice, "pm_card_chargeDeclined")
        assert lost.status == 409 and lost.json["error"]["code"] == "payment_pending", lost.json

        # When the reconciliation finishes it, 16 minutes later
        clock.advance(minutes=16)
        report = bootstrap.services().payments.reconcile(clock.now, budget_seconds=30)

        # Then it failed, and counted: the next payment is refused
        assert len(report.settled) == 1
        assert one_unit(payer, invoice, "pm_card_visa").status == 429


def test_a_payment_refused_when_it_claims_its_invoice_writes_nothing(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a customer at her last payment of the hour, and another payment taking it after her read
        monkeypatch.setenv("PORTICO_RATE_LIMITS", "payment_customer=1")
        bootstrap.reset()
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        from chalicelib.services.payments import velocity
        monkeypatch.setattr(velocity, "check", lambda *args: None)   # as if read before the other's claim
        assert one_unit(payer, invoice, "pm_card_visa").status == 201

        # When she pays
        answer = one_unit(payer, invoice, "pm_card_visa")

        # Then the claim's condition refuses it: 429, one payment in all, the invoice unclaimed
        assert answer.status == 429 and answer.headers["Retry-After"]
        assert len(payer.portal.get("/portal/payments").json["items"]) == 1
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["balance_minor"] == 9950
        assert one_unit(payer, invoice, "pm_card_visa").status == 429


def test_a_card_refused_while_saving_it_with_a_payment_counts_as_a_failed_payment(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a deployment allowing one failed payment an hour
        with_failure_limit(monkeypatch, 1)
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)

        # When the customer pays with a card to be saved that the gateway refuses to attach
        refused = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_stolen",
                                     "save_for_future": True})

        # Then no payment was made, but the refusal counted: the next payment is refused too
        assert refused.status == 400 and payer.portal.get("/portal/payments").json["items"] == []
        assert one_unit(payer, invoice, "pm_card_visa").status == 429
