"""Signing in, what the sidebar offers, a session that ends, and changing the password."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.steps import (accessibility_problems, fresh_customer, go_to, invite_colleagues, link_emailed_to, new_customer, organization_with,
                             portal_user_for, sidebar, sign_in, Traffic)

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "kestrels circle the quiet harbour"



def change_password_form(page):
    """Change Password's own form (the screen also sets up two-step sign-in, which asks for the password too)."""
    return page.get_by_role("form", name="Change password")

def test_a_customer_signs_in_and_sees_home_with_every_enabled_section(page, portal):
    # Given the demo customer, whose merchant enabled every feature
    # When she signs in
    sign_in(page, portal.org_id, portal.email, portal.password)

    # Then she is on Home, with her details, the organization's contact and the sidebar
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    expect(page.get_by_role("heading", name="My details")).to_be_visible()
    expect(page.get_by_role("heading", name="Northwind Software", exact=True)).to_be_visible()
    links = sidebar(page).get_by_role("link")
    expect(links).to_have_text(["Home", "Subscriptions", "Invoices", "Payments Made", "Statements", "Approvals",
                                "My Details", "Activity", "People", "Change Password"])
    expect(sidebar(page).get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name="Send Email")).to_be_visible()
    expect(page.get_by_role("button", name="Review")).to_be_visible()
    expect(page.get_by_text("Loading your account…")).to_have_count(0)
    assert accessibility_problems(page) == []
    screenshot(page, "home")

    # And the portal works at phone width
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "home-phone")


def test_a_wrong_password_is_refused_on_the_sign_in_form(page, portal):
    # Given the sign-in screen
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    # When the customer types a wrong password
    page.get_by_label("Organization").fill(portal.org_id)
    page.get_by_label("Email").fill(portal.email)
    page.get_by_label("Password", exact=True).fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()

    # Then the form says so, and she is still signed out
    expect(page.get_by_role("alert")).to_contain_text(re.compile("password", re.I))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot(page, "sign-in-refused")


def test_only_the_features_the_merchant_enabled_appear(page, portal):
    # Given a merchant that turned off subscriptions and reviews
    org_id = organization_with("Quiet Tools", "billing@quiet.example", subscriptions=False, reviews=False)
    customer = portal_user_for(org_id, new_customer(org_id, "Umbrella", "alice@umbrella.example", "Alice", "Abernathy"))

    # When its customer signs in
    sign_in(page, customer.org_id, customer.email, customer.password)

    # Then neither Subscriptions nor Review is offered
    expect(sidebar(page).get_by_role("link", name="Invoices")).to_be_visible()
    expect(sidebar(page).get_by_role("link", name="Subscriptions")).to_have_count(0)
    expect(page.get_by_role("button", name="Send Email")).to_be_visible()
    expect(page.get_by_role("button", name="Review")).to_have_count(0)

    # And typing the address of the disabled screen leads back Home
    page.goto("/#/subscriptions")
    expect(page.get_by_role("heading", name="Welcome, Alice")).to_be_visible()


def test_an_ended_session_returns_to_sign_in_with_a_message(page, portal):
    # Given a signed-in customer whose home screen has loaded
    traffic = Traffic(page)
    sign_in(page, portal.org_id, portal.email, portal.password)
    traffic.wait_until_quiet()

    # When her session times out while she is away
    from chalicelib import bootstrap
    bootstrap.set_clock(lambda: datetime.now(timezone.utc) + timedelta(hours=13))
    try:
        go_to(page, "Change Password")

        # Then the next screen she opens sends her to sign in, telling her why
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        expect(page.get_by_text("Your session ended. Please sign in again.")).to_be_visible()
    finally:
        bootstrap.set_clock(None)
    screenshot(page, "session-ended")

    # And signing in again brings her back
    sign_in(page, portal.org_id, portal.email, portal.password)


