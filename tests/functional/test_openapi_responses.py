"""The OpenAPI document tells the truth about answers: every JSON route declares its response
model, and what the routes actually answer (every readable route of the demo world, and a
walk through the main write routes) matches the schema the document declares for it."""
import json
from datetime import datetime, timedelta, timezone

import pytest
from chalice.test import Client

from exercise.examples import examples, send
from exercise.scenarios import build_world, token_for
from tests.support.api import NOW, Api
from tests.support.documents import a_timesheet, an_estimate
from tests.support.openapi import Conformance, Exchange, RecordingClient
from tests.support.payments import a_key
from tests.support.portal import NEW_PASSWORD, PASSWORD, contact_with, emails_to, link_token
from tests.support.subscriptions import TERM, a_shop, mark_expired_at_trial_end

UTC = timezone.utc


def the_document() -> dict:
    from chalicelib.handlers.openapi import document
    return document()


def test_every_json_route_declares_its_response_model():
    from chalicelib.handlers.lazy_routes import all_routes
    from chalicelib.handlers.openapi import response_model
    routes = all_routes()
    undeclared = [f"{spec.method} {spec.path}" for spec in routes
                  if spec.content_type == "application/json" and spec.status != 204 and spec.response is None]
    assert undeclared == []
    for spec in routes:
        if spec.response is not None:
            assert response_model(spec.response).model_config.get("extra") == "forbid", spec.response


def test_an_answer_with_a_field_the_model_lacks_or_without_a_required_one_does_not_conform():
    import app  # noqa: F401
    conformance = Conformance(the_document())
    answer = {"other_sessions_ended": 1}

    def problems(body, status=200):
        return conformance.problems(Exchange("POST", "/portal/auth/change-password", status,
                                             json.dumps(body).encode(), "application/json"))

    assert problems(answer) == []
    assert "unexpected" in problems({**answer, "session_id": "ses_1"})[0]
    assert "required" in problems({})[0]
    assert "is not of type 'integer'" in problems({"other_sessions_ended": 1.5})[0]
    assert problems({"error": {"code": "invalid_input", "message": "No.",
                               "details": {"fields": {"new_password": 3}}}}, 400) != []


@pytest.mark.slow   # left out of `make check`: every route
def test_every_route_example_of_the_demo_world_answers_what_the_document_declares(aws):
    from app import app
    from chalicelib import bootstrap
    bootstrap.set_clock(lambda: NOW)
    world = build_world(NOW)
    recorder = RecordingClient(Client(app))
    conformance = Conformance(the_document())
    with recorder.client:
        for example in examples(world):
            answer = send(recorder, example, token_for(world, example.spec))
            assert answer.status_code == example.expect, (example.key, answer.body[:300])
    assert [p for e in recorder.exchanges for p in conformance.problems(e)] == []
    assert len(recorder.exchanges) >= 90


@pytest.mark.slow   # left out of `make check`: the main write routes, each from a fresh state
def test_the_main_write_routes_answer_what_the_document_declares(aws):
    from app import app
    recorder = RecordingClient(Client(app))
    conformance = Conformance(the_document())
    with recorder.client:
        walk_the_write_routes(Api(recorder))
    assert [p for e in recorder.exchanges for p in conformance.problems(e)] == []
    called = recorder.routes_called(conformance)
    writes = {(method, path) for method, path in called if method != "GET"}
    assert len(writes) >= 45, sorted(writes)


def reset_token(email: str) -> str:
    """The token of the reset email, once the outbox job has sent it."""
    from chalicelib import bootstrap
    from chalicelib.bootstrap import services
    services().accounts.send_queued_email(bootstrap.now())
    return link_token([m for m in emails_to(email) if m["Subject"].startswith("Reset your")][-1])


def day(days: int) -> str:
    return (NOW.date() + timedelta(days=days)).isoformat()


def ok(answer, status: int = 200):
    assert answer.status == status, (answer.status, answer.json)
    return answer.json


