"""The portal's own address: the organization's name on sign-in (never an id to type), links that
survive signing in, action links followed after signing in, the review page a review request links
to, and the password rule as the server states it."""
import re

import pytest
from playwright.sync_api import expect

from devstack.seed import DEMO_PORTAL_NAME
from tests.e2e.conftest import screenshot
from tests.e2e.steps import an_invoice, fresh_customer, go_to, sign_in

pytestmark = pytest.mark.e2e


def sign_in_at_the_portal(page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_the_portal_address_names_the_organization_so_sign_in_asks_only_email_and_password(page, portal):
    # Given Olive, a customer of Northwind, whose portal address is ?portal=northwind
    olive = fresh_customer(portal.org_id, "Address")

    # When she opens the portal's address
    page.goto(f"./?portal={DEMO_PORTAL_NAME}#/sign-in")

    # Then the page names Northwind and asks for no organization
    expect(page.get_by_role("heading", level=1, name="Sign in to Northwind Software")).to_be_visible()
    expect(page.get_by_label("Organization")).to_have_count(0)
    screenshot(page, "sign-in-at-the-portal-address")

    # And her email and password are enough
    sign_in_at_the_portal(page, olive.email, olive.password)
    expect(page.get_by_role("heading", level=1, name=re.compile("^Welcome"))).to_be_visible()


def test_an_unknown_portal_address_says_so_and_still_lets_the_organization_be_typed(page, portal):
    page.goto("./?portal=no-such-portal#/sign-in")

    expect(page.get_by_role("alert")).to_contain_text("This portal address is not known")
    expect(page.get_by_label("Organization")).to_be_visible()


def test_a_link_to_an_invoice_lands_on_that_invoice_after_signing_in(page, portal):
    # Given Olive's invoice, and a link to it (as an email has it) opened while signed out
    olive = fresh_customer(portal.org_id, "Deeplink")
    invoice_id = an_invoice(olive, 4200, "Workshop")
    page.goto(f"./?portal={DEMO_PORTAL_NAME}#/invoices/{invoice_id}")

    # When she signs in
    expect(page.get_by_role("heading", level=1, name="Sign in to Northwind Software")).to_be_visible()
    sign_in_at_the_portal(page, olive.email, olive.password)

    # Then she is on that invoice, not on Home
    expect(page).to_have_url(re.compile(f"#/invoices/{invoice_id}$"))
    expect(page.get_by_role("heading", level=1, name=re.compile("^Invoice INV-"))).to_be_visible()


def test_the_review_request_link_opens_a_review_page_that_sends_the_review(page, portal):
    # Given the link of a review request email, opened while signed out
    olive = fresh_customer(portal.org_id, "Reviewer")
    page.goto(f"./?portal={DEMO_PORTAL_NAME}#/reviews")

    # When Olive signs in, rates five stars and sends her review
    sign_in_at_the_portal(page, olive.email, olive.password)
    expect(page.get_by_role("heading", level=1, name="Review Northwind Software")).to_be_visible()
    page.locator("label[data-star='5']").click()
    page.get_by_label("Comment").fill("Quick answers every time.")
    page.get_by_role("button", name="Submit Review").click()

    # Then she is thanked and back on Home
    expect(page.get_by_text("Thank you for your review.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Welcome"))).to_be_visible()


def test_the_password_hint_says_the_servers_minimum(page, portal):
    # Given Olive, signed in
    olive = fresh_customer(portal.org_id, "Hint")
    sign_in(page, olive.org_id, olive.email, olive.password)

    # When she goes to change her password
    go_to(page, "Change Password")

    # Then the hint says 15 characters, the minimum the server checks
    expect(page.get_by_text("At least 15 characters.")).to_be_visible()


def test_under_the_api_stage_the_portal_address_and_a_deep_link_work_too(staged_page, stage, portal):
    # Given the portal behind API Gateway's stage (.../api/), opened at its address on Invoices
    olive = fresh_customer(portal.org_id, "Staged")
    staged_page.goto(f"./?portal={DEMO_PORTAL_NAME}#/invoices")

    # When Olive signs in with email and password
    expect(staged_page.get_by_role("heading", level=1, name="Sign in to Northwind Software")).to_be_visible()
    sign_in_at_the_portal(staged_page, olive.email, olive.password)

    # Then she is on her invoices, still under the stage
    expect(staged_page.get_by_role("heading", level=1, name="Invoices")).to_be_visible()
    assert "/api/?portal=northwind#/invoices" in staged_page.url


def test_an_action_link_opened_while_signed_out_lands_on_paying_its_invoice_after_signing_in(page, portal):
    # Given Olive's invoice, and the merchant's link to pay it, opened while signed out
    from chalicelib.bootstrap import services
    from tests.e2e.steps import _now
    olive = fresh_customer(portal.org_id, "Actionlink")
    invoice_id = an_invoice(olive, 4200, "Workshop")
    made = services().access.create_action_link(portal.org_id, olive.customer_id, action="pay_invoice",
                                                target_id=invoice_id, days=7, now=_now())
    token = made.url.rsplit("#/act/", 1)[1]
    page.goto(f"./?portal={DEMO_PORTAL_NAME}#/act/{token}")

    # When she signs in
    expect(page.get_by_role("heading", level=1, name="Sign in to Northwind Software")).to_be_visible()
    sign_in_at_the_portal(page, olive.email, olive.password)

    # Then she is paying that invoice, and the link is no longer in the address
    expect(page).to_have_url(re.compile(f"#/pay\\?invoices={invoice_id}$"))
    expect(page.get_by_role("heading", level=1, name="Pay")).to_be_visible()

    # And once she signs out, opening the link again and signing in says it was used, and goes nowhere
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in to Northwind Software")).to_be_visible()
    page.goto(f"./?portal={DEMO_PORTAL_NAME}#/act/{token}")
    expect(page).to_have_url(re.compile("#/sign-in\\?next="))
    sign_in_at_the_portal(page, olive.email, olive.password)
    expect(page.get_by_text("This link was already used.")).to_be_visible()
    expect(page).to_have_url(re.compile(f"#/act/{token}$"))
