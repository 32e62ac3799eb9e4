"""Billing journeys in the browser: paying, subscriptions, statements, forwarding, details,
reviews. Each is skipped until the API routes it drives are on the branch (they are built in
parallel), and lights up once they are merged."""
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.support.documents import pdf_text
from tests.e2e.steps import (a_subscription, accessibility_problems, an_estimate, an_invoice, fresh_customer, go_to,
                             new_customer, organization_with, portal_user_for, route_exists, sidebar, sign_in)

pytestmark = pytest.mark.e2e


def needs(*routes):
    missing = [f"{method} {path}" for method, path in (r.split(" ", 1) for r in routes) if not route_exists(path, method)]
    return pytest.mark.skipif(bool(missing), reason=f"waiting for {', '.join(missing)}")


PAYING = needs("GET /portal/dashboard", "GET /portal/invoices", "GET /portal/invoices/{invoice_id}", "POST /portal/payments",
               "GET /portal/payment-methods", "GET /portal/payments/{payment_id}", "GET /portal/payments/{payment_id}/receipt")
SUBSCRIPTIONS = needs("GET /portal/subscriptions", "GET /portal/subscriptions/{subscription_id}",
                      "GET /portal/subscriptions/{subscription_id}/invoices")


@PAYING
def test_paying_all_outstanding_with_the_test_card_then_downloading_the_receipt(page, portal):
    # Given a customer with two open invoices
    customer = fresh_customer(portal.org_id, "Payall")
    an_invoice(customer, 12000, "Setup")
    an_invoice(customer, 3050, "Support hours")
    sign_in(page, customer.org_id, customer.email, customer.password)
    expect(page.get_by_role("region", name="Outstanding invoices")).to_contain_text("$150.50")

    # When she pays everything outstanding with Stripe's test Visa
    page.get_by_role("link", name="Pay Now").click()
    expect(page.get_by_role("heading", name="Pay all outstanding invoices")).to_be_visible()
    page.get_by_label("A new card").check()
    page.get_by_label("Test card", exact=True).select_option("pm_card_visa")
    assert accessibility_problems(page) == []
    screenshot(page, "pay")
    page.get_by_role("button", name="Pay $150.50").click()

    # Then the payment is received, the receipt downloads, and the invoices are paid
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    expect(page.get_by_text("We received $150.50")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Payment number: PAY-\d{6}"))).to_be_visible()
    screenshot(page, "payment-received")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download receipt").click()
    assert re.fullmatch(r"receipt-PAY-\d{6}\.pdf", download.value.suggested_filename), download.value.suggested_filename
    go_to(page, "Invoices")
    page.get_by_role("link", name="Outstanding").click()
    expect(page.get_by_text("You are all paid up.")).to_be_visible()
    page.get_by_role("link", name="Paid", exact=True).click()
    expect(page.get_by_role("table", name="Invoices").get_by_text("Paid")).to_have_count(2)


@PAYING
def test_a_declined_card_is_shown_and_the_invoice_stays_open(page, portal):
    # Given a customer with an open invoice
    customer = fresh_customer(portal.org_id, "Declined")
    an_invoice(customer, 4900, "Annual audit")
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she pays it with a card the bank declines
    go_to(page, "Invoices")
    page.get_by_role("link", name=re.compile("^Pay Now, invoice")).click()
    page.get_by_label("A new card").check()
    page.get_by_label("Test card", exact=True).select_option("pm_card_chargeDeclined")
    page.get_by_role("button", name="Pay $49.00").click()

    # Then the refusal is shown beside the payment method, and nothing is paid
    expect(page.locator("#pay-with-error")).to_contain_text(re.compile("declined", re.I))
    screenshot(page, "payment-declined")
    go_to(page, "Invoices")
    expect(page.get_by_role("table", name="Invoices").get_by_text("Open")).to_have_count(1)


def on_a_live_pro_subscription(page, portal, name: str) -> None:
    """A customer of a live Pro subscription started ten days ago, signed in, on its page."""
    customer = fresh_customer(portal.org_id, name)
    a_subscription(customer, "pro", days_ago=10)
    sign_in(page, customer.org_id, customer.email, customer.password)
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()


@SUBSCRIPTIONS
@needs("GET /portal/subscription-options", "POST /portal/subscriptions/{subscription_id}/changes/preview",
       "POST /portal/subscriptions/{subscription_id}/changes")
def test_changing_plan_now_charges_what_the_preview_showed(page, portal):
    # Given a live Pro subscription, started ten days ago
    on_a_live_pro_subscription(page, portal, "Upgrader")

    # When she previews moving to Business now
    page.get_by_role("link", name="Manage Subscription").click()
    page.get_by_label(re.compile("^Business")).check()
    page.get_by_label("Now").check()
    page.get_by_role("button", name="Preview changes").click()
    total = page.get_by_test_id("quote-invoice-total").inner_text()
    assert accessibility_problems(page) == []
    screenshot(page, "change-plan-preview")

    # Then confirming raises an invoice of exactly that amount
    page.get_by_role("button", name="Confirm change").click()
    expect(page.get_by_role("heading", name="Business", level=1)).to_be_visible()
    invoices = page.get_by_role("table", name="Invoices of this subscription")
    expect(invoices.get_by_role("row").nth(1)).to_contain_text(total)


@SUBSCRIPTIONS
def test_a_refused_addon_quantity_is_marked_and_leaves_no_earlier_preview_to_confirm(page, portal):
    # Given a live Pro subscription, and the preview of two extra seats on it
    on_a_live_pro_subscription(page, portal, "Miscounter")
    page.get_by_role("link", name="Manage Subscription").click()
    seats = page.get_by_label(re.compile("^Extra seats"))
    seats.fill("2")
    page.get_by_role("button", name="Preview changes").click()
    expect(page.get_by_role("button", name="Confirm change")).to_be_visible()

    # When she makes it minus two and previews again
    seats.fill("-2")
    page.get_by_role("button", name="Preview changes").click()

    # Then the seats field says what is wrong, and no Confirm of the earlier preview is left to press
    expect(seats).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("This number is too small.")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm change")).to_have_count(0)


@SUBSCRIPTIONS
def test_previewing_a_change_that_changes_nothing_says_so(page, portal):
    # Given a live Pro subscription
    on_a_live_pro_subscription(page, portal, "Unchanged")

    # When she previews the form as it opened
    page.get_by_role("link", name="Manage Subscription").click()
    page.get_by_role("button", name="Preview changes").click()

    # Then she reads that nothing would change, not that she should check fields none of which is marked
    expect(page.get_by_role("alert")).to_have_text("Nothing would change.")


@SUBSCRIPTIONS
def test_a_subscription_names_the_card_it_is_charged_to(page, portal):
    # Given a live subscription auto-charged to a saved Visa card
    from chalicelib.bootstrap import services
    customer = fresh_customer(portal.org_id, "Carded")
    card = services().payments.add_method(customer.org_id, customer.customer_id, "pm_card_visa", make_default=True,
                                          now=datetime.now(timezone.utc))
    a_subscription(customer, "pro", days_ago=5, auto_charge=True, payment_method_id=card.payment_method_id)
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she opens it
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()

    # Then its overview names the card
    expect(page.get_by_text(card.summary, exact=True)).to_be_visible()


@needs("GET /portal/subscriptions/{subscription_id}", "PUT /portal/subscriptions/{subscription_id}/payment-method",
       "PUT /portal/subscriptions/{subscription_id}/auto-charge")
def test_a_subscription_without_a_card_is_given_a_saved_one_and_then_charged_automatically(page, portal):
    # Given a live subscription with no card of its own, though the account has a saved one
    from chalicelib.bootstrap import services
    customer = fresh_customer(portal.org_id, "Cardless")
    services().payments.add_method(customer.org_id, customer.customer_id, "pm_card_visa", make_default=True,
                                   now=datetime.now(timezone.utc))
    a_subscription(customer, "pro", days_ago=5)
    sign_in(page, customer.org_id, customer.email, customer.password)
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()
    expect(page.get_by_role("switch")).to_have_count(0)
    expect(page.get_by_text("To turn it on, choose a card for this subscription first.")).to_be_visible()

    # When she picks the saved card for it, then turns auto-charge on
    page.get_by_label("Charge to").select_option(label="Visa ending 4242, expires 12/2034")
    page.get_by_role("button", name="Use this card").click()
    expect(page.get_by_text("This subscription is now charged to the chosen card.")).to_be_visible()
    page.get_by_role("switch").check()

    # Then the subscription is charged to that card, automatically
    expect(page.get_by_text("Auto-charge turned on.")).to_be_visible()
    expect(page.get_by_role("switch")).to_be_checked()
    expect(page.get_by_label("Charge to")).to_have_value(
        services().payments.methods(customer.org_id, customer.customer_id)[0].payment_method_id)


@needs("GET /portal/subscriptions/{subscription_id}", "PUT /portal/subscriptions/{subscription_id}/payment-method")
def test_a_subscription_without_a_card_and_no_card_saved_links_to_adding_one(page, portal):
    # Given a live subscription, and no card saved on the account
    customer = fresh_customer(portal.org_id, "Uncarded")
    a_subscription(customer, "pro", days_ago=5)
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she opens it
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()

    # Then it offers to add a card, where cards are kept
    page.get_by_role("link", name="Add a card to use it here").click()
    expect(page).to_have_url(re.compile("#/details$"))


@needs("PUT /portal/subscriptions/{subscription_id}/pause-schedule", "DELETE /portal/subscriptions/{subscription_id}/pause-schedule")
def test_scheduling_a_pause_then_deleting_it(page, portal):
    # Given a live subscription
    customer = fresh_customer(portal.org_id, "Pauser")
    a_subscription(customer, "pro")
    sign_in(page, customer.org_id, customer.email, customer.password)
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()

    # When she schedules a pause next week, resuming the week after
    page.get_by_role("button", name="Pause Subscription").click()
    page.get_by_label("Pause on").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_label("Resume on").fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Preview pause").click()

    # Then she is told what becomes of the paid days, before she confirms
    expect(page.get_by_role("dialog")).to_contain_text("paid, unused days")
    page.get_by_role("button", name="Confirm pause").click()

    # Then the schedule shows, and deleting it removes it
    banner = page.get_by_role("region", name="Pause schedule")
    expect(banner).to_contain_text("Pauses on")
    screenshot(page, "pause-scheduled")
    banner.get_by_role("button", name="Delete Schedule").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete Schedule").click()
    expect(page.get_by_text("The pause schedule is deleted.")).to_be_visible()
    expect(page.get_by_role("region", name="Pause schedule")).to_have_count(0)


@SUBSCRIPTIONS
@needs("POST /portal/subscriptions/{subscription_id}/cancel",
       "DELETE /portal/subscriptions/{subscription_id}/scheduled-cancellation",
       "GET /portal/subscriptions/{subscription_id}/cancel-dialog")
def test_cancelling_at_term_end_then_keeping_the_subscription(page, portal):
    # Given a live subscription, and a merchant who lists reasons and offers 25% off to stay
    customer = fresh_customer(portal.org_id, "Canceller")
    a_subscription(customer, "pro")
    sign_in(page, customer.org_id, customer.email, customer.password)
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()

    # When she passes the offer by and cancels at the end of the term, with a reason and a comment
    page.get_by_role("button", name="Cancel Subscription").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("region", name="An offer before you go")).to_contain_text("25% off for 3 terms")
    dialog.get_by_label(re.compile("At the end of the current term")).check()
    dialog.get_by_label("Why are you leaving? (optional)").select_option("Switching provider")
    dialog.get_by_label("Anything else you want to tell us? (optional)").fill("Trying another tool")
    dialog.get_by_role("button", name="Cancel Subscription").click()

    # Then it says when it ends, and she can take the cancellation back
    banner = page.get_by_role("region", name="Scheduled cancellation")
    expect(banner).to_contain_text("will be cancelled on")
    expect(page.get_by_text("Non-renewing").first).to_be_visible()
    assert accessibility_problems(page) == []
    screenshot(page, "cancel-scheduled")
    banner.get_by_role("button", name="Remove Scheduled Cancellation").click()
    page.get_by_role("dialog").get_by_role("button", name="Remove Scheduled Cancellation").click()
    expect(page.get_by_role("region", name="Scheduled cancellation")).to_have_count(0)
    expect(page.get_by_text("Live").first).to_be_visible()


