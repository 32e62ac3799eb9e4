"""Every admin route: it works, it refuses bad input without writing, it needs a merchant key,
and another organization's ids answer 404."""
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


def test_preferences_start_at_the_reference_defaults_and_can_be_changed(merchant):
    prefs = merchant.get("/admin/preferences").json["preferences"]
    assert prefs["subscriptions"] and prefs["forward_documents"] and prefs["reviews"]
    assert not prefs["cancel"]["enabled"] and prefs["trial"]["extensions_allowed"] == 1
    changed = merchant.put("/admin/preferences", {"preferences": {"cancel": {"enabled": True}}})
    assert changed.status == 200 and changed.json["preferences"]["cancel"]["enabled"]


def test_preferences_with_an_unknown_or_wrong_field_are_refused_with_field_errors(merchant):
    answer = merchant.put("/admin/preferences", {"preferences": {"cancel": {"enabled": "sometimes"},
                                                                 "teleport": True}})
    assert answer.status == 400
    assert set(answer.json["error"]["details"]["fields"]) == {"preferences.cancel.enabled", "preferences.teleport"}
    assert merchant.get("/admin/preferences").json["preferences"]["cancel"]["enabled"] is False


def test_organization_settings_hold_dunning_and_custom_fields(merchant):
    answer = merchant.patch("/admin/organization", {
        "dunning": {"retry_after_days": [2, 4], "when_exhausted": "cancel"},
        "custom_fields": [{"key": "vat_id", "label": "VAT ID", "show_in_portal": True}]})
    assert answer.status == 200, answer.json
    assert answer.json["dunning"] == {"retry_after_days": [2, 4], "when_exhausted": "cancel"}
    bad = merchant.patch("/admin/organization", {"dunning": {"retry_after_days": [5, 1]}})
    assert bad.status == 400 and "dunning" in bad.json["error"]["details"]["fields"]


def test_the_merchant_gives_its_postal_address_and_the_documents_print_it_as_its_post_writes_it(merchant):
    # Given a merchant without an address
    assert merchant.get("/admin/organization").json["address"] == []

    # When it gives its address in Berlin
    given = {"line1": "Friedrichstraße 12", "line2": "", "city": "Berlin", "state": "", "postal_code": "10117",
             "country": "DE"}
    answer = merchant.patch("/admin/organization", {"postal_address": given})

    # Then its parts are kept as given, and its lines are written as the German post writes them
    assert answer.status == 200, answer.json
    assert answer.json["postal_address"] == given
    assert merchant.get("/admin/organization").json["address"] == ["Friedrichstraße 12", "10117 Berlin", "DE"]


def test_a_postal_address_in_no_country_is_refused_next_to_its_field_and_writes_nothing(merchant):
    # When the merchant names a country that is no ISO code
    answer = merchant.patch("/admin/organization", {"postal_address": {"city": "Berlin", "country": "Germany"}})

    # Then the field is named, and the organization keeps no address
    assert answer.status == 400
    assert set(answer.json["error"]["details"]["fields"]) == {"postal_address.country"}
    assert merchant.get("/admin/organization").json["postal_address"]["city"] == ""


def test_text_that_breaks_its_line_or_reads_otherwise_than_stored_is_refused_next_to_its_field(merchant):
    # When an address line or a customer's name holds a line break or a right-to-left override
    answers = {
        "postal_address.line1": merchant.patch("/admin/organization", {"postal_address": {"line1": "Main St\nBcc: x"}}),
        "postal_address.city": merchant.patch("/admin/organization", {"postal_address": {"city": "Berlin\u202efdp."}}),
        "display_name": merchant.post("/admin/customers", {"display_name": "Globex\r\nX", "email": "ap@globex.example"}),
    }

    # Then each is a 400 naming its field in words, and nothing was written
    for field, answer in answers.items():
        assert answer.status == 400, (field, answer.json)
        assert answer.json["error"]["details"]["fields"] == {field: "Must be one line of text, without control characters."}
    assert merchant.get("/admin/organization").json["address"] == []
    assert [c["display_name"] for c in merchant.get("/admin/customers").json["items"]] == []


def test_catalog_lists_what_was_added_and_refuses_duplicates_and_bad_coupons(merchant):
    assert [p["code"] for p in merchant.get("/admin/plans").json["items"]] == ["pro"]
    assert [a["code"] for a in merchant.get("/admin/addons").json["items"]] == ["seats"]
    assert [c["code"] for c in merchant.get("/admin/coupons").json["items"]] == ["welcome20"]
    duplicate = merchant.post("/admin/plans", {"code": "pro", "name": "Pro again", "price_minor": 1,
                                               "currency": "USD"})
    assert duplicate.status == 409
    both = merchant.post("/admin/coupons", {"code": "x", "name": "X", "percent_off_bp": 10, "amount_off_minor": 5,
                                            "currency": "USD"})
    assert both.status == 400
    wrong_currency = merchant.post("/admin/plans", {"code": "eur", "name": "E", "price_minor": 1, "currency": "EUR"})
    assert wrong_currency.status == 400 and "currency" in wrong_currency.json["error"]["details"]["fields"]


