"""The merchant console in Chromium: an admin signs in with her own account (not an API key), flips
a portal preference and finds the change in the audit log; a support user sees the same switch
read-only; and every console screen has no serious accessibility violation, in English and German."""
import re
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import checked
from tests.e2e.conftest import browser_tab
from tests.e2e.steps import (a_subscription, fresh_customer, link_emailed_to, new_customer, organization_with,
                             portal_user_for, sidebar, sign_in)

pytestmark = pytest.mark.e2e

PASSWORD = "amber compass over the quiet harbour"


def console_users(name: str, **preferences) -> str:
    """An organization of its own (the demo's preferences stay as they are) with an admin and a
    support user."""
    from chalicelib.bootstrap import services
    from chalicelib.services.access.actors import API_KEY
    org_id = organization_with(name, f"billing@{name.lower()}.example", **preferences)
    for email, role in ((f"olivia@{name.lower()}.example", "admin"), (f"sam@{name.lower()}.example", "support")):
        services().access.create_merchant_user(org_id, email=email, role=role, password=PASSWORD, name="",
                                               now=datetime.now(timezone.utc), by=API_KEY)
    return org_id


def console_sign_in(page, org_id: str, email: str) -> None:
    page.goto("./#/console/sign-in")
    page.get_by_label("Organization").fill(org_id)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the console").click()
    expect(page.get_by_role("heading", level=1, name="Portal preferences")).to_be_visible()


def test_a_console_user_who_forgot_her_password_chooses_a_new_one_from_the_emailed_link(browser, portal):
    org_id = console_users("Resetta")
    with browser_tab(browser, portal.url) as page:
        # Given a console user at the console's sign-in who forgot her password
        page.goto("./#/console/sign-in")
        page.get_by_role("link", name="Forgot your password?").click()

        # When she asks for a link, opens it and chooses a new password (after a mistyped repeat)
        page.get_by_label("Organization").fill(org_id)
        page.get_by_label("Email").fill("olivia@resetta.example")
        page.get_by_role("button", name="Email me a link").click()
        expect(page.get_by_text("a link to choose a new password is on its way")).to_be_visible()
        page.goto(link_emailed_to("olivia@resetta.example", "console/reset-password"))
        expect(page.get_by_role("heading", level=1, name="Choose a new password")).to_be_visible()
        page.get_by_label("New password", exact=True).fill("a lighthouse keeper counts the gulls")
        page.get_by_label("Repeat the password").fill("something else")
        page.get_by_role("button", name="Save the new password").click()
        expect(page.get_by_text("The passwords do not match.")).to_be_visible()
        page.get_by_label("Repeat the password").fill("a lighthouse keeper counts the gulls")
        page.get_by_role("button", name="Save the new password").click()

        # Then she is back at the sign-in, told so, and the new password lets her in
        expect(page.get_by_text("Your password is changed. Sign in with the new one.")).to_be_visible()
        page.get_by_label("Organization").fill(org_id)
        page.get_by_label("Email").fill("olivia@resetta.example")
        page.get_by_label("Password", exact=True).fill("a lighthouse keeper counts the gulls")
        page.get_by_role("button", name="Sign in to the console").click()
        expect(page.get_by_role("heading", level=1, name="Portal preferences")).to_be_visible()


def test_an_admin_flips_a_preference_and_finds_it_in_the_audit_log_and_support_sees_it_read_only(browser, portal):
    org_id = console_users("Consolata")
    with browser_tab(browser, portal.url) as page:
        # Given the admin signed in to the console
        console_sign_in(page, org_id, "olivia@consolata.example")
        reviews = page.get_by_role("checkbox", name="Reviews", exact=True)
        expect(reviews).to_be_checked()

        # When she turns reviews off and saves
        reviews.uncheck()
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_text("Saved.")).to_be_visible()

        # Then the audit log names her and the switch that moved
        page.get_by_role("navigation", name="Console navigation").get_by_role("link", name="Audit log").click()
        row = page.get_by_role("row").filter(has_text="Portal preferences changed")
        expect(row).to_contain_text("olivia@consolata.example")
        expect(row).to_contain_text("Reviews: on → off")
        expect(row).not_to_contain_text("/admin/")
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", level=1, name="Sign in to the console")).to_be_visible()

        # And the support user sees the switch as it is now, and cannot change it
        console_sign_in(page, org_id, "sam@consolata.example")
        switch = page.get_by_role("checkbox", name="Reviews", exact=True)
        expect(switch).not_to_be_checked()
        expect(switch).to_be_disabled()
        expect(page.get_by_role("button", name="Save changes")).to_have_count(0)
        expect(page.get_by_text(re.compile("Your role can see these settings"))).to_be_visible()


