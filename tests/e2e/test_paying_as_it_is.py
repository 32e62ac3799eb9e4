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


def declined_for_olive(page, portal, name: str) -> None:
    """Olive, signed in, whose payment of a 49.00 invoice with a new card her bank declined."""
    olive = fresh_customer(portal.org_id, name)
    invoice_id = an_invoice(olive, 4900, "Annual audit")
    sign_in(page, olive.org_id, olive.email, olive.password)
    page.goto(f"./#/pay?invoices={invoice_id}")
    pay_with_test_card(page, "pm_card_chargeDeclined", "$49.00")
    expect(page.locator("#pay-with-error")).to_contain_text(re.compile("declined", re.I))


def test_a_failed_payment_is_shown_as_failed_with_what_to_do_and_no_receipt(page, portal):
    # Given Olive's payment of an invoice, declined by her bank
    declined_for_olive(page, portal, "Failed")

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


def test_a_failed_payment_of_an_invoice_paid_since_does_not_say_it_is_still_to_pay(page, portal):
    # Given Olive's declined payment of an invoice, and her payment of it with another card just after
    declined_for_olive(page, portal, "Paid since")
    pay_with_test_card(page, "pm_card_visa", "$49.00")
    expect(page.get_by_role("heading", level=1, name="Payment received")).to_be_visible()

    # When she opens the failed payment
    go_to(page, "Payments Made")
    page.get_by_role("table", name="Payments made").get_by_role("row").filter(has_text="Failed").get_by_role("link").click()

    # Then its invoices are the ones it was for, not said to be still to pay
    expect(page.get_by_role("heading", level=1, name="Failed payment")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Invoices it was for")).to_be_visible()
    expect(page.get_by_text("still to pay")).to_have_count(0)


def test_a_pdf_that_cannot_be_downloaded_is_said_in_words(page, portal):
    # Given Olive on one of her invoices, and the server refusing its PDF
    olive = fresh_customer(portal.org_id, "Nopdf")
    invoice_id = an_invoice(olive, 1500, "Support")
    sign_in(page, olive.org_id, olive.email, olive.password)
    page.route("**/pdf", lambda route: route.fulfill(status=503, content_type="application/json", body=json.dumps(
        {"error": {"code": "temporarily_unavailable", "message": "The service is busy right now; try again in 2 s.",
                   "details": {"retry_after_seconds": 2}}})))
    page.goto(f"./#/invoices/{invoice_id}")

    # When she downloads the PDF
    page.get_by_role("button", name="Download PDF").click()

    # Then she is told it could not be downloaded, and why
    expect(page.locator("#toasts")).to_contain_text(
        "The PDF could not be downloaded. The service is busy right now. Please try again in 2 seconds.")


def _now():
    from datetime import datetime, timezone
    return datetime.now(timezone.utc)


def a_saved_card(customer, test_card: str = "pm_card_visa"):
    from chalicelib.bootstrap import services
    return services().payments.add_method(customer.org_id, customer.customer_id, test_card, make_default=False,
                                          now=_now())


def a_subscription_without_a_card_and_its_open_invoice(customer) -> tuple[str, str]:
    from chalicelib.bootstrap import services
    from chalicelib.services.documents.commands import NewDocumentLine
    from tests.e2e.steps import a_subscription
    subscription_id = a_subscription(customer, "pro", days_ago=5)
    invoice = services().documents.create_invoice(customer.org_id, customer.customer_id, now=_now(),
                                                  subscription_id=subscription_id,
                                                  lines=[NewDocumentLine("Pro plan", 2900)])
    return subscription_id, invoice.invoice_id


def test_paying_with_a_saved_card_can_make_it_the_card_of_the_invoices_subscription(page, portal):
    # Given Olive's Pro subscription with no card, its open invoice, and a Visa she saved
    olive = fresh_customer(portal.org_id, "Savedcard")
    visa = a_saved_card(olive)
    subscription_id, invoice_id = a_subscription_without_a_card_and_its_open_invoice(olive)
    sign_in(page, olive.org_id, olive.email, olive.password)

    # When she pays the invoice with the Visa and says it also pays the subscription
    page.goto(f"./#/pay?invoices={invoice_id}")
    page.get_by_label(re.compile(f"^{re.escape(visa.summary)}")).check()
    page.get_by_label("Also use this card for your subscription Pro").check()
    screenshot(page, "pay-with-a-saved-card-for-the-subscription")
    page.get_by_role("button", name="Pay $29.00").click()
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()

    # Then the subscription is charged to the Visa automatically from now on
    page.goto(f"./#/subscriptions/{subscription_id}")
    expect(page.get_by_text(visa.summary, exact=True)).to_be_visible()
    expect(page.get_by_role("switch")).to_be_checked()


def test_saving_a_card_promises_subscription_payments_only_for_a_subscriptions_invoice(page, portal):
    # Given an invoice of no subscription, and one of Olive's Pro subscription
    olive = fresh_customer(portal.org_id, "Promise")
    loose_invoice = an_invoice(olive, 1500, "Workshop")
    _, subscription_invoice = a_subscription_without_a_card_and_its_open_invoice(olive)
    sign_in(page, olive.org_id, olive.email, olive.password)

    # When she is about to pay the first with a new card
    page.goto(f"./#/pay?invoices={loose_invoice}")
    page.get_by_label("A new card").check()

    # Then saving the card says nothing about subscriptions
    expect(page.get_by_label("Save this card for future payments")).to_be_visible()
    expect(page.get_by_text("also pay", exact=False)).to_have_count(0)

    # While for the subscription's invoice it names the subscription the card will pay
    page.goto(f"./#/pay?invoices={subscription_invoice}")
    page.get_by_label("A new card").check()
    expect(page.get_by_text("It will also pay your subscription Pro automatically.")).to_be_visible()


def test_removing_a_card_that_pays_a_subscription_asks_which_card_takes_over(page, portal):
    # Given Olive's Pro subscription charged automatically to her Mastercard, and a Visa saved too
    from tests.e2e.steps import a_subscription
    olive = fresh_customer(portal.org_id, "Removal")
    visa, mastercard = a_saved_card(olive), a_saved_card(olive, "pm_card_mastercard")
    subscription_id = a_subscription(olive, "pro", days_ago=5, auto_charge=True,
                                     payment_method_id=mastercard.payment_method_id)
    sign_in(page, olive.org_id, olive.email, olive.password)

    # When she removes the Mastercard
    go_to(page, "My Details")
    page.get_by_role("button", name=f"Remove {mastercard.summary}").click()
    page.get_by_role("dialog").get_by_role("button", name="Remove").click()

    # Then she is asked which card pays the subscription, and chooses the Visa
    chooser = page.get_by_role("dialog", name="Which card pays Pro from now on?")
    expect(chooser).to_be_visible()
    screenshot(page, "remove-a-card-of-a-subscription")
    chooser.get_by_label(visa.summary).check()
    chooser.get_by_role("button", name="Move them and remove the card").click()
    expect(page.locator("#toasts")).to_contain_text("The card is removed.")

    # And the subscription is charged to the Visa
    page.goto(f"./#/subscriptions/{subscription_id}")
    expect(page.get_by_text(visa.summary, exact=True)).to_be_visible()


def test_available_credit_pays_first_and_the_card_pays_the_rest(page, portal):
    # Given Olive's open invoice of $49.00 and a credit of $10.00
    from chalicelib.bootstrap import services
    from chalicelib.services.documents.commands import NewDocumentLine
    olive = fresh_customer(portal.org_id, "Credit")
    an_invoice(olive, 4900, "Annual audit")
    services().documents.create_credit_note(olive.org_id, olive.customer_id, now=_now(), reason="Goodwill",
                                            lines=[NewDocumentLine("Goodwill credit", 1000)])
    sign_in(page, olive.org_id, olive.email, olive.password)

    # When she pays everything outstanding
    page.get_by_role("link", name="Pay Now").click()

    # Then the pay screen offers the credit and says what is left for the card
    expect(page.get_by_label("Use my available credit ($10.00)")).to_be_checked()
    expect(page.locator("#left-to-pay")).to_have_text("$10.00 from your credit; $39.00 left to pay by card.")
    screenshot(page, "pay-with-credit")
    page.get_by_label("Use my available credit ($10.00)").uncheck()
    expect(page.get_by_role("button", name="Pay $49.00")).to_be_visible()
    page.get_by_label("Use my available credit ($10.00)").check()

    # And paying charges the card only the rest, and the invoice is paid
    pay_with_test_card(page, "pm_card_visa", "$39.00")
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    expect(page.get_by_text("We received $39.00")).to_be_visible()
    go_to(page, "Invoices")
    page.get_by_role("link", name="Outstanding").click()
    expect(page.get_by_text("You are all paid up.")).to_be_visible()


def test_credit_that_covers_the_invoice_pays_it_without_charging_the_card(page, portal):
    # Given Olive's open invoice of $20.00 and a credit of $25.00
    from chalicelib.bootstrap import services
    from chalicelib.services.documents.commands import NewDocumentLine
    olive = fresh_customer(portal.org_id, "Covered")
    invoice_id = an_invoice(olive, 2000, "Support hours")
    services().documents.create_credit_note(olive.org_id, olive.customer_id, now=_now(), reason="Goodwill",
                                            lines=[NewDocumentLine("Goodwill credit", 2500)])
    sign_in(page, olive.org_id, olive.email, olive.password)

    # When she pays it with her credit
    page.goto(f"./#/pay?invoices={invoice_id}")
    expect(page.locator("#left-to-pay")).to_have_text("Your credit pays all of it; nothing is charged to your card.")
    page.get_by_role("button", name="Pay with my credit").click()

    # Then it is paid, and nothing was charged
    expect(page.get_by_text("Your available credit paid this; nothing was charged.")).to_be_visible()


def test_an_invoice_below_the_smallest_card_payment_says_it_is_paid_with_the_next_payment(page, portal):
    # Given Olive owes 0.30, less than the smallest card payment (0.50 USD)
    olive = fresh_customer(portal.org_id, "Tiny")
    invoice_id = an_invoice(olive, 30, "Tiny plan")
    sign_in(page, olive.org_id, olive.email, olive.password)

    # When she looks at her invoices, and at that invoice
    go_to(page, "Invoices")
    listed = page.get_by_role("table", name="Invoices")

    # Then it offers no payment that would be refused, and says how it is paid
    expect(listed.get_by_text("Paid with your next payment")).to_be_visible()
    expect(listed.get_by_role("link", name=re.compile("Pay Now"))).to_have_count(0)
    page.goto(f"./#/invoices/{invoice_id}")
    expect(page.get_by_text("less than the smallest card payment")).to_be_visible()
    expect(page.get_by_role("link", name="Make Payment")).to_have_count(0)


def test_paying_for_two_subscriptions_of_one_plan_names_each_distinctly(page, portal):
    # Given Olive's two Pro subscriptions, one with her reference, and an open invoice of each
    from chalicelib.bootstrap import services
    from chalicelib.services.documents.commands import NewDocumentLine
    from tests.e2e.steps import a_subscription
    olive = fresh_customer(portal.org_id, "Twopro")
    invoices = []
    for fields in ({"reference": "Team A"}, {}):
        subscription_id = a_subscription(olive, "pro", days_ago=5, **fields)
        invoices.append(services().documents.create_invoice(olive.org_id, olive.customer_id, now=_now(),
                                                            subscription_id=subscription_id,
                                                            lines=[NewDocumentLine("Pro plan", 2900)]).invoice_id)
    sign_in(page, olive.org_id, olive.email, olive.password)

    # When she is about to pay both with a new card
    page.goto(f"./#/pay?invoices={','.join(invoices)}")
    page.get_by_label("A new card").check()

    # Then the card's promise tells the two Pro subscriptions apart
    promise = page.get_by_text(re.compile("^It will also pay your subscriptions"))
    expect(promise).to_contain_text("Pro (Team A)")
    expect(promise).to_contain_text(re.compile(r"Pro \(since \w+ \d+, \d{4}\)"))
    screenshot(page, "pay-two-of-one-plan")
