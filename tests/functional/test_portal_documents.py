"""GET /portal/invoices/{id}/pdf, /portal/payments/{id}/receipt, /portal/estimates/{id}/pdf:
real PDFs, served as binary, whose text carries the right figures; only the customer's own."""
from datetime import datetime, timezone

import pytest

from chalicelib.bootstrap import adapters
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
from chalicelib.tables.transactions import transaction
from tests.support.api import Api, client
from tests.support.documents import (PDF_HEADERS, a_payment, a_scene, an_estimate, an_invoice, pdf_text,
                                     same_org_stranger, other_org_stranger)
from tests.support.portal import assert_refused


def with_billing_address(scene) -> None:
    answer = scene.admin.patch(f"/admin/customers/{scene.customer_id}", {
        "company_name": "Globex Corporation",
        "billing_address": {"line1": "1 Globex Way", "city": "Cypress Creek", "postal_code": "90210",
                            "country": "US"}})
    assert answer.status == 200, answer.json


def test_an_invoice_pdf_shows_the_parties_lines_taxes_payments_and_balance(aws):
    with client() as c:
        # Given an invoice with two lines and 10 % tax, partly paid
        scene = a_scene(Api(c), phone="+1 555 0100")
        with_billing_address(scene)
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 12_345, 2), ("Setup fee", 100_000, 1),
                             tax_rate_bp=1000)
        a_payment(scene.admin, scene.customer_id, invoice["invoice_id"], 50_000)

        # When the customer downloads it
        answer = scene.zoe.portal.get(f"/portal/invoices/{invoice['invoice_id']}/pdf", headers=PDF_HEADERS)

        # Then it is the PDF of that invoice, as an attachment named by its number
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "application/pdf"
        assert answer.headers["Content-Disposition"] == f'attachment; filename="{invoice["number"]}.pdf"'
        text = pdf_text(answer.body)
        # 2 x 123.45 + 1,000.00 = 1,246.90; tax 124.69; total 1,371.59; paid 500.00; due 871.59
        for expected in ("Acme Cloud", "billing@acme.example", "+1 555 0100", "INVOICE", invoice["number"],
                         "Globex", "Globex Corporation", "1 Globex Way", "Cypress Creek 90210",
                         "Pro plan", "$123.45", "$246.90", "Setup fee", "$1,000.00",
                         "Subtotal", "$1,246.90", "$124.69", "Total", "$1,371.59",
                         "Amount paid", "-$500.00", "Balance due", "$871.59", "Partially Paid"):
            assert expected in text, expected


def test_a_payment_receipt_shows_what_was_received_for_which_invoice(aws):
    with client() as c:
        # Given a payment of 60.00 against a 100.00 invoice
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 10_000, 1))
        payment = a_payment(scene.admin, scene.customer_id, invoice["invoice_id"], 6_000)

        # When the customer downloads its receipt
        answer = scene.zoe.portal.get(f"/portal/payments/{payment['payment_id']}/receipt", headers=PDF_HEADERS)

        # Then the receipt names the payment by its number, the invoice and the amounts
        assert answer.status == 200
        assert answer.headers["Content-Disposition"] == 'attachment; filename="receipt-PAY-000001.pdf"'
        text = pdf_text(answer.body)
        for expected in ("PAYMENT RECEIPT", "PAY-000001", "Bank Transfer", "November 25, 2026", invoice["number"],
                         "$100.00", "$60.00", "Amount received", "Globex", "Acme Cloud"):
            assert expected in text, expected


def test_a_payment_that_did_not_go_through_has_no_receipt(aws):
    with client() as c:
        # Given a failed payment
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        now = datetime(2026, 11, 25, tzinfo=timezone.utc)
        with transaction() as tx:
            adapters().uow.payments.save_in(tx, scene.acme.org.org_id, Payment(
                payment_id="pay_failed", customer_id=scene.customer_id, status=PaymentStatus.FAILED,
                amount_minor=10_000, currency="USD", allocations=(Allocation(invoice["invoice_id"], 10_000),),
                created_at=now, gateway="simulated", failure_code="card_declined"), before=None, now=now)

        answer = scene.zoe.portal.get("/portal/payments/pay_failed/receipt", headers=PDF_HEADERS)

        assert answer.status == 422
        assert answer.json["error"]["code"] == "payment_not_succeeded"


def test_an_estimate_pdf_shows_its_total_and_validity(aws):
    with client() as c:
        scene = a_scene(Api(c))
        estimate = an_estimate(scene.admin, scene.customer_id, 250_000, expires_in_days=10)

        answer = scene.zoe.portal.get(f"/portal/estimates/{estimate['estimate_id']}/pdf", headers={"Accept": "*/*"})

        assert answer.status == 200
        text = pdf_text(answer.body)
        for expected in ("ESTIMATE", estimate["number"], "Data migration", "$2,500.00", "Valid until",
                         "December 5, 2026", "Globex"):
            assert expected in text, expected


@pytest.mark.parametrize("stranger_of", [same_org_stranger, other_org_stranger])
def test_another_customers_documents_answer_404_like_missing_ones(aws, stranger_of):
    with client() as c:
        # Given documents of another customer (of the same organization, or of another one)
        scene = a_scene(Api(c))
        stranger = stranger_of(scene)
        invoice = an_invoice(stranger.admin, stranger.customer_id)
        payment = a_payment(stranger.admin, stranger.customer_id, invoice["invoice_id"], 100)
        estimate = an_estimate(stranger.admin, stranger.customer_id)

        # When the signed-in customer asks for them, and for ids that do not exist
        paths = [f"/portal/invoices/{invoice['invoice_id']}/pdf", f"/portal/payments/{payment['payment_id']}/receipt",
                 f"/portal/estimates/{estimate['estimate_id']}/pdf"]
        theirs = [scene.zoe.portal.get(path, headers=PDF_HEADERS) for path in paths]
        missing = [scene.zoe.portal.get(path.replace("_", "_0"), headers=PDF_HEADERS) for path in paths]

        # Then each answers 404, exactly as a missing one does
        for their, gone in zip(theirs, missing):
            assert their.status == gone.status == 404
            assert their.json["error"]["code"] == gone.json["error"]["code"] == "not_found"
            assert their.json["error"]["details"] == gone.json["error"]["details"]


def test_document_pdfs_need_a_session(aws):
    with client() as c:
        anonymous = Api(c)
        for path in ("/portal/invoices/inv_1/pdf", "/portal/payments/pay_1/receipt", "/portal/estimates/est_1/pdf"):
            assert_refused(anonymous.get(path, headers=PDF_HEADERS))
