"""The merchant's logo on the sign-in page and in the portal's header, loaded from the portal itself
under the page's Content-Security-Policy."""
import re

import pytest
from playwright.sync_api import expect

from devstack.seed import DEMO_LOGO, DEMO_PORTAL_NAME
from tests.e2e.conftest import screenshot
from tests.e2e.steps import accessibility_problems, fresh_customer
from tests.support.logos import png

pytestmark = pytest.mark.e2e


@pytest.fixture
def a_logo(portal):
    """A logo of the test's own on the demo organization; the demo's own afterwards."""
    from chalicelib.bootstrap import services
    org = services().access.set_logo(portal.org_id, png(96, 32))
    yield org
    services().access.set_logo(portal.org_id, DEMO_LOGO.read_bytes())


def loaded(image) -> bool:
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_the_logo_is_shown_on_sign_in_and_in_the_header(page, portal, a_logo):
    # Given Northwind with a logo, and Olive, its customer
    olive = fresh_customer(portal.org_id, "Logo")

    # When she opens the portal's address
    page.goto(f"./?portal={DEMO_PORTAL_NAME}#/sign-in")

    # Then the sign-in page shows the logo beside Northwind's name, loaded from the portal
    brand = page.locator(".brand img.logo")
    expect(brand).to_have_attribute("src", re.compile(f"/portal/auth/logos/{portal.org_id}/{a_logo.logo}$"))
    page.wait_for_function("() => document.querySelector('.brand img.logo').complete")
    assert loaded(brand)

    # And once signed in, the header shows it too
    page.get_by_label("Email").fill(olive.email)
    page.get_by_label("Password", exact=True).fill(olive.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Welcome"))).to_be_visible()
    header_logo = page.locator("header .brand img.logo")
    expect(header_logo).to_be_visible()
    page.wait_for_function("() => document.querySelector('header .brand img.logo').complete")
    assert loaded(header_logo)
    assert accessibility_problems(page) == []
    screenshot(page, "home-with-logo")