@SUBSCRIPTIONS
@needs("GET /portal/subscriptions/{subscription_id}/cancel-dialog",
       "POST /portal/subscriptions/{subscription_id}/retention-offer")
def test_accepting_the_offer_in_the_cancel_flow_keeps_the_subscription_with_the_discount(page, portal):
    # Given a live subscription, and a merchant who offers 25% off for three terms to stay
    customer = fresh_customer(portal.org_id, "Stayer")
    a_subscription(customer, "pro")
    sign_in(page, customer.org_id, customer.email, customer.password)
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()

    # When she opens the cancel dialog, reads what the offer costs, and accepts it
    page.get_by_role("button", name="Cancel Subscription").click()
    offer = page.get_by_role("dialog").get_by_role("region", name="An offer before you go")
    expect(offer).to_contain_text("25% off for 3 terms")
    expect(offer.get_by_test_id("quote-amount-due")).to_contain_text("0.00")
    assert accessibility_problems(page) == []
    screenshot(page, "cancel-offer")
    offer.get_by_role("button", name="Accept offer and stay").click()

    # Then she is thanked, the subscription stays live, and the offer is not shown again
    expect(page.get_by_text("Thank you for staying")).to_be_visible()
    expect(page.get_by_text("Live").first).to_be_visible()
    page.get_by_role("button", name="Cancel Subscription").click()
    expect(page.get_by_role("dialog").get_by_label(re.compile("At the end of the current term"))).to_be_visible()
    expect(page.get_by_role("dialog").get_by_role("region", name="An offer before you go")).to_have_count(0)


