"""The portal in the customer's words and language: what an approval is for is shown before it is
given, a statement names payments as people know them, and a German browser reads German labels,
money and dates."""
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_tab, screenshot
from tests.e2e.steps import (a_subscription, accessibility_problems, an_estimate, an_invoice, fresh_customer, go_to,
                             sign_in)
from tests.support.documents import pdf_text

pytestmark = pytest.mark.e2e

GERMAN_DAY = re.compile(r"\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
                        r"Dezember) \d{4}")
ENGLISH_DAY = re.compile(r"(January|February|March|April|May|June|July|August|September|October|November|"
                         r"December) \d{1,2}, \d{4}")


@pytest.fixture
def german_page(browser, portal):
    """A tab of a German browser in New Zealand."""
    with browser_tab(browser, portal.url, locale="de-DE", timezone_id="Pacific/Auckland") as tab:
        yield tab


def sign_in_in_german(page, customer) -> None:
    page.goto("./#/sign-in")
    expect(page.get_by_role("heading", level=1, name="Anmelden")).to_be_visible()
    page.get_by_label("Organisation").fill(customer.org_id)
    page.get_by_label("E-Mail").fill(customer.email)
    page.get_by_label("Passwort", exact=True).fill(customer.password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Willkommen, "))).to_be_visible()


LINES_OF_TEXT = "(element) => { const text = document.createRange(); text.selectNodeContents(element); " \
                "return new Set([...text.getClientRects()].map((line) => Math.round(line.top))).size; }"


def a_timesheet(customer, project: str, entries: list[tuple[str, int, str]]) -> str:
    from chalicelib.bootstrap import services
    from chalicelib.domain.documents import TimeEntry
    days = [day for day, _, _ in entries]
    sheet = services().documents.create_timesheet(
        customer.org_id, customer.customer_id, project=project, period_start=min(days), period_end=max(days),
        entries=tuple(TimeEntry(day, minutes, text) for day, minutes, text in entries),
        now=datetime.now(timezone.utc))
    return sheet.timesheet_id


def test_an_estimate_shows_its_lines_and_total_and_can_be_forwarded(page, portal):
    # Given a customer with a colleague and an estimate awaiting her answer
    customer = fresh_customer(portal.org_id, "Estimator", colleagues=1)
    an_estimate(customer, 120000, "Data migration")
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she opens Approvals
    go_to(page, "Approvals")

    # Then the estimate's lines and total are in view beside Accept
    estimate = page.get_by_role("region", name=re.compile("^Estimate "))
    lines = estimate.get_by_role("table", name=re.compile("^Lines of Estimate"))
    expect(lines).to_contain_text("Data migration")
    expect(lines.locator("tfoot")).to_contain_text("Total")
    expect(lines.locator("tfoot")).to_contain_text("$1,200.00")
    expect(estimate).to_contain_text(ENGLISH_DAY)
    assert accessibility_problems(page) == []
    screenshot(page, "approvals-estimate")

    # And she can forward it to her colleague
    estimate.get_by_role("button", name="Forward").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(re.compile("^Colleague1")).check()
    dialog.get_by_role("button", name="Send").click()
    expect(page.get_by_text(re.compile(r"^Estimate \S+ sent to colleague1"))).to_be_visible()


def test_a_timesheet_shows_its_entries_before_it_is_approved(page, portal):
    # Given a customer with a timesheet of two days' work
    customer = fresh_customer(portal.org_id, "Timekeeper")
    a_timesheet(customer, "Website relaunch", [("2026-11-02", 90, "Design review"), ("2026-11-03", 240, "Build")])
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she opens the timesheets waiting for her
    go_to(page, "Approvals")
    page.get_by_role("link", name="Timesheets").click()

    # Then each entry's day, work and hours are shown with the total
    sheet = page.get_by_role("region", name="Timesheet Website relaunch")
    entries = sheet.get_by_role("table")
    expect(entries.locator("tbody tr")).to_have_count(2)
    expect(entries.locator("tbody tr").first).to_contain_text("November 2, 2026")
    expect(entries.locator("tbody tr").first).to_contain_text("Design review")
    expect(entries.locator("tbody tr").first).to_contain_text("1.50")
    expect(entries.locator("tfoot")).to_contain_text("5.50")
    screenshot(page, "approvals-timesheet")

    # And approving it still asks first
    sheet.get_by_role("button", name="Approve").click()
    page.get_by_role("dialog").get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Timesheet approved.")).to_be_visible()


def test_a_statement_names_a_payment_by_how_it_was_paid_never_its_id(page, portal):
    # Given a customer who paid an invoice by bank transfer
    from chalicelib.bootstrap import services
    customer = fresh_customer(portal.org_id, "Payer")
    invoice_id = an_invoice(customer, 4400, "Workshop", days_ago=2)
    payment = services().documents.record_payment(customer.org_id, customer.customer_id, invoice_id=invoice_id,
                                                  amount_minor=4400, now=datetime.now(timezone.utc) - timedelta(days=1))
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she reads her statement of the last month
    go_to(page, "Statements")
    page.get_by_label("From").fill((date.today() - timedelta(days=30)).isoformat())
    page.get_by_label("To").fill((date.today() + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Go").click()

    # Then the payment row says how and for what it was paid, and the invoice when it is due
    transactions = page.get_by_role("table", name="Transactions")
    expect(transactions).to_contain_text("By Bank Transfer for INV-")
    expect(transactions).to_contain_text(re.compile(r"Due " + ENGLISH_DAY.pattern))
    expect(transactions).not_to_contain_text(payment.payment_id)
    expect(transactions).not_to_contain_text("pay_")

    # And her activity names the amount recorded as money on the page
    go_to(page, "Activity")
    recorded = page.locator(".timeline li", has_text="Payment recorded")
    expect(recorded).to_contain_text(re.compile(r"INV-\d+: \$44\.00"))
    expect(page.locator(".timeline")).not_to_contain_text("USD 44")


def test_a_german_browser_reads_german_labels_money_and_dates(german_page, portal):
    # Given a customer with a subscription, an invoice and an estimate
    customer = fresh_customer(portal.org_id, "Sprache")
    a_subscription(customer)
    an_invoice(customer, 123456, "Beratung")
    an_estimate(customer, 120000, "Datenmigration")

    # When she signs in from a German browser
    sign_in_in_german(german_page, customer)

    # Then the portal speaks German, with German money and dates
    expect(german_page.get_by_role("heading", level=1, name=re.compile("^Willkommen, Olive"))).to_be_visible()
    expect(german_page.get_by_text("2 Rechnungen zu bezahlen")).to_be_visible()   # the subscription's and one more
    expect(german_page.locator("html")).to_have_attribute("lang", "de")
    screenshot(german_page, "home-de")
    german_page.get_by_role("navigation", name="Portal").get_by_role("link", name="Rechnungen", exact=True).click()
    invoices = german_page.get_by_role("table", name="Rechnungen")
    expect(invoices).to_contain_text("1.234,56 $")
    expect(invoices).to_contain_text(GERMAN_DAY)
    expect(invoices.get_by_role("columnheader", name="Offener Betrag")).to_be_visible()
    expect(invoices).to_contain_text("Offen")
    screenshot(german_page, "invoices-de")

    # And the invoice's PDF writes its money and its day as the page does
    issued = invoices.locator("tbody tr").first.locator("td").nth(1).inner_text()
    invoices.get_by_role("link").first.click()
    with german_page.expect_download() as download:
        german_page.get_by_role("button", name="PDF herunterladen").click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "1.234,56" in text and issued in text, (issued, text)

    german_page.get_by_role("navigation", name="Portal").get_by_role("link", name="Freigaben", exact=True).click()
    estimate = german_page.get_by_role("region", name=re.compile("^Angebot "))
    expect(estimate).to_contain_text("1.200,00 $")
    expect(estimate.get_by_role("button", name="Annehmen")).to_be_visible()
    expect(estimate.get_by_text("Wartet auf Antwort")).to_be_visible()
    assert accessibility_problems(german_page) == []
    screenshot(german_page, "approvals-de")

    german_page.get_by_role("navigation", name="Portal").get_by_role("link", name="Abonnements", exact=True).click()
    german_page.get_by_role("table", name="Abonnements").get_by_role("link").first.click()
    expect(german_page.get_by_role("heading", name="Übersicht")).to_be_visible()
    expect(german_page.get_by_text(re.compile(r"pro Monat"))).to_be_visible()
    expect(german_page.locator(".badge").first).to_have_text("Aktiv")
    screenshot(german_page, "subscription-de")


def test_a_german_browser_names_the_default_card_in_german(german_page, portal):
    # Given a customer whose saved Visa card is her default
    from chalicelib.bootstrap import services
    customer = fresh_customer(portal.org_id, "Standardkarte")
    card = services().payments.add_method(customer.org_id, customer.customer_id, "pm_card_visa", make_default=True,
                                          now=datetime.now(timezone.utc))

    # When she opens My details from a German browser
    sign_in_in_german(german_page, customer)
    german_page.get_by_role("navigation", name="Portal").get_by_role("link", name="Meine Daten", exact=True).click()

    # Then the card is marked as her default in German
    methods = german_page.get_by_role("region", name="Zahlungsmittel")
    expect(methods).to_contain_text(f"{card.summary} (Standard)")
    expect(methods).not_to_contain_text("(default)")


def test_on_a_phone_an_estimates_lines_scroll_in_their_table_and_the_sign_out_button_stays_whole(german_page, portal):
    # Given a customer with an estimate awaiting her answer, on a German phone 375 px wide
    customer = fresh_customer(portal.org_id, "Telefon")
    an_estimate(customer, 120000, "Datenmigration")
    german_page.set_viewport_size({"width": 375, "height": 812})
    sign_in_in_german(german_page, customer)

    # When she opens Approvals
    german_page.get_by_role("navigation", name="Portal").get_by_role("link", name="Freigaben", exact=True).click()
    expect(german_page.get_by_role("table", name=re.compile("^Positionen von Angebot"))).to_be_visible()

    # Then the page does not scroll sideways (the lines' table does, within its card)
    assert german_page.evaluate("document.documentElement.scrollWidth") <= 375
    # And "Abmelden" is written on one line, not broken in the middle of the word
    assert german_page.get_by_role("button", name="Abmelden").evaluate(LINES_OF_TEXT) == 1
    screenshot(german_page, "approvals-phone-de")


def test_a_german_browser_is_told_in_german_why_a_card_was_declined_and_what_to_do(german_page, portal):
    # Given a customer with an open invoice, in a German browser
    customer = fresh_customer(portal.org_id, "Abgelehnt")
    an_invoice(customer, 4900, "Jahresprüfung")
    sign_in_in_german(german_page, customer)

    # When she pays it with a card the bank declines
    german_page.get_by_role("navigation", name="Portal").get_by_role("link", name="Rechnungen", exact=True).click()
    german_page.get_by_role("link", name=re.compile(r"^Rechnung .* jetzt bezahlen$")).click()
    german_page.get_by_label("Eine neue Karte").check()
    german_page.get_by_label("Testkarte", exact=True).select_option("pm_card_chargeDeclined")
    german_page.get_by_role("button", name="49,00 $ bezahlen").click()

    # Then the refusal beside the payment method is in German and says what to do, with no English in it
    refusal = german_page.locator("#pay-with-error")
    expect(refusal).to_have_text("Ihre Bank hat die Zahlung abgelehnt. Wenden Sie sich an Ihre Bank oder verwenden Sie "
                                 "eine andere Karte.")


def test_a_german_browser_is_offered_to_skip_to_the_content_in_german(german_page):
    # When a German browser opens the portal's sign-in, then the merchant console's
    for screen in ("./#/sign-in", "./#/console/sign-in"):
        german_page.goto(screen)
        expect(german_page.get_by_role("heading", level=1)).to_be_visible()

        # Then the first link of the page, to skip to its content, is in German
        expect(german_page.locator("#skip-link")).to_have_text("Zum Inhalt springen")
