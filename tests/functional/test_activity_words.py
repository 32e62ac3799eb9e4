"""The activity timeline, which the customer reads in the portal, is written in words: amounts as
money, statuses as phrases, never an amount in minor units or a status key."""
import pytest

from tests.support.api import Api, client, new_organization
from tests.support.merchant import a_customer, with_catalog


@pytest.fixture
def merchant(aws):
    _org, key = new_organization()
    with client() as c:
        api = Api(c, key)
        with_catalog(api)
        yield api


def summaries(merchant, customer_id: str, action: str) -> list[str]:
    items = merchant.get(f"/admin/customers/{customer_id}/activity").json["items"]
    return [item["summary"] for item in items if item["action"] == action]


def test_a_recorded_payment_names_its_amount_as_money(merchant):
    # Given an invoice of 44.00
    customer_id = a_customer(merchant)["customer_id"]
    invoice = merchant.post("/admin/invoices", {"customer_id": customer_id, "lines": [
        {"description": "Workshop", "unit_price_minor": 4400, "quantity": 1}]}).json

    # When the merchant records its payment
    merchant.post("/admin/payments", {"customer_id": customer_id, "invoice_id": invoice["invoice_id"],
                                      "amount_minor": 4400})

    # Then the activity says how much in money, not minor units
    assert summaries(merchant, customer_id, "payment.recorded") == [f"{invoice['number']}: USD 44.00"]


def test_a_subscription_created_in_any_status_names_the_status_in_words(merchant):
    # Given subscriptions imported in every status
    customer_id = a_customer(merchant)["customer_id"]
    for status in ["trial", "live", "non_renewing", "dunning", "unpaid", "paused", "cancelled", "expired"]:
        assert merchant.post("/admin/subscriptions", {"customer_id": customer_id, "plan_code": "pro",
                                                      "status": status}).status == 201

    # Then no activity names a status by its key
    created = summaries(merchant, customer_id, "subscription.created")
    assert len(created) == 8
    assert not [summary for summary in created if "_" in summary], created
    assert "Pro, set to cancel at the end of its term" in created
    assert "Pro, waiting for a failed payment" in created