@needs("GET /portal/statements", "GET /portal/statements/pdf", "GET /portal/exports/statement.csv")
def test_a_statement_for_a_chosen_range(page, portal):
    # Given a customer invoiced ten days ago
    customer = fresh_customer(portal.org_id, "Statement")
    an_invoice(customer, 25000, "Migration", days_ago=10)
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she asks for the statement of the last month
    go_to(page, "Statements")
    page.get_by_label("From").fill((date.today() - timedelta(days=30)).isoformat())
    page.get_by_label("To").fill(date.today().isoformat())
    page.get_by_role("button", name="Go").click()

    # Then the invoice and the closing balance are there, and the PDF and the CSV download
    expect(page.get_by_role("table", name="Transactions")).to_contain_text("$250.00")
    expect(page.get_by_text("Closing balance")).to_be_visible()
    assert accessibility_problems(page) == []
    screenshot(page, "statement")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as exported:
        page.get_by_role("button", name="Download CSV (USD)").click()
    assert exported.value.suggested_filename.startswith("statement-USD-")
    assert ",invoice," in (csv := Path(exported.value.path()).read_bytes().decode())
    assert ",USD,250.00,250.00\r\n" in csv


@needs("GET /portal/statements", "GET /portal/spending")
def test_the_spending_chart_says_in_words_and_in_a_table_what_the_statement_says(page, portal):
    # Given a customer invoiced ten days ago
    customer = fresh_customer(portal.org_id, "Spender")
    an_invoice(customer, 25000, "Migration", days_ago=10)
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she opens her statements
    go_to(page, "Statements")

    # Then the last twelve months are a chart summed up in a sentence, and a table with the same figure
    history = page.get_by_role("region", name="Spending, last 12 months (USD)")
    expect(history).to_contain_text("$250.00 invoiced and $0.00 paid.")
    expect(history.get_by_role("img")).to_have_count(1)
    history.get_by_text("Show as a table").click()
    expect(history.get_by_role("table", name="Spending by month (USD)")).to_contain_text("$250.00")
    assert accessibility_problems(page) == []
    screenshot(page, "spending")
    # And the statement of the same days has the same invoice
    page.get_by_label("From").fill((date.today() - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("table", name="Transactions")).to_contain_text("$250.00")


VISIBLE_TICK_HEIGHTS = """() => [...document.querySelectorAll(".spending-chart .tick")]
  .filter((tick) => getComputedStyle(tick).display !== "none").map((tick) => tick.getBoundingClientRect().height)"""


@needs("GET /portal/statements", "GET /portal/spending")
def test_the_spending_charts_month_labels_are_readable_on_a_phone(page, portal):
    # Given a customer invoiced ten days ago, on a phone 375 px wide
    customer = fresh_customer(portal.org_id, "Phonespender")
    an_invoice(customer, 25000, "Migration", days_ago=10)
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she opens her statements
    go_to(page, "Statements")
    expect(page.locator(".spending-chart")).to_be_visible()

    # Then each of the twelve months is labelled at least 10 px high, and the page does not scroll sideways
    heights = page.evaluate(VISIBLE_TICK_HEIGHTS)
    assert len(heights) == 12 and min(heights) >= 10, heights
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "spending-phone")