def test_customer_details_are_read_and_patched(merchant):
    customer = a_customer(merchant)
    path = f"/admin/customers/{customer['customer_id']}"
    patched = merchant.patch(path, {"billing_address": {"line1": "1 Main St", "city": "Springfield",
                                                        "country": "US"}})
    assert patched.status == 200 and patched.json["billing_address"]["city"] == "Springfield"
    assert merchant.get(path).json["billing_address"]["line1"] == "1 Main St"
    contact = merchant.post(f"{path}/contacts", {"first_name": "Sam", "email": "sam@globex.example"})
    assert contact.status == 201 and len(contact.json["contacts"]) == 2
    duplicate = merchant.post(f"{path}/contacts", {"first_name": "Sam", "email": "SAM@globex.example"})
    assert duplicate.status == 400


def test_a_live_subscription_is_invoiced_for_its_first_term(merchant):
    customer = a_customer(merchant)
    answer = merchant.post("/admin/subscriptions", {"customer_id": customer["customer_id"], "plan_code": "pro",
                                                    "addons": [{"code": "seats", "quantity": 2}],
                                                    "coupon_code": "welcome20"})
    assert answer.status == 201, answer.json
    sub = answer.json
    assert sub["status"] == "live" and sub["term_end"] > sub["term_start"]
    activity = merchant.get(f"/admin/customers/{customer['customer_id']}/activity").json["items"]
    assert {a["action"] for a in activity} == {"subscription.created", "invoice.issued"}


def test_subscriptions_can_be_imported_in_every_status(merchant):
    customer = a_customer(merchant)
    statuses = ["trial", "live", "non_renewing", "dunning", "unpaid", "paused", "cancelled", "expired"]
    for status in statuses:
        answer = merchant.post("/admin/subscriptions", {"customer_id": customer["customer_id"],
                                                        "plan_code": "pro", "status": status})
        assert answer.status == 201 and answer.json["status"] == status, answer.json
    future = merchant.post("/admin/subscriptions", {"customer_id": customer["customer_id"], "plan_code": "pro",
                                                    "status": "future"})
    assert future.status == 400 and "starts_at" in future.json["error"]["details"]["fields"]


def test_invoice_payment_credit_note_estimate_and_timesheet(merchant):
    customer_id = a_customer(merchant)["customer_id"]
    invoice = merchant.post("/admin/invoices", {"customer_id": customer_id, "tax_rate_bp": 1000,
                                                "lines": [{"description": "Consulting", "unit_price_minor": 12345,
                                                           "quantity": 2}]})
    assert invoice.status == 201 and invoice.json["total_minor"] == 24690 + 2469
    paid = merchant.post("/admin/payments", {"customer_id": customer_id, "invoice_id": invoice.json["invoice_id"],
                                             "amount_minor": 1000})
    assert paid.status == 201
    too_much = merchant.post("/admin/payments", {"customer_id": customer_id,
                                                 "invoice_id": invoice.json["invoice_id"], "amount_minor": 10**9})
    assert too_much.status == 400
    cannot_void = merchant.post(f"/admin/invoices/{invoice.json['invoice_id']}/void", {"customer_id": customer_id})
    assert cannot_void.status == 422
    note = merchant.post("/admin/credit-notes", {"customer_id": customer_id, "reason": "Goodwill",
                                                 "lines": [{"description": "Goodwill", "unit_price_minor": 500}]})
    assert note.status == 201 and note.json["balance_minor"] == 500
    voided = merchant.post(f"/admin/credit-notes/{note.json['credit_note_id']}/void", {"customer_id": customer_id})
    assert voided.status == 200 and voided.json["status"] == "void"
    estimate = merchant.post("/admin/estimates", {"customer_id": customer_id,
                                                  "lines": [{"description": "Migration", "unit_price_minor": 90000}]})
    assert estimate.status == 201 and estimate.json["number"] == "EST-000001"
    sheet = merchant.post("/admin/timesheets", {"customer_id": customer_id, "project": "Migration",
                                                "period_start": "2026-11-01", "period_end": "2026-11-07",
                                                "entries": [{"date": "2026-11-02", "minutes": 90}]})
    assert sheet.status == 201 and sheet.json["status"] == "pending"


