"""The merchant's API refuses what could not be meant, before anything is written: a website
that is not a web address (it becomes a link on the portal), a document naming another
customer's subscription, terms that end before they start or in the year 9999, timesheet entries
outside their period, and totals no single payment could take."""
import pytest

from tests.support.api import Api, client
from tests.support.payments import a_payer, a_subscription
from tests.support.portal import Clock


def field_refused(answer, field: str) -> None:
    assert answer.status == 400, answer.json
    assert field in answer.json["error"]["details"]["fields"], answer.json


@pytest.mark.parametrize("website", ["javascript:alert(1)", "data:text/html,<script>x</script>", "ftp://acme.example",
                                     "https://", "https://acme.example/ path"])
def test_a_website_that_is_not_a_web_address_is_refused(aws, website):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))

        field_refused(payer.admin.patch("/admin/organization", {"website": website}), "website")
        assert payer.portal.get("/portal/me").json["organization"].get("website") in (None, "")


def test_a_web_address_is_kept_and_an_empty_one_clears_it(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))

        assert payer.admin.patch("/admin/organization", {"website": "https://acme.example/help"}).status == 200
        assert payer.admin.get("/admin/organization").json["website"] == "https://acme.example/help"
        assert payer.admin.patch("/admin/organization", {"website": ""}).status == 200


def test_an_invoice_for_one_customer_naming_another_customers_subscription_is_404_and_not_written(aws):
    Clock()
    with client() as c:
        # Given two customers of one merchant, the first with a subscription
        api = Api(c)
        globex = a_payer(api)
        initech = a_payer(api, merchant=globex.merchant, email="bill@initech.example", display_name="Initech")
        globex_subscription = a_subscription(globex)

        # When the merchant invoices Initech naming Globex's subscription
        answer = initech.admin.post("/admin/invoices", {
            "customer_id": initech.customer_id, "subscription_id": globex_subscription["subscription_id"],
            "lines": [{"description": "Seats", "unit_price_minor": 1000}]})

        # Then it is refused as a missing subscription would be, and Initech has no invoice
        assert answer.status == 404, answer.json
        assert initech.portal.get("/portal/invoices").json["items"] == []


@pytest.mark.parametrize("dates", [
    {"term_start": "2026-11-01", "term_end": "2026-10-01"},
    {"term_start": "2026-11-01", "term_end": "2026-11-01"},
    {"starts_at": "9999-12-31"},
    {"term_start": "1900-01-01", "term_end": "1900-02-01"},
    {"trial_end": "2150-01-01"},
])
def test_an_import_with_a_term_ending_before_it_starts_or_out_of_any_sane_range_is_refused(aws, dates):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        a_subscription(payer)   # the catalog exists

        answer = payer.admin.post("/admin/subscriptions", {"customer_id": payer.customer_id, "plan_code": "pro",
                                                           "status": "live", **dates})

        assert answer.status == 400, answer.json
        assert len(payer.portal.get("/portal/subscriptions").json["items"]) == 1


def test_timesheet_entries_outside_their_period_are_refused(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        body = {"customer_id": payer.customer_id, "project": "Migration", "period_start": "2026-11-01",
                "period_end": "2026-11-30", "entries": [{"date": "2026-12-03", "minutes": 60}]}

        field_refused(payer.admin.post("/admin/timesheets", body), "body")
        field_refused(payer.admin.post("/admin/timesheets", {**body, "period_end": "2026-10-01",
                                                             "entries": [{"date": "2026-11-01", "minutes": 60}]}),
                      "body")


@pytest.mark.parametrize("route", ["/admin/invoices", "/admin/credit-notes", "/admin/estimates"])
def test_a_document_whose_total_no_payment_could_take_is_refused_and_not_written(aws, route):
    Clock()
    with client() as c:
        # Given a customer billed in USD (one Stripe payment moves at most 999,999.99)
        payer = a_payer(Api(c))
        lines = [{"description": "Seats", "unit_price_minor": 10**11, "quantity": 100_000}] * 6   # 6 x 10^16

        # When the merchant issues a document of 6 x 10^16 cents, or one cent over the most
        huge = payer.admin.post(route, {"customer_id": payer.customer_id, "lines": lines})
        over = payer.admin.post(route, {"customer_id": payer.customer_id,
                                        "lines": [{"description": "Seats", "unit_price_minor": 100_000_000}]})

        # Then both are refused under the rule that names the largest amount
        for answer in (huge, over):
            assert answer.status == 422, answer.json
            assert answer.json["error"]["code"] == "amount_too_large"
            assert answer.json["error"]["details"]["largest_minor"] == 99_999_999
        # and the largest itself is accepted
        assert payer.admin.post(route, {"customer_id": payer.customer_id, "lines": [
            {"description": "Seats", "unit_price_minor": 99_999_999}]}).status == 201
