"""A succeeded payment's receipt and merchant notice: their facts are recorded on the request's path
without rendering them (the outbox job renders them), so what the payment records must render."""
from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.payments import PaymentStatus
from chalicelib.gateways.email_templates import render_email
from chalicelib.services.accounts import outbox
from chalicelib.services.payments import settlement
from tests.support.domain_builders import NOW, a_customer, a_payment, an_invoice, an_organization


def a_succeeded_payment():
    invoice = an_invoice(12_345)
    return replace(a_payment(invoice), status=PaymentStatus.SUCCEEDED, succeeded_at=NOW, number="PAY-000012",
                   method_summary="Visa •••• 4242")


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_the_receipt_and_the_notice_a_payment_records_render_as_the_job_will_render_them(locale):
    # Given an organization writing to its customers in `locale`, a customer and a payment that went through
    org, customer, payment = an_organization(locale=locale), a_customer(), a_succeeded_payment()

    # When the payment's emails are recorded
    receipt, notice = settlement.emails(org, customer, payment, ["INV-000001"], NOW)

    # Then each renders from what was recorded, naming the payment
    receipt_subject, _, receipt_text = render_email(receipt.template, receipt.context)
    notice_subject, _, notice_text = render_email(notice.template, notice.context)
    assert receipt.to == (customer.email,) and notice.to == (org.email,)
    assert "PAY-000012" in receipt_text and "INV-000001" in receipt_text
    assert "Payment received from Globex" in notice_subject + notice_text and "PAY-000012" in notice_text


def test_recording_them_renders_nothing_on_the_request_path(monkeypatch):
    # Given rendering that fails loudly
    def rendered(*_):
        raise AssertionError("rendered on the request path")
    monkeypatch.setattr(outbox, "render_email", rendered)

    # When a payment's emails are recorded, Then they are, unrendered
    assert len(settlement.emails(an_organization(), a_customer(), a_succeeded_payment(), ["INV-000001"], NOW)) == 2


def test_a_context_missing_a_value_the_template_writes_is_still_refused_when_recorded():
    # When an email is recorded without a value its template writes (keys checked, nothing rendered)
    with pytest.raises(KeyError, match="receipt_number"):
        outbox.new_record("org_acme", "payment_receipt", {"org_name": "Acme"}, ["zoe@globex.example"], now=NOW,
                          render_check=False)
