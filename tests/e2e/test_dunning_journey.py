"""Dunning in the browser, on the test clock: a renewal declined for want of funds shows the
customer why, the retries by day and a Retry now that, paid with another card, ends it."""
import re
from datetime import datetime, time, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.steps import accessibility_problems, go_to, new_customer, organization_with, portal_user_for, sign_in

pytestmark = pytest.mark.e2e


def a_renewal_declined_on_the_test_clock(interval: str = "month", dunning=None):
    """A test-mode merchant whose customer's Pro renewal (tomorrow) is charged to a card without funds;
    the test clock moved to that day: the subscription is in dunning."""
    from chalicelib.bootstrap import services
    from chalicelib.domain.catalog import Plan
    from chalicelib.services.access.commands import OrganizationChanges
    from chalicelib.services.subscriptions.commands import NewSubscription
    now = datetime.now(timezone.utc)
    org_id = organization_with("Dunning Co", "billing@dunning.example")
    services().access.update_organization(org_id, OrganizationChanges(test_mode=True, dunning=dunning))
    services().subscriptions.add_plan(org_id, Plan("pro", "Pro", 2900, "USD", interval), now)
    customer = portal_user_for(org_id, new_customer(org_id, "Brown", "charlie@brown.example", "Charlie", "Brown"))
    card = services().payments.add_method(org_id, customer.customer_id, "pm_card_chargeDeclinedInsufficientFunds",
                                          make_default=True, now=now).payment_method_id
    today = now.date()
    services().subscriptions.create(org_id, NewSubscription(customer.customer_id, "pro", auto_charge=True,
                                                            payment_method_id=card,
                                                            term_start=today - timedelta(days=30 if interval == "month"
                                                                                         else 6),
                                                            term_end=today + timedelta(days=1)), now)
    # an hour into the renewal's day (not a day and an hour from now: late in the evening that is the
    # next day, when the first retry is due already and runs with the renewal)
    renewal_day = datetime.combine(today + timedelta(days=1), time(1), tzinfo=timezone.utc)
    advanced = services().subscriptions.advance_test_clock(org_id, renewal_day, real_now=now)
    assert advanced.failed == () and advanced.done, advanced
    return customer


def test_a_declined_renewal_shows_why_and_when_and_retry_now_with_another_card_ends_it(page, portal):
    # Given a renewal declined for want of funds
    customer = a_renewal_declined_on_the_test_clock()
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When Charlie opens the subscription
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()

    # Then the dunning card says what failed, why in words, and the three retries to come
    card = page.get_by_role("region", name="Payment failed")
    expect(card).to_contain_text("We could not collect $29.00")
    expect(card).to_contain_text("The card did not have enough funds for this payment.")
    expect(card.get_by_role("listitem")).to_have_count(3)
    expect(card).to_contain_text("the subscription stays unpaid until the invoice is paid")
    assert accessibility_problems(page) == []
    screenshot(page, "dunning")

    # When he retries now with another card
    card.get_by_role("link", name="Retry now").click()
    page.get_by_label("A new card").check()
    page.get_by_label("Test card", exact=True).select_option("pm_card_visa")
    page.get_by_role("button", name="Pay $29.00").click()

    # Then the payment is received and the subscription is live again, with no dunning left
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()
    expect(page.get_by_role("heading", name="Pro", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Payment failed")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(re.compile("Live"))


def test_a_weekly_renewal_shows_only_the_retries_before_the_term_ends_and_that_the_dunning_ends_with_it(page, portal):
    # Given a weekly renewal declined, under retries 1, 3, 5 and 10 days on
    from chalicelib.domain.preferences import DunningSettings
    customer = a_renewal_declined_on_the_test_clock("week", DunningSettings((1, 3, 5, 10), "unpaid"))
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When Charlie opens the subscription
    go_to(page, "Subscriptions")
    page.get_by_role("link", name="Pro", exact=True).click()

    # Then the card shows the three retries within the week, and that it becomes unpaid when the term ends
    card = page.get_by_role("region", name="Payment failed")
    expect(card.get_by_role("listitem")).to_have_count(3)
    expect(card).to_contain_text("If the invoice is not paid when the term ends on")
    expect(card).to_contain_text("the subscription becomes unpaid until it is paid")
