"""A customer's mixed history across October and November (invoices, offline and portal payments,
voids, credit notes, refunds reported by Stripe), for the tests that read statements, spending and
exports from the ledger."""
from datetime import datetime, timedelta, timezone

from chalicelib.bootstrap import adapters
from tests.support.api import NOW, Api
from tests.support.documents import a_payment
from tests.support.payments import a_credit_note, a_payer, an_invoice, deliver, pay, payment_intent, stripe_event
from tests.support.portal import Clock

NOVEMBER = "from=2026-11-01&to=2026-11-30"


def on(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=timezone.utc)


def at_minute(minute: int) -> datetime:
    return NOW + timedelta(minutes=minute)


def refund_event(gateway_payment_id: str, total_refunded: int) -> str:
    return stripe_event("charge.refunded", {"id": "ch_1", "object": "charge", "payment_intent": gateway_payment_id,
                                            "amount": 5_000, "amount_refunded": total_refunded, "currency": "usd"})


def a_mixed_history(api: Api, clock: Clock):
    """October: invoice A 100.00 and credit note 15.00 (the opening balance of November: 85.00).
    November: 40.00 paid on A offline; invoice B 50.00; invoice C 20.00 voided the next day; a
    5.00 credit note voided the next day; A's last 60.00 paid in the portal; B paid after 3-D
    Secure (Stripe's webhook), then refunded 20.00 and 10.00 more, each reported later."""
    payer = a_payer(api)                                   # signed in at NOW
    admin, customer_id = payer.admin, payer.customer_id
    clock.now = on(10, 20)
    a = an_invoice(payer, 10_000)
    clock.now = on(10, 25)
    a_credit_note(payer, 1_500)
    clock.now = on(11, 2)
    a_payment(admin, customer_id, a["invoice_id"], 4_000)
    clock.now = on(11, 3)
    b = an_invoice(payer, 5_000)
    clock.now = on(11, 4)
    c = an_invoice(payer, 2_000)
    clock.now = on(11, 5)
    assert admin.post(f"/admin/invoices/{c['invoice_id']}/void", {"customer_id": customer_id}).status == 200
    clock.now = on(11, 6)
    small = a_credit_note(payer, 500)
    clock.now = on(11, 7)
    assert admin.post(f"/admin/credit-notes/{small['credit_note_id']}/void",
                      {"customer_id": customer_id}).status == 200
    clock.now = at_minute(0)
    assert pay(payer.portal, {"invoice_ids": [a["invoice_id"]], "payment_method": "pm_card_visa"}).json[
        "status"] == "succeeded"
    clock.now = at_minute(1)
    waiting = pay(payer.portal, {"invoice_ids": [b["invoice_id"]], "payment_method": "pm_card_authenticationRequired"})
    gateway_id = adapters().uow.payments.get(payer.org_id, customer_id, waiting.json["payment_id"]).gateway_payment_id
    clock.now = at_minute(5)
    assert deliver(api, stripe_event("payment_intent.succeeded", payment_intent(
        {**waiting.json, "gateway_payment_id": gateway_id}))).status == 200
    clock.now = at_minute(10)
    assert deliver(api, refund_event(gateway_id, 2_000)).status == 200
    clock.now = at_minute(20)
    assert deliver(api, refund_event(gateway_id, 3_000)).status == 200
    assert deliver(api, refund_event(gateway_id, 3_000)).status == 200   # reported twice, refunded once
    clock.now = at_minute(25)
    return payer, a, b, c, small
