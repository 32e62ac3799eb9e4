"""Paying as it is: a failed payment is shown as failed (never as a receipt), a PDF that cannot be
downloaded says so, a saved card can be put on the subscriptions it pays, a card that pays
subscriptions is not removed behind the customer's back, and available credits pay first."""
import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.steps import an_invoice, fresh_customer, go_to, sign_in

pytestmark = pytest.mark.e2e


def pay_with_test_card(page, card: str, amount: str) -> None:
    page.get_by_label("A new card").check()
    page.get_by_label("Test card", exact=True).select_option(card)
    page.get_by_role("button", name=f"Pay {amount}").click()


def test_a_failed_payment_is_shown_as_failed_with_what_to_do_and_no_receipt(page, portal):
    # Given Olive's payment of an invoice, declined by her bank
    olive = fresh_customer(portal.org_id, "Failed")
    invoice_id = an_invoice(olive, 4900, "Annual audit")
    sign_in(page, olive.org_id, olive.email, olive.password)
    page.goto(f"./#/pay?invoices={invoice_id}")
    pay_with_test_card(page, "pm_card_chargeDeclined", "$49.00")
    expect(page.locator("#pay-with-error")).to_contain_text(re.compile("declined", re.I))

    # When she opens that payment from Payments made
    go_to(page, "Payments Made")
    page.get_by_role("table", name="Payments made").get_by_role("link").first.click()

    # Then it is a failed payment, with why and what to do, and nothing reads as a receipt
    expect(page.get_by_role("heading", level=1, name="Failed payment")).to_be_visible()
    expect(page.get_by_text("nothing was charged")).to_be_visible()
    expect(page.get_by_text("Why it failed")).to_be_visible()
    expect(page.get_by_role("link", name="Pay again")).to_be_visible()
    for receipt_words in ("Payment receipt", "Paid on", "Invoices paid"):
        expect(page.get_by_text(receipt_words, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Download receipt")).to_have_count(0)
    screenshot(page, "failed-payment")


def test_a_pdf_that_cannot_be_downloaded_is_said_in_words(page, portal):
    # Given Olive on one of her invoices, and the server refusing its PDF
    olive = fresh_customer(portal.org_id, "Nopdf")
    invoice_id = an_invoice(olive, 1500, "Support")
    sign_in(page, olive.org_id, olive.email, olive.password)
    page.route("**/pdf", lambda route: route.fulfill(status=422, content_type="application/json", body=json.dumps(
        {"error": {"code": "pdf_unavailable", "message": "This document has no PDF yet."}})))
    page.goto(f"./#/invoices/{invoice_id}")

    # When she downloads the PDF
    page.get_by_role("button", name="Download PDF").click()

    # Then she is told it could not be downloaded, and why
    expect(page.locator("#toasts")).to_contain_text("The PDF could not be downloaded. This document has no PDF yet.")
