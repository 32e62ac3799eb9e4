"""Payments have numbers people can say (PAY-000012), from the organization's own sequence, taken
when a payment goes through, in the transaction that records it: the payments list and detail, the
receipt (page, PDF, email) and the statement name a payment by its number. A payment that did not go
through has none, a record that failed takes none (no gaps), and a payment recorded before payments
were numbered keeps being named by its id."""
from datetime import datetime, timedelta, timezone

from chalicelib.bootstrap import adapters
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
from tests.support.api import NOW, Api, client
from tests.support.documents import PDF_HEADERS, pdf_text
from tests.support.faults import throttling
from tests.support.payments import a_payer, a_saved_card, an_invoice, counting_gateway, pay
from tests.support.portal import Clock


def paid_by_card(payer, card: str = "pm_card_visa", amount_minor: int = 10_000) -> dict:
    invoice = an_invoice(payer, amount_minor)
    return pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": card}).json


def test_payments_that_go_through_are_numbered_in_turn_and_a_declined_one_is_not(aws):
    Clock()
    with client() as c:
        # Given a customer of an organization with no payment yet
        payer = a_payer(Api(c))

        # When they pay an invoice, have a card declined on another, then pay a third
        first = paid_by_card(payer)
        declined = paid_by_card(payer, "pm_card_chargeDeclined")
        second = paid_by_card(payer)

        # Then the payments that went through are PAY-000001 and PAY-000002, the declined one has no number
        assert (first["status"], first["number"]) == ("succeeded", "PAY-000001")
        assert (declined["status"], declined["number"]) == ("failed", None)
        assert (second["status"], second["number"]) == ("succeeded", "PAY-000002")
        listed = {p["payment_id"]: p["number"] for p in payer.portal.get("/portal/payments").json["items"]}
        assert listed == {first["payment_id"]: "PAY-000001", declined["payment_id"]: None,
                          second["payment_id"]: "PAY-000002"}
        assert payer.portal.get(f"/portal/payments/{first['payment_id']}").json["number"] == "PAY-000001"



def test_a_payment_whose_record_failed_takes_its_number_when_it_is_recorded_leaving_no_gap(aws, monkeypatch):
    clock = Clock()
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a customer with an open invoice, and DynamoDB refusing every transaction once the card is charged
        payer = a_payer(Api(c))
        body = {"invoice_ids": [an_invoice(payer, 10_000)["invoice_id"]], "payment_method": "pm_card_visa"}
        faults, charge = throttling(monkeypatch), gateway.charge

        def charged_then_unavailable(**kwargs):
            result = charge(**kwargs)
            faults.always("TransactWriteItems")
            return result
        monkeypatch.setattr(gateway, "charge", charged_then_unavailable)

        # When the payment is charged but cannot be recorded, and the customer retries a minute later
        unrecorded = pay(payer.portal, body, key="k")
        faults.stop()
        monkeypatch.setattr(gateway, "charge", charge)
        clock.advance(seconds=61)
        recorded = pay(payer.portal, body, key="k")
        next_one = paid_by_card(payer)

        # Then the retry records it as PAY-000001, charged once, and the next payment is PAY-000002
        assert unrecorded.status == 503, unrecorded.json
        assert recorded.status == 201, recorded.json
        assert (recorded.json["status"], recorded.json["number"]) == ("succeeded", "PAY-000001")
        assert next_one["number"] == "PAY-000002"
        assert gateway.charges == 2

def test_the_receipt_the_email_and_the_statement_name_the_payment_by_its_number(aws):
    Clock()
    with client() as c:
        # Given a customer who paid an invoice by card
        payer = a_payer(Api(c))
        payment = paid_by_card(payer)

        # When they download its receipt and read their statement, and the receipt email is queued
        receipt = payer.portal.get(f"/portal/payments/{payment['payment_id']}/receipt", headers=PDF_HEADERS)
        [usd] = payer.portal.get("/portal/statements?from=2026-01-01&to=2026-11-25").json["statements"]
        queued = adapters().uow.emails.due(NOW + timedelta(days=1), limit=25)

        # Then each names it PAY-000001, never by its id
        assert receipt.headers["Content-Disposition"] == 'attachment; filename="receipt-PAY-000001.pdf"'
        assert "PAY-000001" in pdf_text(receipt.body) and payment["payment_id"] not in pdf_text(receipt.body)
        assert [row["reference"] for row in usd["rows"] if row["kind"] == "payment"] == ["PAY-000001"]
        [email] = [e for e in queued if e.template == "payment_receipt"]
        assert email.context["receipt_number"] == "PAY-000001"
        [notice] = [e for e in queued if e.template == "merchant_notification"]
        assert "Payment: PAY-000001" in notice.context["details"]


def test_a_payment_recorded_before_payments_were_numbered_is_named_by_its_id(aws):
    Clock()
    with client() as c:
        # Given a payment that went through before payments had numbers
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10_000)
        a_saved_card(payer)
        at = datetime(2026, 11, 1, tzinfo=timezone.utc)
        with adapters().uow.transaction("payment") as tx:
            adapters().uow.payments.save_in(tx, payer.org_id, Payment(
                payment_id="pay_before_numbers", customer_id=payer.customer_id, status=PaymentStatus.SUCCEEDED,
                amount_minor=10_000, currency="USD", allocations=(Allocation(invoice["invoice_id"], 10_000),),
                created_at=at, succeeded_at=at, gateway="simulated"), before=None, now=at)

        # When the customer looks at it and downloads its receipt
        shown = payer.portal.get("/portal/payments/pay_before_numbers").json
        receipt = payer.portal.get("/portal/payments/pay_before_numbers/receipt", headers=PDF_HEADERS)

        # Then it has no number, and the receipt is named by its id
        assert shown["number"] is None
        assert receipt.headers["Content-Disposition"] == 'attachment; filename="receipt-pay_before_numbers.pdf"'
        assert "pay_before_numbers" in pdf_text(receipt.body)