@needs("GET /portal/invoices", "GET /portal/invoices/{invoice_id}", "GET /portal/contacts",
       "POST /portal/invoices/{invoice_id}/forward")
def test_the_primary_contact_forwards_an_invoice_to_a_colleague(page, portal):
    # Given a customer with a colleague and an invoice
    customer = fresh_customer(portal.org_id, "Forwarder", colleagues=1)
    an_invoice(customer, 9900, "Training day")
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she forwards the invoice to her colleague
    go_to(page, "Invoices")
    page.get_by_role("table", name="Invoices").get_by_role("link").first.click()
    page.get_by_role("button", name="Forward").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Send").click()
    expect(dialog.get_by_text("Choose at least one person.")).to_be_visible()
    dialog.get_by_label(re.compile("^Colleague1")).check()
    screenshot(page, "forward")
    dialog.get_by_role("button", name="Send").click()

    # Then it is on its way
    expect(page.get_by_text(re.compile("sent"))).to_be_visible()


@needs("GET /portal/profile", "PATCH /portal/profile")
def test_updating_the_billing_address_with_a_field_error_first(page, portal):
    # Given a signed-in customer on My Details
    customer = fresh_customer(portal.org_id, "Mover")
    sign_in(page, customer.org_id, customer.email, customer.password)
    go_to(page, "My Details")

    # When she types a postal code that is too long
    page.get_by_role("button", name="Edit billing address").click()
    page.get_by_label("Street address").fill("10 Downing Street")
    page.get_by_label("City").fill("London")
    page.get_by_label("Postal code").fill("X" * 30)
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Save").click()

    # Then the API's complaint is next to that field; fixing it saves the address
    expect(page.get_by_label("Postal code")).to_have_attribute("aria-invalid", "true")
    assert accessibility_problems(page) == []
    screenshot(page, "details-field-error")
    page.get_by_label("Postal code").fill("SW1A 2AA")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your billing address is saved.")).to_be_visible()
    # written as the UK's post writes it: the town, then the postcode on a line of its own
    expect(page.get_by_role("region", name="Billing address").locator("address")).to_have_text(
        re.compile(r"10 Downing Street\s*London\s*SW1A 2AA\s*GB"))