def test_a_preference_changed_in_the_console_is_followed_by_the_portal(browser, portal):
    # Given a customer signed in to the portal, who sees subscriptions
    org_id = console_users("Followme")
    customer = portal_user_for(org_id, new_customer(org_id, "Tessa Ltd", "tessa@tessa.example", "Tessa", "Ng"))
    with browser_tab(browser, portal.url) as customer_page, browser_tab(browser, portal.url) as console_page:
        sign_in(customer_page, customer.org_id, customer.email, customer.password)
        expect(sidebar(customer_page).get_by_role("link", name="Subscriptions")).to_be_visible()

        # When the admin turns subscriptions off in the console
        console_sign_in(console_page, org_id, "olivia@followme.example")
        console_page.get_by_role("checkbox", name="Show subscriptions").uncheck()
        console_page.get_by_role("button", name="Save changes").click()
        expect(console_page.get_by_text("Saved.")).to_be_visible()

        # Then the customer's portal no longer offers them at the next screen
        sidebar(customer_page).get_by_role("link", name="Invoices").click()
        expect(sidebar(customer_page).get_by_role("link", name="Subscriptions")).to_have_count(0)


def test_a_coupon_made_for_the_portal_in_the_console_is_applied_by_the_customer(browser, portal):
    from chalicelib.domain.preferences import EditPreferences
    from devstack.seed import seed_catalog
    # Given a customer with a subscription, where customers may apply coupons
    org_id = console_users("Couponia", edit_subscription=EditPreferences(enabled=True))
    seed_catalog(org_id, datetime.now(timezone.utc))
    customer = portal_user_for(org_id, new_customer(org_id, "Ruth Co", "ruth@ruth.example", "Ruth", "Ode"))
    subscription_id = a_subscription(customer)
    with browser_tab(browser, portal.url) as console_page, browser_tab(browser, portal.url) as customer_page:
        # When the admin creates a coupon shown in the portal, limited to 5 redemptions
        console_sign_in(console_page, org_id, "olivia@couponia.example")
        console_page.get_by_role("link", name="Plans and coupons").click()
        form = console_page.get_by_role("form", name="New coupon")
        form.get_by_label("Code").fill("SPRING10")
        form.get_by_label("Name").fill("Spring")
        form.get_by_label("Percent off").fill("10")
        form.get_by_label("Redemption limit").fill("5")
        form.get_by_label("Shown in the portal").check()
        form.get_by_role("button", name="Create").click()
        expect(console_page.get_by_role("row").filter(has_text="SPRING10")).to_contain_text("0 of 5")

        # Then the customer finds it among the coupons and applies it
        sign_in(customer_page, customer.org_id, customer.email, customer.password)
        customer_page.goto(f"./#/subscriptions/{subscription_id}/change")
        customer_page.get_by_label("Coupon").select_option("SPRING10")
        customer_page.get_by_role("button", name="Preview changes").click()
        customer_page.get_by_role("button", name="Confirm change").click()
        expect(customer_page.get_by_text("Your subscription is updated.")).to_be_visible()

        # And the console counts the redemption
        console_page.reload()
        expect(console_page.get_by_role("row").filter(has_text="SPRING10")).to_contain_text("1 of 5")


def test_the_catalogue_says_how_often_each_plan_is_billed(browser, portal):
    from devstack.seed import seed_catalog
    # Given an organization with a yearly plan and a monthly one
    org_id = console_users("Yearly")
    seed_catalog(org_id, datetime.now(timezone.utc))
    with browser_tab(browser, portal.url) as page:
        # When the admin opens Plans and coupons
        console_sign_in(page, org_id, "olivia@yearly.example")
        page.get_by_role("link", name="Plans and coupons").click()

        # Then each plan's price says its term, so $290.00 a year is not read beside $29.00 as a month's
        plans = page.get_by_role("table", name="Plans")
        expect(plans.get_by_role("row").filter(has_text="Business")).to_contain_text("$290.00 per year")
        expect(plans.get_by_role("row").filter(has_text="Pro")).to_contain_text("$29.00 per month")


def test_the_logo_buttons_stand_apart(browser, portal):
    from chalicelib.bootstrap import services
    from tests.support.logos import png
    # Given an organization with a logo
    org_id = console_users("Logoed")
    services().access.set_logo(org_id, png(96, 32))
    with browser_tab(browser, portal.url) as page:
        # When the admin opens Organization
        console_sign_in(page, org_id, "olivia@logoed.example")
        page.goto("./#/console/organization")
        logo = page.get_by_role("form", name="Logo")
        upload, remove = logo.get_by_role("button", name="Upload logo"), logo.get_by_role("button", name="Remove logo")
        expect(remove).to_be_visible()

        # Then Upload and Remove are two buttons with space between them, not one bar
        assert remove.bounding_box()["x"] - (upload.bounding_box()["x"] + upload.bounding_box()["width"]) >= 4


