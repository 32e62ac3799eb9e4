"""What a subscription's screens say of its price and its terms."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
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