def test_adding_a_tax_id_and_seeing_it_on_the_next_invoice_pdf(page, portal):
    # Given a signed-in customer on My Details, with no tax ID
    customer = fresh_customer(portal.org_id, "Taxed")
    sign_in(page, customer.org_id, customer.email, customer.password)
    go_to(page, "My Details")
    tax_ids = page.get_by_role("region", name="Tax IDs")
    expect(tax_ids).to_contain_text("No tax ID yet.")

    # When she adds a German VAT number with a typo, then as it is written
    tax_ids.get_by_label("Type").select_option("eu_vat")
    tax_ids.get_by_label("Number").fill("DE 136 695 977")
    tax_ids.get_by_role("button", name="Add tax ID").click()
    expect(tax_ids.get_by_label("Number")).to_have_attribute("aria-invalid", "true")
    expect(tax_ids).to_contain_text("The check digits of this number do not match: check it for a typo.")
    tax_ids.get_by_label("Number").fill("DE 136 695 976")
    tax_ids.get_by_role("button", name="Add tax ID").click()

    # Then it is listed, and the invoice issued next prints it
    expect(page.get_by_text("The tax ID is added.")).to_be_visible()
    expect(page.get_by_role("region", name="Tax IDs")).to_contain_text("DE136695976")
    assert accessibility_problems(page) == []
    screenshot(page, "details-tax-ids")
    an_invoice(customer, 4200, "Audit support", days_ago=0)
    go_to(page, "Invoices")
    page.get_by_role("table", name="Invoices").get_by_role("link").first.click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert "VAT DE136695976" in pdf_text(Path(download.value.path()).read_bytes())


