"""An amount due below the smallest charge the payment service takes (Stripe: 0.50 USD, 0.30 GBP,
50 JPY ...) is no failure of the customer's card: Stripe refuses to charge it (`amount_too_small`),
whatever the card. Such an invoice stays open, to be paid with a larger payment, and the subscription
goes on: a renewal does not go into dunning (and on to unpaid or cancelled), a trial does not expire
and have its invoice voided, and the portal says why it cannot be paid alone instead of recording a
failed payment (docs/billing.md, "The smallest charge")."""
from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.bootstrap import adapters
from tests.support.api import NOW, client
from tests.support.documents import a_credit_note
from tests.support.payments import counting_gateway, pay, with_stripe
from tests.support.scheduled_work import a_renewal_declined, auto_charged, invoices_of, run_jobs, state
from tests.support.subscriptions import a_shop

DAY = timedelta(days=1)


def a_shop_selling_a_tiny_plan(c):
    """A merchant whose "Tiny" plan costs 0.30 USD a month, with a 14-day trial."""
    shop = a_shop(c)
    answer = shop.admin.post("/admin/plans", {"code": "tiny", "name": "Tiny", "price_minor": 30, "currency": "USD",
                                              "trial_days": 14})
    assert answer.status == 201, answer.json
    return shop


def a_pro_renewal_credits_nearly_pay(c):
    """Zoë's auto-charged Pro (100.00) renewing today, with 99.70 of credit: (shop, subscription)."""
    shop = a_shop_selling_a_tiny_plan(c)
    a_credit_note(shop.admin, shop.zoe.customer_id, 9_970)
    return shop, auto_charged(shop, term_start=NOW - 30 * DAY, term_end=NOW)


def a_tiny_renewal_left_open(c):
    """Zoë's auto-charged Tiny plan renewed today by the job, its 0.30 invoice left open: (shop, subscription)."""
    shop = a_shop_selling_a_tiny_plan(c)
    sub = auto_charged(shop, plan="tiny", term_start=NOW - 30 * DAY, term_end=NOW)
    run_jobs(c)
    return shop, sub


def test_a_renewal_below_the_smallest_charge_stays_open_and_the_subscription_stays_live(aws, monkeypatch):
    stripe = with_stripe(monkeypatch, authenticate=False)
    with client() as c:
        # Given Zoë's auto-charged Tiny plan (0.30 USD) renewing today
        shop = a_shop_selling_a_tiny_plan(c)
        sub = auto_charged(shop, plan="tiny", term_start=NOW - 30 * DAY, term_end=NOW)

        # When the job renews it
        run_jobs(c)

        # Then the renewal's invoice stays open for 0.30, and the subscription is live, not in dunning
        after = state(shop, sub)
        assert (after.status.value, after.unpaid_invoice_id, after.next_retry_at) == ("live", None, None)
        [invoice] = invoices_of(shop, sub)
        assert (invoice["status"], invoice["balance_minor"]) == ("open", 30)
        # And Stripe was not asked for a charge it refuses
        assert stripe.form_of("POST", "/v1/payment_intents") == []


