"""collect_off_session: what scheduled work (renewals, dunning) calls to charge a saved card
with the customer absent."""
import pytest

from chalicelib.bootstrap import adapters
from chalicelib.domain.errors import NotFound
from chalicelib.domain.payments import PaymentStatus
from chalicelib.services.payments.collection import collect_off_session
from tests.support.api import NOW, Api, client
from tests.support.payments import a_payer, a_saved_card, an_invoice, counting_gateway
from tests.support.portal import Clock, emails_to


def collect(payer, invoice, card, key="renewal:sub_1:2026-11-01", **extra):
    return collect_off_session(adapters(), payer.org_id, payer.customer_id, invoice["invoice_id"],
                               payment_method_id=card["payment_method_id"], idempotency_key=key, now=NOW, **extra)


def test_an_off_session_charge_pays_the_invoice_and_tells_both_sides(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        card = a_saved_card(payer)

        payment = collect(payer, invoice, card)

        assert payment.status == PaymentStatus.SUCCEEDED and payment.source == "auto_charge"
        assert payment.payment_method_id == card["payment_method_id"]
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "paid"
        assert any("Payment receipt" in m["Subject"] for m in emails_to("zoe@globex.example"))
        assert payer.admin.get("/admin/notifications").json["items"][0]["kind"] == "payment_received"
        activity = payer.admin.get(f"/admin/customers/{payer.customer_id}/activity").json["items"]
        (paid,) = [a for a in activity if a["action"] == "payment.succeeded"]
        assert paid["actor"] == {"type": "job", "id": "auto_charge", "name": ""}


def test_a_retry_with_the_same_key_answers_the_same_payment_without_charging(aws, monkeypatch):
    Clock()
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        card = a_saved_card(payer)

        first, again = collect(payer, invoice, card), collect(payer, invoice, card)

        assert again == first
        assert len(gateway.calls) == 1


def test_a_declined_saved_card_records_a_failed_payment_and_leaves_the_invoice_alone(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        card = a_saved_card(payer, "pm_card_chargeDeclinedInsufficientFunds")

        payment = collect(payer, invoice, card)

        assert payment.status == PaymentStatus.FAILED
        assert (payment.failure_code, payment.failure_message) == ("insufficient_funds",
                                                                    "Your card has insufficient funds.")
        after = payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json
        assert after["status"] == "open" and after["balance_minor"] == 10000
        assert collect(payer, invoice, card, key="dunning:sub_1:retry-1").status == PaymentStatus.FAILED


def test_a_card_that_needs_authentication_fails_off_session_with_authentication_required(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        card = a_saved_card(payer, "pm_card_authenticationRequired")

        payment = collect(payer, invoice, card)

        assert payment.status == PaymentStatus.FAILED and payment.failure_code == "authentication_required"
        # the customer can still pay it themselves, on-session, with 3-D Secure
        answer = payer.portal.post("/portal/payments", {"invoice_ids": [invoice["invoice_id"]],
                                                        "payment_method": card["payment_method_id"]},
                                   headers={"Idempotency-Key": "k"})
        assert answer.json["status"] == "requires_action"


def test_collection_does_not_take_over_a_payment_the_customer_is_confirming(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        card = a_saved_card(payer)
        payer.portal.post("/portal/payments", {"invoice_ids": [invoice["invoice_id"]],
                                               "payment_method": "pm_card_authenticationRequired"},
                          headers={"Idempotency-Key": "k"})

        with pytest.raises(Exception) as refused:
            collect(payer, invoice, card)

        assert refused.value.code == "payment_in_progress"


def test_another_customers_method_or_invoice_is_not_found(aws):
    Clock()
    with client() as c:
        api = Api(c)
        payer = a_payer(api)
        other = a_payer(api, merchant=payer.merchant, email="ann@initech.example", display_name="Initech")
        mine, theirs = an_invoice(payer, 1000), an_invoice(other, 1000)
        my_card, their_card = a_saved_card(payer), a_saved_card(other)

        with pytest.raises(NotFound):
            collect(payer, mine, their_card)
        with pytest.raises(NotFound):
            collect(payer, theirs, my_card)