def walk_the_write_routes(api: Api) -> None:
    """Most write routes of the portal and the back office, each once, in a merchant with every
    portal feature on (the builders' own calls are checked as well)."""
    shop = a_shop(api.client)
    admin, portal, org_id = shop.admin, shop.portal, shop.acme.org.org_id
    # the back office
    ok(admin.get("/admin/organization"))
    ok(admin.patch("/admin/organization", {"test_mode": True, "phone": "+1 206 555 0100", "custom_fields": [
        {"key": "po_number", "label": "PO number", "show_in_portal": True}]}))
    ok(admin.get("/admin/preferences"))
    customer = shop.zoe.customer
    customer_path = f"/admin/customers/{customer['customer_id']}"
    ok(admin.patch(customer_path, {"phone": "+1 415 555 0101", "custom_fields": {"po_number": "PO-7"},
                                   "billing_address": {"line1": "1 Market St", "country": "US"}}))
    hank = ok(admin.post(f"{customer_path}/contacts", {"first_name": "Hank", "email": "hank@globex.example"}), 201)
    ok(admin.post(f"{customer_path}/review-requests"), 202)
    ok(admin.post("/admin/test-clock", {"advance_to": NOW.isoformat()}))
    # signing in
    ok(api.post("/portal/auth/login", {"organization": org_id, "email": shop.zoe.email, "password": PASSWORD}))
    ok(portal.post("/portal/auth/change-password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}))
    ok(api.post("/portal/auth/forgot-password", {"organization": org_id, "email": shop.zoe.email}), 202)
    ok(api.post("/portal/auth/reset-password", {"organization": org_id, "new_password": PASSWORD,
                                                "token": reset_token(shop.zoe.email)}), 204)
    zoe = api.as_(ok(api.post("/portal/auth/login", {"organization": org_id, "email": shop.zoe.email,
                                                     "password": PASSWORD}))["token"])
    ok(zoe.get("/portal/me"))
    ok(zoe.patch("/portal/profile", {"contact": {"phone": "+1 415 555 0102"},
                                     "shipping_address": {"city": "Springfield"}, "custom_fields": {"po_number": "PO-8"}}))
    ok(zoe.get("/portal/profile"))
    # cards
    ok(zoe.post("/portal/payment-methods/setup"))
    card = ok(zoe.post("/portal/payment-methods", {"payment_method": "pm_card_visa", "make_default": True}), 201)
    spare = ok(zoe.post("/portal/payment-methods", {"payment_method": "pm_card_mastercard"}), 201)
    ok(zoe.post(f"/portal/payment-methods/{spare['payment_method_id']}/default"))
    replaced = ok(zoe.put(f"/portal/payment-methods/{card['payment_method_id']}",
                          {"payment_method": "pm_card_amex"}))
    ok(zoe.get("/portal/payment-methods"))
    # subscriptions: change, auto-charge, cancel and keep, pause and un-pause
    live = shop.subscription("live", payment_method_id=spare["payment_method_id"], auto_charge=True, **TERM)
    path = f"/portal/subscriptions/{live['subscription_id']}"
    ok(zoe.get("/portal/subscription-options"))
    quote = ok(zoe.post(f"{path}/changes/preview", {"plan": "biz", "addons": [{"code": "seats", "quantity": 2}],
                                                    "coupon": "welcome20"}))
    ok(zoe.post(f"{path}/changes", {"plan": "biz", "addons": [{"code": "seats", "quantity": 2}],
                                    "coupon": "welcome20", "quote_id": quote.get("quote_id")}))
    later = ok(zoe.post(f"{path}/changes/preview", {"plan": "pro", "when": "end_of_term"}))
    ok(zoe.post(f"{path}/changes", {"plan": "pro", "when": "end_of_term", "quote_id": later.get("quote_id")}))
    ok(zoe.get(path))
    ok(zoe.put(f"{path}/auto-charge", {"enabled": False}))
    ok(zoe.post(f"{path}/cancel/preview", {"when": "end_of_term"}))
    ok(zoe.post(f"{path}/cancel", {"when": "end_of_term", "reason": "Too dear"}))
    ok(zoe.get(path))
    ok(zoe.delete(f"{path}/scheduled-cancellation"))
    ok(zoe.put(f"{path}/pause-schedule", {"pause_at": day(3), "resume_at": day(20)}))
    ok(zoe.get(path))
    ok(zoe.delete(f"{path}/pause-schedule"))
    ok(zoe.get(f"{path}/invoices"))
    paused = shop.subscription("paused", **TERM)
    path = f"/portal/subscriptions/{paused['subscription_id']}"
    ok(zoe.get(path))
    resumed = ok(zoe.post(f"{path}/resume/preview"))
    ok(zoe.post(f"{path}/resume", {"quote_id": resumed.get("quote_id")}))
    trial = shop.subscription("trial", trial_end=datetime(2026, 12, 1, tzinfo=UTC))
    path = f"/portal/subscriptions/{trial['subscription_id']}"
    ok(zoe.get(path))
    activation = ok(zoe.post(f"{path}/activate/preview"))
    ok(zoe.post(f"{path}/activate", {"quote_id": activation.get("quote_id")}))
    cancelled = shop.subscription("cancelled", coupon_code="welcome20", **TERM)
    path = f"/portal/subscriptions/{cancelled['subscription_id']}"
    ok(zoe.get(path))
    reactivation = ok(zoe.post(f"{path}/reactivate/preview", {"changes": {"plan": "biz"}}))
    ok(zoe.post(f"{path}/reactivate", {"changes": {"plan": "biz"}, "quote_id": reactivation.get("quote_id")}))
    now_cancelled = shop.subscription("live", **TERM)
    ok(zoe.post(f"/portal/subscriptions/{now_cancelled['subscription_id']}/cancel", {"when": "now"}))
    expired = shop.subscription("expired")
    mark_expired_at_trial_end(org_id, shop.zoe.customer_id, expired["subscription_id"])
    ok(zoe.post(f"/portal/subscriptions/{expired['subscription_id']}/extend-trial"))
    ok(zoe.get("/portal/subscriptions"))
    # documents and paying them
    customer_id = shop.zoe.customer_id
    lines = [{"description": "Consulting", "unit_price_minor": 12_345, "quantity": 2}]
    first = ok(admin.post("/admin/invoices", {"customer_id": customer_id, "lines": lines, "tax_rate_bp": 825,
                                              "notes": "Thanks"}), 201)
    second = ok(admin.post("/admin/invoices", {"customer_id": customer_id, "lines": lines, "due_days": 0}), 201)
    third = ok(admin.post("/admin/invoices", {"customer_id": customer_id, "lines": lines}), 201)
    unwanted = ok(admin.post("/admin/invoices", {"customer_id": customer_id, "lines": lines}), 201)
    ok(admin.post(f"/admin/invoices/{unwanted['invoice_id']}/void", {"customer_id": customer_id}))
    ok(admin.post("/admin/credit-notes", {"customer_id": customer_id, "reason": "Goodwill",
                                          "lines": [{"description": "Goodwill", "unit_price_minor": 500}]}), 201)
    spare_credit = ok(admin.post("/admin/credit-notes", {"customer_id": customer_id, "lines": [
        {"description": "Oops", "unit_price_minor": 100}]}), 201)
    ok(admin.post(f"/admin/credit-notes/{spare_credit['credit_note_id']}/void", {"customer_id": customer_id}))
    ok(admin.post("/admin/payments", {"customer_id": customer_id, "invoice_id": third["invoice_id"],
                                      "amount_minor": 1_000, "method": "cheque"}), 201)
    ok(zoe.get("/portal/dashboard"))
    paid = ok(zoe.post("/portal/payments", {"invoice_ids": [first["invoice_id"]], "use_credits": True,
                                            "payment_method": replaced["payment_method_id"]},
                       headers={"Idempotency-Key": a_key()}), 201)
    challenged = ok(zoe.post("/portal/payments", {"invoice_ids": [second["invoice_id"]],
                                                  "payment_method": "pm_card_authenticationRequired"},
                             headers={"Idempotency-Key": a_key()}), 201)
    ok(zoe.post(f"/portal/payments/{challenged['payment_id']}/confirm-action", {"approve": True}))
    ok(zoe.post("/portal/payments", {"all_outstanding": True, "payment_method": "pm_card_chargeDeclined"},
                headers={"Idempotency-Key": a_key()}), 201)
    for invoice in (first, second, third, unwanted):
        ok(zoe.get(f"/portal/invoices/{invoice['invoice_id']}"))
    ok(zoe.get("/portal/invoices?status=outstanding"))
    ok(zoe.get("/portal/payments"))
    ok(zoe.get(f"/portal/payments/{paid['payment_id']}"))
    ok(zoe.get("/portal/statements"))
    ok(zoe.get("/portal/dashboard"))
    # approvals
    estimates = [an_estimate(admin, customer_id) for _ in range(2)]
    timesheets = [a_timesheet(admin, customer_id) for _ in range(2)]
    ok(zoe.post(f"/portal/estimates/{estimates[0]['estimate_id']}/accept", {"comment": "Go"}))
    ok(zoe.post(f"/portal/estimates/{estimates[1]['estimate_id']}/decline"))
    ok(zoe.post(f"/portal/timesheets/{timesheets[0]['timesheet_id']}/approve"))
    ok(zoe.post(f"/portal/timesheets/{timesheets[1]['timesheet_id']}/reject", {"comment": "Too long"}))
    ok(zoe.get(f"/portal/estimates/{estimates[0]['estimate_id']}"))
    ok(zoe.get("/portal/timesheets"))
    # writing to the merchant and forwarding documents
    forward = {"contact_ids": [contact_with(hank, "hank@globex.example")["contact_id"]]}
    ok(zoe.post(f"/portal/invoices/{first['invoice_id']}/forward", forward), 202)
    ok(zoe.post(f"/portal/estimates/{estimates[0]['estimate_id']}/forward", forward), 202)
    ok(zoe.post("/portal/messages", {"subject": "Hello", "message": "A question about my invoice"}), 202)
    ok(zoe.post("/portal/reviews", {"rating": 5, "comment": "Splendid"}), 201)
    ok(zoe.get("/portal/reviews"))
    ok(zoe.get("/portal/activity"))
    ok(zoe.get("/portal/contacts"))
    ok(admin.get("/admin/reviews"))
    ok(admin.get("/admin/notifications"))
    ok(admin.get(f"{customer_path}/activity"))
    ok(admin.get("/admin/customers"))
    ok(zoe.delete(f"/portal/payment-methods/{replaced['payment_method_id']}"), 204)
    ok(zoe.post("/portal/auth/logout"), 204)