def test_an_admin_sets_up_a_second_factor_and_signs_in_with_a_code(browser, portal):
    from chalicelib.domain.second_factor import code_for, step_at
    org_id = console_users("Twofactor")
    with browser_tab(browser, portal.url) as page:
        # Given the admin on her account screen
        console_sign_in(page, org_id, "olivia@twofactor.example")
        page.goto("./#/console/team")

        # When she sets up a second factor, with her password, and her app's first code
        set_up = page.get_by_role("form", name="Set up a second factor")
        set_up.get_by_label("Current password").fill(PASSWORD)
        set_up.get_by_role("button", name="Set up a second factor").click()
        secret = page.locator("form code").inner_text()
        page.get_by_label("Code from your authenticator app").fill(code_for(secret, step_at(datetime.now(timezone.utc))))
        page.get_by_role("button", name="Turn on").click()
        expect(page.get_by_text("Keep these recovery codes")).to_be_visible()
        recovery = page.locator("li code").first.inner_text()
        page.get_by_role("button", name="Sign out").click()

        # Then her next sign-in asks for a code after the password, and a recovery code opens the console
        page.get_by_label("Organization").fill(org_id)
        page.get_by_label("Email").fill("olivia@twofactor.example")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in to the console").click()
        page.get_by_label("Code from your authenticator app").fill(recovery)
        page.get_by_role("button", name="Sign in to the console").click()
        expect(page.get_by_role("heading", level=1, name="Portal preferences")).to_be_visible()


def test_an_admin_adds_a_user_on_the_team_screen_confirming_with_her_own_password(browser, portal):
    org_id = console_users("Teamadd")
    with browser_tab(browser, portal.url) as page:
        # Given the admin on her team screen
        console_sign_in(page, org_id, "olivia@teamadd.example")
        page.goto("./#/console/team")
        new_user = page.get_by_role("form", name="Add a user")
        new_user.get_by_label("Email").fill("kim@teamadd.example")
        new_user.get_by_label("First password").fill("a kite above the salt marsh at noon")

        # When she adds Kim with a mistyped password of her own, then with her password
        new_user.get_by_label("Your password, to confirm it is you").fill("not quite my password")
        new_user.get_by_role("button", name="Create").click()
        expect(new_user.get_by_text("This is not your current password.")).to_be_visible()
        expect(page.get_by_role("table")).not_to_contain_text("kim@teamadd.example")
        new_user.get_by_label("Your password, to confirm it is you").fill(PASSWORD)
        new_user.get_by_role("button", name="Create").click()

        # Then Kim is on the team, a support user
        expect(page.get_by_role("row").filter(has_text="kim@teamadd.example")).to_contain_text("Support")


def test_an_admin_makes_a_support_user_admin_on_the_team_screen_confirming_with_her_own_password(browser, portal):
    org_id = console_users("Teamrole")
    with browser_tab(browser, portal.url) as page:
        # Given the admin on her team screen, Sam a support user
        console_sign_in(page, org_id, "olivia@teamrole.example")
        page.goto("./#/console/team")
        role = page.get_by_label("Role of sam@teamrole.example")

        # When she makes Sam admin, and the dialog asks for her password: first dismissed, then mistyped
        role.select_option("admin")
        confirm = page.get_by_role("dialog", name="Make sam@teamrole.example an admin")
        confirm.get_by_role("button", name="Cancel").click()
        expect(role).to_have_value("support")
        role.select_option("admin")
        confirm.get_by_label("Your password, to confirm it is you").fill("not quite my password")
        confirm.get_by_role("button", name="Make admin").click()
        expect(confirm.get_by_text("This is not your current password.")).to_be_visible()
        confirm.get_by_label("Your password, to confirm it is you").fill(PASSWORD)
        confirm.get_by_role("button", name="Make admin").click()

        # Then Sam is an admin, as the team screen says when opened again
        expect(confirm).to_be_hidden()
        page.reload()
        expect(page.get_by_label("Role of sam@teamrole.example")).to_have_value("admin")


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_the_consoles_screens_have_no_serious_accessibility_violation(browser, portal, locale):
    org_id = console_users(f"Axeconsole{locale[:2]}")
    language = locale[:2]
    with browser_tab(browser, portal.url, locale=locale) as page:
        found = {}
        page.goto("./#/console/sign-in")
        expect(page.locator("main h1")).to_be_visible()
        checked(page, found, "console sign-in", language)
        for screen in ("forgot-password", "reset-password?organization=org_x&token=t"):
            page.goto(f"./#/console/{screen}")
            expect(page.locator("main form")).to_be_visible()
            checked(page, found, f"console {screen.split('?')[0]}", language)
        page.goto("./#/console/sign-in")
        page.locator("input[name=organization]").fill(org_id)
        page.locator("input[name=email]").fill(f"olivia@axeconsole{language}.example")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("button[type=submit]").click()
        expect(page.locator("fieldset").first).to_be_visible()
        checked(page, found, "console preferences", language)
        for screen in ("catalog", "customers", "engagement", "organization", "audit-log", "team"):
            page.goto(f"./#/console/{screen}")
            expect(page.locator("main h1")).to_be_visible()
            page.wait_for_load_state("networkidle")
            checked(page, found, f"console {screen}", language)

    assert {screen: problems for screen, problems in found.items() if problems} == {}


