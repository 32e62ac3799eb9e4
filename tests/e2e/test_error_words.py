"""A refusal reads in the customer's language: the browser words the API's error code and each
field's code itself, never the API's English message."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_tab, screenshot
from tests.e2e.steps import fresh_customer

pytestmark = pytest.mark.e2e


@pytest.fixture
def german_page(browser, portal):
    with browser_tab(browser, portal.url, locale="de-DE", timezone_id="Europe/Berlin") as tab:
        yield tab


def sign_in_in_german(page, customer, password: str) -> None:
    page.goto("./#/sign-in")
    page.get_by_label("Organisation").fill(customer.org_id)
    page.get_by_label("E-Mail").fill(customer.email)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()


def test_a_german_browser_reads_the_api_s_refusals_in_german(german_page, portal):
    # Given a customer with a German browser
    customer = fresh_customer(portal.org_id, "Fehlerfrei")

    # When she signs in with a wrong password
    sign_in_in_german(german_page, customer, "not the password at all")

    # Then the refusal is the portal's German sentence, not the API's English
    expect(german_page.get_by_role("alert")).to_have_text("Die E-Mail-Adresse oder das Passwort stimmt nicht.")
    expect(german_page.get_by_text(re.compile("is not right"))).to_have_count(0)

    # When she signs in and gives a wrong current password to change it
    sign_in_in_german(german_page, customer, customer.password)
    expect(german_page.get_by_role("heading", level=1, name=re.compile("^Willkommen"))).to_be_visible()
    german_page.goto("./#/change-password")
    change = german_page.get_by_role("form", name="Passwort ändern")   # not the two-step sign-in's form below it
    change.get_by_label("Aktuelles Passwort").fill("not my current password")
    german_page.get_by_label("Neues Passwort", exact=True).fill("quiet orange lantern meadow 42")
    german_page.get_by_label("Neues Passwort wiederholen").fill("quiet orange lantern meadow 42")
    german_page.get_by_role("button", name="Bestätigen").click()

    # Then the field says what is wrong, in German, beside it
    current = change.get_by_label("Aktuelles Passwort")
    expect(current).to_have_attribute("aria-invalid", "true")
    expect(current).to_have_accessible_description(re.compile("Das ist nicht Ihr aktuelles Passwort."))
    screenshot(german_page, "change-password-refused-de")
