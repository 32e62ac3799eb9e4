"""The portal served the way API Gateway serves it: under the stage's path (".../api/"), with
nothing at the origin's root (tests/e2e/stage_proxy.py); and what the customer sees when the
portal's files or the API cannot be reached."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.steps import go_to, sign_in

pytestmark = pytest.mark.e2e


def test_at_the_stage_url_a_customer_signs_in_and_sees_home_and_a_subscription(staged_page, stage, portal):
    # Given the portal behind a gateway where only /api/... exists
    page = staged_page

    # When the customer opens the stage's address (the template's EndpointURL) and signs in
    page.goto(stage.url)
    sign_in(page, portal.org_id, portal.email, portal.password)

    # Then she sees Home and opens one of her subscriptions
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    go_to(page, "Subscriptions")
    first = page.get_by_role("table", name="Subscriptions").get_by_role("link").first
    plan = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1, name=plan)).to_be_visible()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    screenshot(page, "stage-subscription")

    # And nothing was asked of the origin's root
    assert stage.refused == []


def test_the_stage_address_typed_without_its_trailing_slash_gains_it_and_the_portal_loads(staged_page, stage):
    # When the customer types the stage's address without the trailing slash (".../api")
    staged_page.goto(stage.url.rstrip("/"))

    # Then she lands on ".../api/" and the portal loads from under the stage
    expect(staged_page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert staged_page.url == stage.url + "#/sign-in"


def test_when_the_api_cannot_be_reached_the_portal_says_so_and_tries_again(staged_page, stage, portal):
    # Given a signed-in customer at the stage URL
    page = staged_page
    sign_in(page, portal.org_id, portal.email, portal.password)

    # When the API cannot be reached as she opens the portal again
    stage.unreachable.add("portal/")
    page.reload()

    # Then she is told, instead of an endless "Loading"
    expect(page.get_by_role("alert")).to_contain_text("We could not reach the server")
    expect(page.get_by_text("Loading your portal…")).to_have_count(0)
    screenshot(page, "stage-api-unreachable")

    # And once it is back, trying again shows Home
    stage.unreachable.clear()
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()


def test_when_the_portals_files_cannot_be_loaded_the_page_says_so_and_tries_again(staged_page, stage):
    # Given a gateway that cannot serve the portal's files
    page = staged_page
    stage.unreachable.add("assets/")

    # When the customer opens the portal
    page.goto(stage.url)

    # Then the page says it could not load, instead of an endless "Loading"
    expect(page.get_by_role("alert")).to_contain_text(re.compile("could not be loaded"))
    expect(page.get_by_text("Loading your portal…")).to_be_hidden()
    screenshot(page, "stage-assets-unreachable")

    # And once they can be served, trying again shows the sign-in screen
    stage.unreachable.clear()
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
