"""What a subscription's screens say of its price and its terms."""
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_tab, screenshot
from tests.e2e.steps import a_subscription, fresh_customer, go_to, sign_in

pytestmark = pytest.mark.e2e


def test_a_one_time_coupon_is_this_terms_discount_not_the_price_per_month(page, portal):
    # Given Pro (29.00 a month) with 10.00 off its first invoice
    customer = fresh_customer(portal.org_id, "Couponed")
    a_subscription(customer, "pro", days_ago=5, coupon_code="TENOFF")
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she lists her subscriptions, then opens it
    go_to(page, "Subscriptions")
    expect(page.get_by_role("table", name="Subscriptions")).to_contain_text("$29.00")
    page.get_by_role("link", name="Pro", exact=True).click()

    # Then it costs $29.00 per month, and this term $19.00 with the coupon
    expect(page.get_by_text("$29.00 per month", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Overview")).to_contain_text(re.compile(r"This term\s*\$19\.00 with coupon TENOFF"))
    screenshot(page, "subscription-once-coupon")


def test_an_ended_subscription_shows_its_last_term_not_a_current_one(page, portal):
    # Given the demo customer, whose Starter subscription was cancelled at the end of its term
    sign_in(page, portal.org_id, portal.email, portal.password)

    # When she opens the cancelled subscription
    go_to(page, "Subscriptions")
    page.get_by_role("row").filter(has_text="Cancelled").get_by_role("link").first.click()

    # Then its term is called its last one
    overview = page.get_by_role("region", name="Overview")
    expect(overview).to_contain_text("Last term")
    expect(overview).not_to_contain_text("Current term")


GERMAN_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember")
GERMAN_DAY = rf"\d{{1,2}}\. ({'|'.join(GERMAN_MONTHS)}) \d{{4}}"
ENGLISH_DAY = (r"(January|February|March|April|May|June|July|August|September|October|November|December) "
               r"\d{1,2}, \d{4}")


def previewing_a_move_to_business_now(page, subscription_id: str, *, manage: str, now: str, preview: str) -> None:
    """Pro (29.00 a month) to Business (290.00 a year) now: the month's unused days are credited and a
    year of Business starts today."""
    page.goto(f"./#/subscriptions/{subscription_id}")
    page.get_by_role("link", name=manage).click()
    page.get_by_label(re.compile("^Business")).check()
    page.get_by_label(now).check()
    page.get_by_role("button", name=preview).click()


def signed_in_in_german(page, customer) -> None:
    page.goto("./#/sign-in")
    page.get_by_label("Organisation").fill(customer.org_id)
    page.get_by_label("E-Mail").fill(customer.email)
    page.get_by_label("Passwort", exact=True).fill(customer.password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Willkommen"))).to_be_visible()


def test_a_german_customer_reads_the_preview_lines_in_german_with_german_money_and_dates(browser, portal):
    # Given a customer of a live Pro subscription, signed in from a German browser
    customer = fresh_customer(portal.org_id, "Zeilen")
    subscription_id = a_subscription(customer, "pro", days_ago=10)
    with browser_tab(browser, portal.url, locale="de-DE", timezone_id="Europe/Berlin") as page:
        signed_in_in_german(page, customer)

        # When she previews moving to Business now
        previewing_a_move_to_business_now(page, subscription_id, manage="Abonnement verwalten",
                                          now="Sofort", preview="Änderungen ansehen")

        # Then the year of Business and the credit for Pro's unused days are written in German
        invoice = page.get_by_role("table", name="Rechnung", exact=True)
        expect(invoice).to_contain_text(re.compile(rf"Business, 1 × 290,00\s\$, {GERMAN_DAY} bis {GERMAN_DAY}"))
        credit = page.get_by_role("table", name="Gutschrift für ungenutzte Zeit", exact=True)
        expect(credit).to_contain_text(re.compile(r"Ungenutzte Zeit für Pro, 1 × 29,00\s\$: \d+ von \d+ Tagen"))
        # And so is the note that the month ends today
        expect(page.get_by_role("main")).to_contain_text(re.compile(
            r"Die aktuelle Laufzeit endet heute: Die ungenutzte Zeit \(\d+ von \d+ Tagen\) wird gutgeschrieben, "
            r"und eine neue Laufzeit von Business beginnt heute\."))
        expect(page.get_by_role("main")).not_to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2}| x \d"))
        screenshot(page, "change-preview-de")

        # And the invoice the change raises says its line in German too
        page.get_by_role("button", name="Änderung bestätigen").click()
        expect(page.get_by_text("Ihr Abonnement ist geändert.")).to_be_visible()
        page.get_by_role("navigation", name="Portal").get_by_role("link", name="Rechnungen", exact=True).click()
        page.get_by_role("table", name="Rechnungen").get_by_role("link").first.click()
        expect(page.get_by_role("table", name="Rechnungspositionen")).to_contain_text(
            re.compile(rf"Business, 1 × 290,00\s\$, {GERMAN_DAY} bis {GERMAN_DAY}"))


def test_a_german_customer_reads_the_notes_of_a_pause_preview_in_german_with_german_days(browser, portal):
    # Given a customer of a live Pro subscription, signed in from a German browser
    customer = fresh_customer(portal.org_id, "Pause")
    subscription_id = a_subscription(customer, "pro", days_ago=10)
    pause_on = date.today() + timedelta(days=7)
    with browser_tab(browser, portal.url, locale="de-DE", timezone_id="Europe/Berlin") as page:
        signed_in_in_german(page, customer)

        # When she previews a pause from a week today
        page.goto(f"./#/subscriptions/{subscription_id}")
        page.get_by_role("button", name="Abonnement pausieren").click()
        page.get_by_label("Pausieren ab").fill(pause_on.isoformat())
        page.get_by_role("button", name="Pause ansehen").click()

        # Then the notes say the day it pauses and what becomes of the paid days, in German
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text(
            f"Die Pause beginnt am {pause_on.day}. {GERMAN_MONTHS[pause_on.month - 1]} {pause_on.year}.")
        expect(dialog).to_contain_text(re.compile(r"\d+ bezahlte, ungenutzte Tage ab dann (werden Ihrem Konto "
                                                  r"tagesgenau gutgeschrieben|bleiben für nach der Fortsetzung erhalten)"))
        expect(dialog).not_to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2}|paid|pauses"))
        screenshot(page, "pause-preview-de")


def test_an_english_customer_reads_the_preview_lines_with_dollars_and_written_dates(page, portal):
    # Given a customer of a live Pro subscription, signed in from a US browser
    customer = fresh_customer(portal.org_id, "Lines")
    subscription_id = a_subscription(customer, "pro", days_ago=10)
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she previews moving to Business now
    previewing_a_move_to_business_now(page, subscription_id, manage="Manage Subscription",
                                      now="Now", preview="Preview changes")

    # Then the lines say their names, prices and days as people write them
    invoice = page.get_by_role("table", name="Invoice", exact=True)
    expect(invoice).to_contain_text(re.compile(rf"Business, 1 × \$290\.00, {ENGLISH_DAY} – {ENGLISH_DAY}"))
    credit = page.get_by_role("table", name="Credit for unused time", exact=True)
    expect(credit).to_contain_text(re.compile(r"Unused time on Pro, 1 × \$29\.00: \d+ of \d+ days"))
    screenshot(page, "change-preview-en")
