"""Home's pending approvals: a count links to what waits, and nothing waiting is said, not linked."""
import pytest
from playwright.sync_api import expect

from tests.e2e.steps import an_estimate, fresh_customer, sign_in

pytestmark = pytest.mark.e2e


def test_home_links_only_the_approvals_that_wait(page, portal):
    # Given a customer with one estimate awaiting her answer and no timesheet
    customer = fresh_customer(portal.org_id, "Counter")
    an_estimate(customer, 50000)

    # When she signs in
    sign_in(page, customer.org_id, customer.email, customer.password)

    # Then Home links the estimate, and says nothing of timesheets
    approvals = page.get_by_role("region", name="Pending approvals")
    expect(approvals.get_by_role("link")).to_have_text(["1 estimate"])


def test_home_says_nothing_waits_rather_than_linking_zero(page, portal):
    # Given a customer with nothing to approve
    customer = fresh_customer(portal.org_id, "Idle")

    # When she signs in
    sign_in(page, customer.org_id, customer.email, customer.password)

    # Then Home says so, with no link to "0 estimates"
    approvals = page.get_by_role("region", name="Pending approvals")
    expect(approvals).to_contain_text("Nothing waiting for your answer.")
    expect(approvals.get_by_role("link")).to_have_count(0)