def test_the_customers_screen_offers_an_invitation_only_to_contacts_without_an_account(browser, portal):
    from chalicelib.bootstrap import adapters, services
    org_id = console_users("Invitia")
    # Given a customer whose owner has an account, one colleague invited and one not yet
    customer = fresh_customer(org_id, "Gilfoyle", colleagues=2)
    owner, invited, uninvited = adapters().uow.customers.get(org_id, customer.customer_id).contacts
    services().access.invite(org_id, customer.customer_id, invited.contact_id, datetime.now(timezone.utc))
    with browser_tab(browser, portal.url) as page:
        # When the admin opens Customers
        console_sign_in(page, org_id, "olivia@invitia.example")
        page.get_by_role("navigation", name="Console navigation").get_by_role("link", name="Customers").click()

        # Then the owner is offered nothing, the invited colleague a second invitation, the other a first
        def contact(person):
            return page.get_by_role("listitem").filter(has_text=person.email)
        expect(contact(invited).get_by_role("button")).to_have_text("Resend invitation")
        expect(contact(uninvited).get_by_role("button")).to_have_text("Send invitation")
        expect(contact(owner).get_by_role("button")).to_have_count(0)
        assert owner.email == customer.email


def test_an_admin_names_the_portal_and_uploads_a_logo_and_sees_no_test_clock_outside_test_mode(browser, portal):
    from chalicelib.bootstrap import services
    from tests.support.logos import png
    from chalicelib.domain.customers import Address
    from chalicelib.services.access.commands import OrganizationChanges
    org_id = console_users("Brandia")
    # whose address so far names only its country, one the address forms do not list
    services().access.update_organization(org_id, OrganizationChanges(address=Address(country="AT")))
    with browser_tab(browser, portal.url) as page:
        # Given the admin of an organization not in test mode, on its Organization screen
        console_sign_in(page, org_id, "olivia@brandia.example")
        page.get_by_role("navigation", name="Console navigation").get_by_role("link", name="Organization").click()
        expect(page.get_by_role("heading", name="Logo")).to_be_visible()

        # Then it shows no test clock
        expect(page.get_by_role("heading", name="Test clock")).to_have_count(0)

        # When she names the portal, gives the postal address its documents print, and uploads a logo
        page.get_by_label("Portal name").fill("brandia")
        page.get_by_role("form", name="Details").get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved.")).to_be_visible()
        address = page.get_by_role("form", name="Postal address")
        address.get_by_label("Street address").fill("Stephansplatz 1")
        address.get_by_label("City").fill("Wien")
        address.get_by_label("Postal code").fill("1010")
        address.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved.").last).to_be_visible()
        page.get_by_label("Logo file").set_input_files({"name": "logo.png", "mimeType": "image/png",
                                                          "buffer": png(96, 32)})
        page.get_by_role("button", name="Upload logo").click()

        # Then the screen shows the logo, and the portal's address carries the name
        expect(page.get_by_text("The logo is saved.")).to_be_visible()
        expect(page.get_by_role("form", name="Logo").locator("img.logo")).to_be_visible()
        org = services().access.organization_for_portal("brandia")
        assert org.org_id == org_id and org.logo
        assert org.address.lines() == ("Stephansplatz 1", "1010 Wien", "AT")    # the country kept as it was


def test_the_console_signs_in_with_the_portal_s_name_in_place_of_the_organization_id(browser, portal):
    from chalicelib.bootstrap import services
    from chalicelib.services.access.commands import OrganizationChanges
    # Given an organization whose portal is named "signia"
    org_id = console_users("Signia")
    services().access.update_organization(org_id, OrganizationChanges(portal_name="signia"))
    with browser_tab(browser, portal.url) as page:
        # When its admin signs in to the console giving the portal's name
        # Then she is in, on the portal preferences
        console_sign_in(page, "signia", "olivia@signia.example")