@needs("POST /portal/reviews")
def test_writing_a_review_from_home(page, portal):
    # Given a signed-in customer on Home
    customer = fresh_customer(portal.org_id, "Reviewer")
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she gives four stars with a comment
    page.get_by_role("button", name="Review").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Submit Review").click()
    expect(dialog.get_by_text("Choose from 1 to 5 stars.")).to_be_visible()
    dialog.get_by_label("4 stars: Very good").check()
    dialog.get_by_label("Comment").fill("Quick support, clear invoices.")
    screenshot(page, "review")
    dialog.get_by_role("button", name="Submit Review").click()

    # Then it is thanked for
    expect(page.get_by_text("Thank you for your review.")).to_be_visible()


@SUBSCRIPTIONS
@needs("GET /portal/invoices/{invoice_id}")
def test_disabled_features_offer_no_action(page, portal):
    # Given a merchant with the defaults but forwarding turned off (cancel is off by default)
    org_id = organization_with("Strict Co", "billing@strict.example", forward_documents=False)
    from chalicelib.bootstrap import services
    from chalicelib.domain.catalog import Plan
    from datetime import datetime, timezone
    services().subscriptions.add_plan(org_id, Plan("pro", "Pro", 2900, "USD", "month"), datetime.now(timezone.utc))
    customer = portal_user_for(org_id, new_customer(org_id, "Wayne", "bruce@wayne.example", "Bruce", "Wayne"))
    a_subscription(customer, "pro")
    invoice_id = an_invoice(customer, 5000)
    sign_in(page, customer.org_id, customer.email, customer.password)

    # Then the subscription offers no cancellation and the invoice no forwarding
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()
    expect(page.get_by_role("heading", name="Pro", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Cancel Subscription")).to_have_count(0)
    expect(page.get_by_role("button", name="Pause Subscription")).to_have_count(0)
    page.goto(f"/#/invoices/{invoice_id}")
    expect(page.get_by_role("button", name="Download PDF")).to_be_visible()
    expect(page.get_by_role("button", name="Forward")).to_have_count(0)
    expect(sidebar(page).get_by_role("link", name="Subscriptions")).to_be_visible()


@PAYING
@needs("POST /portal/payments/{payment_id}/confirm-action", "GET /portal/payments")
def test_a_payment_that_asks_for_3d_secure_completes_after_authentication(page, portal):
    # Given a customer with an open invoice
    customer = fresh_customer(portal.org_id, "Secure")
    an_invoice(customer, 7500, "Workshop")
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she pays with a card whose bank asks for authentication, and completes it
    page.get_by_role("link", name="Pay Now").click()
    page.get_by_label("A new card").check()
    page.get_by_label("Test card", exact=True).select_option("pm_card_authenticationRequired")
    page.get_by_role("button", name="Pay $75.00").click()
    dialog = page.get_by_role("dialog", name="Confirm this payment with your bank")
    expect(dialog).to_contain_text("$75.00")
    screenshot(page, "payment-3ds")
    dialog.get_by_role("button", name="Complete authentication").click()

    # Then the payment is received and listed under Payments Made by its number, with its receipt
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    go_to(page, "Payments Made")
    payments = page.get_by_role("table", name="Payments made")
    expect(payments).to_contain_text(re.compile(r"PAY-\d{6}"))
    payments.get_by_role("link", name=re.compile(r"^PAY-\d{6}$")).click()
    expect(page.get_by_role("heading", name="Payment receipt")).to_be_visible()
    expect(page.get_by_role("region", name="Receipt")).to_contain_text("$75.00")
    expect(page.get_by_role("region", name="Receipt")).to_contain_text(re.compile(r"Number\s*PAY-\d{6}"))
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    screenshot(page, "receipt")


@needs("GET /portal/estimates", "POST /portal/estimates/{estimate_id}/accept", "GET /portal/activity")
def test_accepting_an_estimate_shows_in_the_activity(page, portal):
    # Given a customer with an estimate awaiting her answer
    customer = fresh_customer(portal.org_id, "Approver")
    an_estimate(customer, 120000)
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she accepts it from Approvals
    go_to(page, "Approvals")
    estimates = page.get_by_role("region", name=re.compile("^Estimate "))
    expect(estimates).to_contain_text("$1,200.00")
    screenshot(page, "approvals")
    estimates.get_by_role("button", name="Accept").click()
    page.get_by_role("dialog").get_by_label("Comment (optional)").fill("Go ahead.")
    page.get_by_role("dialog").get_by_role("button", name="Accept").click()

    # Then nothing waits any more, and her activity tells what she did
    expect(page.get_by_text("Estimate accepted.")).to_be_visible()
    expect(page.get_by_text("No estimates waiting")).to_be_visible()
    go_to(page, "Activity")
    expect(page.locator(".timeline li").first).to_contain_text("You")
    screenshot(page, "activity")


def _close_the_undo_window(customer, subscription_id: str) -> None:
    """The merchant's window passes: the kept undo's deadline moved into the past (its record kept
    valid for the write that moves it), as 30 minutes of waiting would."""
    from dataclasses import replace
    from chalicelib.bootstrap import adapters
    from chalicelib.domain.organization import clock_name
    uow = adapters().uow
    sub = uow.subscriptions.get(customer.org_id, customer.customer_id, subscription_id)
    kept = replace(sub.undo, until=datetime.now(timezone.utc) - timedelta(seconds=1),
                   version=uow.subscriptions.written_version(sub))
    uow.subscriptions.save(customer.org_id, replace(sub, undo=kept),
                           clock=clock_name(uow.organizations.get(customer.org_id)))


@SUBSCRIPTIONS
@needs("POST /portal/subscriptions/{subscription_id}/cancel", "POST /portal/subscriptions/{subscription_id}/undo")
def test_undoing_an_immediate_cancellation_within_the_window_and_not_after_it(page, portal):
    # Given a live subscription
    customer = fresh_customer(portal.org_id, "Undoer")
    subscription_id = a_subscription(customer, "pro")
    sign_in(page, customer.org_id, customer.email, customer.password)
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()

    # When she cancels it immediately
    page.get_by_role("button", name="Cancel Subscription").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(re.compile("Immediately")).check()
    dialog.get_by_role("button", name="Cancel Subscription").click()

    # Then the page offers to undo it, with the time left, and undoing makes it live again
    banner = page.get_by_role("region", name="Undo")
    expect(banner).to_contain_text("You cancelled this subscription.")
    expect(banner).to_contain_text(re.compile(r"You can undo this until .+ \((30|29) minutes left\)"))
    expect(page.get_by_text("Cancelled").first).to_be_visible()
    assert accessibility_problems(page) == []
    screenshot(page, "undo-offered")
    banner.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Undone: the subscription is as it was.")).to_be_visible()
    expect(page.get_by_text("Live").first).to_be_visible()
    expect(page.get_by_role("region", name="Undo")).to_have_count(0)

    # When she cancels again, and the window passes while the page is open
    page.get_by_role("button", name="Cancel Subscription").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(re.compile("Immediately")).check()
    dialog.get_by_role("button", name="Cancel Subscription").click()
    expect(page.get_by_role("region", name="Undo")).to_be_visible()
    _close_the_undo_window(customer, subscription_id)
    page.get_by_role("region", name="Undo").get_by_role("button", name="Undo").click()

    # Then undoing is refused with the reason, and the page no longer offers it
    expect(page.get_by_text("The time to undo this has passed.")).to_be_visible()
    expect(page.get_by_role("region", name="Undo")).to_have_count(0)
    expect(page.get_by_text("Cancelled").first).to_be_visible()