def test_back_office_answers_show_no_stored_version_since_no_route_takes_one(merchant):
    customer = a_customer(merchant)
    customer_id = customer["customer_id"]
    invoice = merchant.post("/admin/invoices", {"customer_id": customer_id,
                                                "lines": [{"description": "Consulting", "unit_price_minor": 100}]})
    answers = [customer, invoice.json, merchant.get(f"/admin/customers/{customer_id}").json,
               merchant.post("/admin/subscriptions", {"customer_id": customer_id, "plan_code": "pro"}).json,
               merchant.post("/admin/payments", {"customer_id": customer_id, "invoice_id": invoice.json["invoice_id"],
                                                 "amount_minor": 100}).json,
               merchant.post("/admin/credit-notes", {"customer_id": customer_id, "lines": [
                   {"description": "Goodwill", "unit_price_minor": 500}]}).json,
               merchant.post("/admin/estimates", {"customer_id": customer_id, "lines": [
                   {"description": "Migration", "unit_price_minor": 900}]}).json,
               merchant.post("/admin/timesheets", {"customer_id": customer_id, "project": "Migration",
                                                   "period_start": "2026-11-01", "period_end": "2026-11-07",
                                                   "entries": [{"date": "2026-11-02", "minutes": 90}]}).json]
    assert all("error" not in answer for answer in answers), answers
    assert [answer for answer in answers if "version" in answer] == []


def test_an_open_invoice_can_be_voided(merchant):
    customer_id = a_customer(merchant)["customer_id"]
    invoice = merchant.post("/admin/invoices", {"customer_id": customer_id,
                                                "lines": [{"description": "Setup", "unit_price_minor": 100}]}).json
    voided = merchant.post(f"/admin/invoices/{invoice['invoice_id']}/void", {"customer_id": customer_id})
    assert voided.status == 200 and voided.json["status"] == "void"


def test_reviews_and_notifications_start_empty(merchant):
    assert merchant.get("/admin/reviews").json == {"items": [], "next_cursor": None}
    assert merchant.get("/admin/notifications").json == {"items": [], "next_cursor": None}


def test_customers_page_with_a_cursor(merchant):
    for n in range(3):
        a_customer(merchant, f"Customer {n}")
    first = merchant.get("/admin/customers?limit=2").json
    second = merchant.get(f"/admin/customers?limit=2&cursor={first['next_cursor']}").json
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None
    forged = merchant.get("/admin/customers?cursor=eyJvcmdfaWQiOiB7IlMiOiAib3JnX290aGVyIn19")
    assert forged.status == 400


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"display_name": ""}'])
def test_bad_bodies_get_400_and_write_nothing(merchant, body):
    answer = merchant.call("POST", "/admin/customers", raw=body.encode())
    assert answer.status == 400 and answer.json["error"]["code"] == "invalid_input"
    assert merchant.get("/admin/customers").json["items"] == []


def test_an_oversized_body_gets_413(merchant):
    answer = merchant.call("POST", "/admin/customers", raw=b'{"display_name": "' + b"x" * 70_000 + b'"}')
    assert answer.status == 413


ADMIN_ROUTES = [("GET", "/admin/preferences"), ("GET", "/admin/customers"), ("POST", "/admin/plans"),
                ("GET", "/admin/reviews"), ("POST", "/admin/invoices")]


@pytest.mark.parametrize("method,path", ADMIN_ROUTES)
@pytest.mark.parametrize("token", [None, "pk_admin_forged", "garbage"])
def test_admin_routes_need_a_valid_merchant_key(aws, method, path, token):
    with client() as c:
        answer = Api(c, token).call(method, path, {})
    assert answer.status == 401
    if token is not None:   # without a token API Gateway itself answers, before any of our code
        assert answer.json["error"]["code"] == "unauthenticated"


def test_another_organizations_customer_answers_404_like_a_missing_one(merchant):
    other_org, other_key = new_organization("Initech")
    theirs = a_customer(merchant.as_(other_key), "Their Customer")
    for path in (f"/admin/customers/{theirs['customer_id']}", "/admin/customers/cus_missing",
                 f"/admin/customers/{theirs['customer_id']}/activity"):
        answer = merchant.get(path)
        assert answer.status == 404 and answer.json["error"]["code"] == "not_found"
    writes = [("/admin/invoices", {"customer_id": theirs["customer_id"],
                                   "lines": [{"description": "x", "unit_price_minor": 1}]}),
              ("/admin/subscriptions", {"customer_id": theirs["customer_id"], "plan_code": "pro"}),
              (f"/admin/customers/{theirs['customer_id']}/contacts", {"first_name": "X", "email": "x@x.example"})]
    for path, body in writes:
        assert merchant.post(path, body).status == 404
    assert merchant.as_(other_key).get(f"/admin/customers/{theirs['customer_id']}").status == 200
