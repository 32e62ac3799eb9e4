"""Passkeys in Chromium, with the DevTools protocol's virtual authenticator standing in for a
phone or a laptop's fingerprint reader: a customer adds one on her security screen, signs out,
and signs in with it without typing her email or password."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_tab, screenshot
from tests.e2e.steps import accessibility_problems, fresh_customer, go_to, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def local_page(browser, portal):
    """A tab on the portal at http://localhost:<port>/: browsers refuse an IP address as a passkey's
    relying party, so the local stack's passkeys belong to localhost (docs/security.md)."""
    with browser_tab(browser, portal.url.replace("127.0.0.1", "localhost")) as tab:
        yield tab


def with_virtual_authenticator(page) -> str:
    """A platform authenticator that keeps discoverable passkeys and verifies its user at once."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    found = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    page.cdp = cdp
    return found["authenticatorId"]


def test_a_customer_adds_a_passkey_then_signs_in_with_it_alone(local_page, portal):
    page = local_page
    # Given a signed-in customer whose browser holds a (virtual) authenticator
    customer = fresh_customer(portal.org_id, "Passkey")
    authenticator = with_virtual_authenticator(page)
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she adds a passkey named "Work laptop" on her security screen
    go_to(page, "Change Password")
    section = page.get_by_role("region", name="Passkeys")
    expect(section).to_contain_text("No passkey added yet.")
    section.get_by_label("Name of this passkey").fill("Work laptop")
    section.get_by_label("Your password, to confirm it is you").fill(customer.password)
    section.get_by_role("button", name="Add a passkey").click()

    # Then it is listed under that name, and the authenticator holds it
    expect(section).to_contain_text("Passkey Work laptop added.")
    expect(section.get_by_role("list", name="Your passkeys").get_by_role("listitem")).to_have_count(1)
    assert len(page.cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    assert accessibility_problems(page) == []
    screenshot(page, "passkeys-listed")

    # And after signing out, the passkey alone signs her in
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    page.get_by_label("Organization").fill(customer.org_id)
    screenshot(page, "sign-in-with-a-passkey")
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Welcome"))).to_be_visible()

    # And once removed, it is gone from her list
    go_to(page, "Change Password")
    section = page.get_by_role("region", name="Passkeys")
    section.get_by_role("button", name="Remove passkey Work laptop").click()
    expect(section).to_contain_text("No passkey added yet.")
