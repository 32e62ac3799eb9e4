"""Several people per account, in the browser: the owner invites a billing contact on the People
screen, who accepts the emailed invitation and pays an invoice; the activity names who did what;
a viewer sees the invoices but no way to pay them, not even through a pay link."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_tab, screenshot
from tests.e2e.steps import (accessibility_problems, an_invoice, fresh_customer, go_to, link_emailed_to, sidebar,
                             sign_in)

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "amber comets drift past the lighthouse"


def invite(page, first_name: str, last_name: str, email: str, role: str, password: str) -> None:
    """On the People screen, the owner invites someone with a role, confirming with her own password."""
    go_to(page, "People")
    page.get_by_role("button", name="Invite someone").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("First name").fill(first_name)
    dialog.get_by_label("Last name").fill(last_name)
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_label("Role").select_option(role)
    dialog.get_by_label("Your password, to confirm it is you").fill(password)
    dialog.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {email}.")).to_be_visible()


def accept(browser, portal, email: str, first_name: str):
    """The invited person opens the emailed link in their own browser and chooses a password."""
    tab = browser_tab(browser, portal.url)
    page = tab.__enter__()
    page.goto(link_emailed_to(email, "accept-invite"))
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name=f"Welcome, {first_name}")).to_be_visible()
    return tab, page


def test_the_owner_invites_a_billing_contact_who_then_pays_an_invoice(page, browser, portal):
    # Given an owner signed in, with an open invoice
    owner = fresh_customer(portal.org_id, "Peoplepay")
    an_invoice(owner, 4200, "Support")
    email = owner.email.replace("owner", "bill")
    sign_in(page, owner.org_id, owner.email, owner.password)

    # When she invites Bill as a billing contact
    invite(page, "Bill", "Ledger", email, "billing", owner.password)

    # Then he is listed as invited, with his role
    people = page.get_by_role("table", name="People")
    expect(people.get_by_role("row", name=re.compile("Bill Ledger"))).to_contain_text("Invited")
    expect(people.get_by_role("row", name=re.compile("Bill Ledger"))).to_contain_text("Billing")
    assert accessibility_problems(page) == []
    screenshot(page, "people")

    # And once he accepts, he pays the invoice, without People in his navigation
    tab, bill = accept(browser, portal, email, "Bill")
    try:
        expect(sidebar(bill).get_by_role("link", name="People")).to_have_count(0)
        bill.get_by_role("link", name="Pay Now").click()
        bill.get_by_label("A new card").check()
        bill.get_by_label("Test card", exact=True).select_option("pm_card_visa")
        bill.get_by_role("button", name="Pay $42.00").click()
        expect(bill.get_by_role("heading", name="Payment received")).to_be_visible()
    finally:
        tab.__exit__(None, None, None)

    # And the owner's activity names him as the one who paid, and her as the one who invited him
    go_to(page, "Activity")
    timeline = page.locator("ol.timeline")
    expect(timeline.get_by_role("listitem").filter(has_text="Payment received")).to_contain_text("Bill Ledger")
    expect(timeline.get_by_role("listitem").filter(has_text="Person invited")).to_contain_text("You")


def test_the_people_list_says_in_words_who_can_sign_in_and_who_is_yet_to_be_invited(page, portal):
    # Given an owner whose account has a colleague who was never invited to the portal
    owner = fresh_customer(portal.org_id, "Peoplewords", colleagues=1)
    sign_in(page, owner.org_id, owner.email, owner.password)

    # When she opens People
    go_to(page, "People")

    # Then she is active, and the colleague has no access yet, with an invitation to send
    people = page.get_by_role("table", name="People")
    expect(people.get_by_role("row", name=re.compile("Olive Peoplewords"))).to_contain_text("Active")
    colleague = people.get_by_role("row", name=re.compile("Colleague1 Peoplewords"))
    expect(colleague).to_contain_text("No access yet")
    expect(colleague).not_to_contain_text("none")

    # And once she sends it, the colleague is invited (a mistyped password first: she is asked again, nothing sent)
    colleague.get_by_role("button", name="Send Colleague1 Peoplewords an invitation").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Your password, to confirm it is you").fill("not quite my password")
    dialog.get_by_role("button", name="Send invitation").click()
    expect(dialog.get_by_text("This is not your current password.")).to_be_visible()
    expect(colleague).to_contain_text("No access yet")
    dialog.get_by_label("Your password, to confirm it is you").fill(owner.password)
    dialog.get_by_role("button", name="Send invitation").click()
    expect(colleague).to_contain_text("Invited")


def test_a_viewer_sees_the_invoices_but_no_way_to_pay_them(page, browser, portal):
    # Given an owner with an open invoice who invites a viewer
    owner = fresh_customer(portal.org_id, "Peopleview")
    invoice_id = an_invoice(owner, 1500, "Audit")
    email = owner.email.replace("owner", "vera")
    sign_in(page, owner.org_id, owner.email, owner.password)
    invite(page, "Vera", "Looks", email, "viewer", owner.password)

    # When the viewer signs in
    tab, vera = accept(browser, portal, email, "Vera")
    try:
        # Then she sees what is owed but no Pay button, on Home, the invoices or an invoice
        expect(vera.get_by_role("region", name="Outstanding invoices")).to_contain_text("$15.00")
        expect(vera.get_by_role("link", name="Pay Now")).to_have_count(0)
        go_to(vera, "Invoices")
        invoices = vera.get_by_role("table", name="Invoices")
        expect(invoices.get_by_role("link", name=re.compile("^INV-"))).to_have_count(1)
        expect(invoices.get_by_role("link", name=re.compile("Pay"))).to_have_count(0)
        invoices.get_by_role("link", name=re.compile("^INV-")).click()
        expect(vera.locator("main h1")).to_contain_text("INV-")
        expect(vera.get_by_role("link", name="Make Payment")).to_have_count(0)
        screenshot(vera, "viewer-invoice")

        # And a pay link (an emailed one, say) tells her who pays, with no form to fill in
        vera.goto(f"./#/pay?invoices={invoice_id}")
        expect(vera.get_by_text("Paying invoices is for the account's owner and its billing contacts.")).to_be_visible()
        expect(vera.locator("main form")).to_have_count(0)
        vera.goto("./#/pay?all=1")
        expect(vera.get_by_text("Paying invoices is for the account's owner and its billing contacts.")).to_be_visible()
        expect(vera.get_by_role("button", name=re.compile("^Pay"))).to_have_count(0)
    finally:
        tab.__exit__(None, None, None)