def test_a_customer_changes_her_password_and_signs_in_with_the_new_one(page, portal):
    # Given a signed-in customer of the demo organization
    globex = portal_user_for(portal.org_id, portal.customer_ids[1])
    sign_in(page, globex.org_id, globex.email, globex.password)

    # When she changes her password (after a mistyped repeat)
    go_to(page, "Change Password")
    change_password_form(page).get_by_label("Current password").fill(globex.password)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill("something else")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("The passwords do not match.")).to_be_visible()
    expect(page.get_by_label("Repeat the new password")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()
    screenshot(page, "change-password")

    # Then after signing out, the old password is refused and the new one works
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.get_by_label("Email").fill(globex.email)
    page.get_by_label("Password", exact=True).fill(globex.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    sign_in(page, globex.org_id, globex.email, NEW_PASSWORD)


def test_the_api_refuses_a_weak_new_password_next_to_the_field(page, portal):
    # Given a signed-in customer on Change Password
    initech = portal_user_for(portal.org_id, portal.customer_ids[2])
    sign_in(page, initech.org_id, initech.email, initech.password)
    go_to(page, "Change Password")

    # When she picks a password the policy refuses
    change_password_form(page).get_by_label("Current password").fill(initech.password)
    page.get_by_label("New password", exact=True).fill("password1")
    page.get_by_label("Repeat the new password").fill("password1")
    page.get_by_role("button", name="Confirm").click()

    # Then the API's reason is shown under the new password field
    expect(page.get_by_label("New password", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error:visible")).to_have_count(1)


def test_a_forgotten_password_is_reset_from_the_emailed_link(page, portal):
    # Given a customer who forgot her password
    bluth = portal_user_for(portal.org_id, portal.customer_ids[3])
    page.goto("/")
    page.get_by_role("link", name="Forgot your password?").click()
    form = page.get_by_role("form", name="Forgot password")     # the screen has changed, not the sign-in form
    form.get_by_label("Organization").fill(bluth.org_id)
    form.get_by_label("Email").fill(bluth.email)
    form.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_text("a link to choose a new password is on its way")).to_be_visible()

    # When she follows the emailed link and chooses a new password
    page.goto(link_emailed_to(bluth.email, "reset-password"))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("Your password is changed. Sign in with it now.")).to_be_visible()

    # Then she signs in with it
    page.get_by_role("link", name="Sign in").click()
    sign_in(page, bluth.org_id, bluth.email, NEW_PASSWORD)


def test_an_invited_colleague_chooses_a_password_and_is_signed_in(page, portal):
    # Given a colleague invited to the portal by email
    customer = fresh_customer(portal.org_id, "Inviter", colleagues=1)
    colleague = invite_colleagues(customer)[0]

    # When she opens the invitation and chooses a password
    page.goto(link_emailed_to(colleague, "accept-invite"))
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    # Then she is signed in, on Home
    expect(page.get_by_role("heading", name="Welcome, Colleague1")).to_be_visible()


def test_a_new_sign_in_email_takes_effect_once_confirmed_from_the_link_sent_to_it(page, portal):
    # Given a signed-in customer on My Details
    customer = fresh_customer(portal.org_id, "Renamer")
    new_email = customer.email.replace("owner", "new.owner")
    sign_in(page, customer.org_id, customer.email, customer.password)
    go_to(page, "My Details")

    # When she gives a new email with her password
    page.get_by_role("button", name="Edit contact").click()
    page.get_by_label("Email").fill(new_email)
    page.get_by_label("Current password").fill(customer.password)
    page.get_by_role("button", name="Save").click()

    # Then it waits for the link emailed there, and the page still shows her old address
    expect(page.get_by_text(re.compile("open the link we emailed there"))).to_be_visible()
    expect(page.get_by_role("region", name="Contact")).to_contain_text(customer.email)

    # When she opens the link and confirms
    page.goto(link_emailed_to(new_email, "confirm-email"))
    page.get_by_role("button", name="Sign in with this email from now on").click()

    # Then the new address is hers, and her session still works
    expect(page.get_by_text("Your sign-in email is changed. Sign in with it from now on.")).to_be_visible()
    page.goto("./#/details")
    expect(page.get_by_role("region", name="Contact")).to_contain_text(new_email)


def test_signing_in_works_from_the_keyboard_with_a_visible_focus(page, portal):
    # Given the sign-in screen, focus on its first field
    page.goto("/")
    expect(page.get_by_label("Organization")).to_be_focused()
    assert accessibility_problems(page) == []

    # When the customer types and tabs through the form, then presses Enter
    page.keyboard.type(portal.org_id)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.keyboard.type(portal.email)
    page.keyboard.press("Tab")
    page.keyboard.type(portal.password)
    page.keyboard.press("Enter")

    # Then she is signed in, and the focus she saw was drawn
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    assert outline not in ("", "none")
    go_to(page, "Change Password")
    assert accessibility_problems(page) == []


def test_a_customer_sets_up_two_step_sign_in_then_signs_in_with_a_code_and_a_recovery_code(page, portal):
    from chalicelib.domain.second_factor import code_for, step_at
    # Given a customer signed in
    customer = fresh_customer(portal.org_id, "Twostep")
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she sets up two-step sign-in, with her password, the key shown and her app's first code
    go_to(page, "Change Password")
    section = page.get_by_role("region", name="Two-step sign-in")
    section.get_by_label("Current password").fill(customer.password)
    section.get_by_role("button", name="Set up two-step sign-in").click()
    secret = section.get_by_test_id("second-factor-secret").inner_text().replace(" ", "")
    section.get_by_label("The code your app shows").fill(code_for(secret, step_at(datetime.now(timezone.utc))))
    section.get_by_role("button", name="Turn on").click()

    # Then her recovery codes are shown once, and the screen says it is on
    codes = section.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text()
    assert accessibility_problems(page) == []
    screenshot(page, "two-step-recovery-codes")
    section.get_by_role("button", name="I have saved them").click()
    expect(section).to_contain_text("Two-step sign-in is on. 10 recovery codes left.")

    # And signing in again asks for a code after the password; a recovery code works
    page.get_by_role("button", name="Sign out").click()
    page.goto("./#/sign-in")
    page.get_by_label("Organization").fill(customer.org_id)
    page.get_by_label("Email").fill(customer.email)
    page.get_by_label("Password", exact=True).fill(customer.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Enter your sign-in code")).to_be_visible()
    page.get_by_label("Code", exact=True).fill("000000" if code_for(secret, step_at(datetime.now(timezone.utc))) != "000000"
                                   else "111111")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The code is not right.").first).to_be_visible()
    page.get_by_label("Code", exact=True).fill(recovery)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Welcome"))).to_be_visible()


def test_a_link_with_a_portals_old_name_opens_it_and_shows_its_name_as_it_is_now(page, portal):
    from chalicelib.bootstrap import services
    from chalicelib.services.access.commands import OrganizationChanges
    # Given a portal named "oldwave", renamed "newwave" after its links were emailed
    org_id = organization_with("Wavelength", "billing@wavelength.example")
    services().access.update_organization(org_id, OrganizationChanges(portal_name="oldwave"))
    services().access.update_organization(org_id, OrganizationChanges(portal_name="newwave"))

    # When a customer follows an old link
    page.goto("./?portal=oldwave#/sign-in")

    # Then it opens the organization's sign-in, and the address now carries the new name
    expect(page.get_by_role("heading", level=1, name="Sign in to Wavelength")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?portal=newwave#/sign-in$"))


def test_a_customer_of_a_portal_without_passwords_signs_in_with_the_link_emailed_to_her(page, portal):
    from chalicelib.bootstrap import services
    from chalicelib.services.access.commands import OrganizationChanges
    # Given a portal that signs in with emailed links only, at its own address
    org_id = organization_with("Linkwise", "billing@linkwise.example", sign_in_with="link")
    services().access.update_organization(org_id, OrganizationChanges(portal_name="linkwise"))
    customer = portal_user_for(org_id, new_customer(org_id, "Hooli", "gavin@hooli.example", "Gavin", "Belson"))

    # When she opens it, it asks for her email only, and she asks for a link
    page.goto("./?portal=linkwise#/sign-in")
    expect(page.get_by_role("heading", level=1, name="Sign in to Linkwise")).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_have_count(0)
    page.get_by_label("Email").fill(customer.email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_text("a link to sign in is on its way")).to_be_visible()
    assert accessibility_problems(page) == []

    # Then the emailed link signs her in with one click, once
    link = link_emailed_to(customer.email, "sign-in-link")
    page.goto(link)
    page.get_by_role("button", name="Continue to the portal").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Welcome"))).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in to Linkwise")).to_be_visible()
    page.goto(link)
    page.get_by_role("button", name="Continue to the portal").click()
    expect(page.get_by_role("alert")).to_contain_text("This link does not work any more")


def test_an_invitation_to_a_portal_without_passwords_asks_for_none_then_or_later(page, portal):
    from chalicelib.bootstrap import services
    from chalicelib.services.access.commands import OrganizationChanges
    # Given a colleague invited to a portal that signs in with emailed links only
    org_id = organization_with("Linkonly", "billing@linkonly.example", sign_in_with="link")
    services().access.update_organization(org_id, OrganizationChanges(portal_name="linkonly"))
    colleague = invite_colleagues(fresh_customer(org_id, "Piedpiper", colleagues=1))[0]

    # When she opens the invitation
    page.goto(link_emailed_to(colleague, "accept-invite"))
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    # Then it asks for no password, and creating her account signs her in
    expect(page.get_by_text("You sign in with a link we email you")).to_be_visible()
    expect(page.get_by_label("Choose a password")).to_have_count(0)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Welcome, Colleague1")).to_be_visible()

    # And where a change would ask for her current password, she is asked for none (her fresh sign-in stands in)
    go_to(page, "Change Password")
    expect(page.get_by_role("heading", name="Set a password")).to_be_visible()
    expect(page.get_by_label("New password", exact=True)).to_be_visible()
    expect(page.get_by_label("Current password")).to_have_count(0)
    expect(page.get_by_label(re.compile("Your password"))).to_have_count(0)
    go_to(page, "My Details")
    page.get_by_role("button", name="Edit contact").click()
    page.get_by_label("Email").fill(colleague.replace("colleague1", "colleague.one"))
    expect(page.get_by_text("needs a sign-in in the last 10 minutes")).to_be_visible()
    expect(page.get_by_label("Current password")).to_have_count(0)

    # And once she sets a first password, the screen asks for it from then on
    go_to(page, "Change Password")
    page.get_by_label("New password", exact=True).fill("a first long passphrase of hers")
    page.get_by_label("Repeat the new password").fill("a first long passphrase of hers")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()
    expect(change_password_form(page).get_by_label("Current password")).to_be_visible()
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()