def test_a_renewal_of_which_credits_leave_a_few_cents_stays_live_with_the_cents_open(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given 99.70 of credit, and Zoë's auto-charged Pro (100.00) renewing today
        shop, sub = a_pro_renewal_credits_nearly_pay(c)

        # When the job renews it: the credit pays 99.70 of the 100.00
        run_jobs(c)

        # Then the 0.30 left is not charged (the card would be refused), and the subscription is live
        after = state(shop, sub)
        assert (after.status.value, after.unpaid_invoice_id, after.next_retry_at) == ("live", None, None)
        [invoice] = invoices_of(shop, sub)
        assert (invoice["total_minor"], invoice["balance_minor"]) == (10_000, 30)
        assert gateway.calls == []


def test_a_trial_whose_first_invoice_is_below_the_smallest_charge_becomes_live(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given Zoë's auto-charged trial of the Tiny plan ending today
        shop = a_shop_selling_a_tiny_plan(c)
        sub = shop.subscription("trial", plan="tiny", trial_end=NOW.date(), auto_charge=True,
                                payment_method_id=shop.saved_card())

        # When the job ends the trial
        run_jobs(c)

        # Then it is live, its first invoice open for 0.30 (not expired, its invoice not voided)
        assert state(shop, sub).status.value == "live"
        [invoice] = invoices_of(shop, sub)
        assert (invoice["status"], invoice["balance_minor"]) == ("open", 30)
        assert gateway.calls == []


def test_an_invoice_below_the_smallest_charge_is_paid_with_a_larger_payment_and_refused_alone(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given Zoë owes 0.30 for her Tiny plan's renewal
        shop = a_shop_selling_a_tiny_plan(c)
        sub = shop.subscription("live", plan="tiny", term_start=NOW - 30 * DAY, term_end=NOW)
        run_jobs(c)
        [tiny] = invoices_of(shop, sub)

        # And her portal shows it as paid with her next payment, not as one to pay on its own
        listed = {i["invoice_id"]: i for i in shop.portal.get("/portal/invoices").json["items"]}
        assert listed[tiny["invoice_id"]]["payable_alone"] is False
        assert shop.portal.get(f"/portal/invoices/{tiny['invoice_id']}").json["payable_alone"] is False

        # When she pays it alone
        alone = pay(shop.portal, {"invoice_ids": [tiny["invoice_id"]], "payment_method": "pm_card_visa"})

        # Then she is told why it cannot be charged, and nothing is charged or recorded
        assert (alone.status, alone.json["error"]["code"]) == (422, "amount_too_small"), alone.json
        assert "0.50 USD" in alone.json["error"]["message"]
        assert gateway.calls == []
        assert shop.portal.get("/portal/payments").json["items"] == []

        # And when the merchant invoices 10.00 more, paying all she owes pays both in one charge
        more = shop.admin.post("/admin/invoices", {"customer_id": shop.zoe.customer_id,
                                                   "lines": [{"description": "Setup", "unit_price_minor": 1_000}]})
        assert more.status == 201, more.json
        assert shop.portal.get(f"/portal/invoices/{more.json['invoice_id']}").json["payable_alone"] is True
        both = pay(shop.portal, {"all_outstanding": True, "payment_method": "pm_card_visa"})
        assert (both.status, both.json["status"], both.json["amount_minor"]) == (201, "succeeded", 1_030), both.json
        assert invoices_of(shop, sub)[0]["status"] == "paid"


def test_a_failed_renewal_paid_down_below_the_smallest_charge_ends_the_dunning_at_the_next_retry(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given Zoë's renewal of 100.00 declined (in dunning, retried a day later), of which she pays 99.80
        shop, sub = a_renewal_declined(c)
        [invoice] = invoices_of(shop, sub)
        part = pay(shop.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                                 "amount_minor": 9_980})
        assert (part.status, part.json["status"]) == (201, "succeeded"), part.json
        charges = len(gateway.calls)

        # When the retry falls due
        shop.clock.advance(days=1)
        run_jobs(c)

        # Then the 0.20 left is not charged: the subscription is live again, the 0.20 open
        after = state(shop, sub)
        assert (after.status.value, after.next_retry_at) == ("live", None)
        assert invoices_of(shop, sub)[0]["balance_minor"] == 20
        assert len(gateway.calls) == charges


def test_a_tiny_renewal_left_open_is_paid_with_the_next_automatic_charge(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given Zoë's auto-charged Tiny plan (0.30 USD), whose renewal today is left open as too small
        shop, sub = a_tiny_renewal_left_open(c)
        [first] = invoices_of(shop, sub)
        assert state(shop, sub).carried_invoice_ids == (first["invoice_id"],)

        # When the next renewal falls due a month later
        shop.clock.advance(days=31)
        run_jobs(c)

        # Then one charge of 0.60 pays both invoices, and nothing is carried any more
        assert [status for _, status in gateway.calls] == ["succeeded"]
        assert [(i["status"], i["balance_minor"]) for i in invoices_of(shop, sub)] == [("paid", 0), ("paid", 0)]
        [payment] = adapters().uow.payments.page(shop.acme.org.org_id, shop.zoe.customer_id, limit=10,
                                                 cursor=None).items
        assert payment.amount_minor == 60
        after = state(shop, sub)
        assert (after.status.value, after.carried_invoice_ids) == ("live", ())


def test_a_renewal_carrying_a_few_cents_charges_them_with_it(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given Zoë's auto-charged Pro (100.00) renewed with 99.70 of credit: 0.30 left open, carried
        shop, sub = a_pro_renewal_credits_nearly_pay(c)
        run_jobs(c)

        # When it renews again a month later
        shop.clock.advance(days=31)
        run_jobs(c)

        # Then the one charge is 100.30, and both invoices are paid
        assert [status for _, status in gateway.calls] == ["succeeded"]
        assert [p.amount_minor for p in adapters().uow.payments.page(
            shop.acme.org.org_id, shop.zoe.customer_id, limit=10, cursor=None).items] == [10_030]
        assert [i["status"] for i in invoices_of(shop, sub)] == ["paid", "paid"]
        assert state(shop, sub).carried_invoice_ids == ()


def test_an_invoice_carried_but_paid_meanwhile_is_not_charged_again(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given Zoë's Tiny renewal of 0.30 left open and carried, which she then pays with a 10.00 invoice
        shop, sub = a_tiny_renewal_left_open(c)
        more = shop.admin.post("/admin/invoices", {"customer_id": shop.zoe.customer_id,
                                                   "lines": [{"description": "Setup", "unit_price_minor": 1_000}]})
        assert more.status == 201, more.json
        assert shop.portal.get(f"/portal/invoices/{more.json['invoice_id']}").json["payable_alone"] is True
        both = pay(shop.portal, {"all_outstanding": True, "payment_method": "pm_card_visa"})
        assert (both.status, both.json["amount_minor"]) == (201, 1_030), both.json
        charges = len(gateway.calls)

        # When the next renewal (0.30) falls due
        shop.clock.advance(days=31)
        run_jobs(c)

        # Then the paid invoice is not charged again: the new 0.30 alone is too small, left open and carried
        assert len(gateway.calls) == charges
        first, second = invoices_of(shop, sub)
        assert (first["status"], second["status"], second["balance_minor"]) == ("paid", "open", 30)
        assert second["invoice_id"] in state(shop, sub).carried_invoice_ids


def test_stripes_refusal_of_a_charge_below_its_minimum_reaches_billing_as_its_code():
    # Given Stripe (faked behind the real adapter), which charges no less than 0.50 USD
    from chalicelib.domain.money import Money
    from chalicelib.gateways.payments import PaymentGatewayError
    from tests.support.stripe_fake import FakeStripe
    gateway = FakeStripe(authenticate=False).gateway()

    # When 0.30 USD is charged
    with pytest.raises(PaymentGatewayError) as refused:
        gateway.charge(gateway_customer_id="cus_fake1", gateway_method_id="pm_card_visa", amount=Money(30, "USD"),
                       off_session=True, idempotency_key="charge:sub_1:1", description="Invoice INV-000001",
                       metadata={})

    # Then billing is told Stripe's code, which it reads as "too small", not as a card declined
    assert refused.value.code == "amount_too_small"
