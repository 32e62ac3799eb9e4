"""A valid example request for every route, against the demo world of exercise/scenarios.py: the
authorization matrix sends them with other customers' sessions (and must get 404), the owner sends
them as the control, and the bench and the call-budget test measure them.

`examples(world)` answers them in the order the owner may send them one after the other: reads
first, then writes, each on an item in the state its action needs (an action that changes an item
comes after every other action on it), signing out last. A route without an example, or an example
without a route, is an error, so a new route gets one the day it is added."""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta

from chalicelib.domain.logos import checked_logo
from chalicelib.handlers.http import RouteSpec
from chalicelib.handlers.lazy_routes import all_routes
from chalicelib.handlers.web import assets, version
from devstack.seed import DEMO_CONSOLE, DEMO_ORG_ID, DEMO_PASSWORD, DEMO_PORTAL_NAME, DEMO_PREFERENCES

from .request_units import Units, measuring_units
from .scenarios import DEMO_LOGO, World, token_for

NEW_PASSWORD = "copper kettle under the north bridge"




@dataclass(frozen=True)
class Request:
    ids: dict = field(default_factory=dict)      # path parameter -> the world id to put there (default: its name)
    values: dict = field(default_factory=dict)   # path parameter -> a literal (not an id: an asset's name)
    body: dict | None = None
    headers: dict = field(default_factory=dict)
    query: str = ""                              # the query string, for a route that needs one
    expect: int | None = None                    # the owner's answer when it is not the route's own status...
    why: str = ""                                # ...and why that business answer is the expected one


@dataclass(frozen=True)
class Example:
    spec: RouteSpec
    path: str                                    # concrete
    body: dict | None
    headers: dict
    expect: int
    why: str

    @property
    def key(self) -> tuple[str, str]:
        return self.spec.method, self.spec.path

    def carries(self, world: World) -> dict:
        """The ids of the demo customer this request names (in its path or its body)."""
        sent = self.path + json.dumps(self.body or {})
        return {name: value for name, value in world.ids.items() if value in sent}


def examples(world: World) -> list[Example]:
    wanted = _requests(world)
    routes = {(spec.method, spec.path): spec for spec in all_routes()}
    missing, unknown = sorted(set(routes) - set(wanted)), sorted(set(wanted) - set(routes))
    if missing or unknown:
        raise LookupError(f"routes without an example: {missing}; examples without a route: {unknown}")
    return [_resolved(routes[key], request, world) for key, request in wanted.items()]


def _resolved(spec: RouteSpec, request: Request, world: World) -> Example:
    def value(name: str) -> str:
        return request.values[name] if name in request.values else world.ids[request.ids.get(name, name)]
    path = re.sub(r"{(\w+)}", lambda m: value(m.group(1)), spec.path) + (f"?{request.query}" if request.query else "")
    return Example(spec, path, request.body, request.headers, request.expect or spec.status, request.why)


def _requests(w: World) -> dict[tuple[str, str], Request]:
    ids, now = w.ids, w.now
    later = lambda days: (now + timedelta(days=days)).isoformat()  # noqa: E731
    later_day = lambda days: (now + timedelta(days=days)).date().isoformat()  # noqa: E731
    today = now.date().isoformat()
    folder, name = next(name for name in assets() if "/" in name).split("/")   # a screen's module
    customer = ids["customer_id"]
    line = {"description": "Custom report", "unit_price_minor": 15000, "quantity": 2}
    trial, live, paused = ({"subscription_id": f"{s}_subscription_id"} for s in ("trial", "live", "paused"))
    return {
        # --- reads ---------------------------------------------------------------------------
        ("GET", "/openapi.json"): Request(),
        ("GET", "/"): Request(),
        ("GET", "/assets/{asset_version}/{name}"): Request(values={"asset_version": version(), "name": "app.js"}),
        ("GET", "/assets/{asset_version}/{folder}/{name}"): Request(values={"asset_version": version(),
                                                                             "folder": folder, "name": name}),
        ("GET", "/admin/plans"): Request(),
        ("GET", "/admin/addons"): Request(),
        ("GET", "/admin/coupons"): Request(),
        ("GET", "/admin/customers"): Request(),
        ("GET", "/admin/customers/{customer_id}"): Request(),
        ("GET", "/admin/reviews"): Request(),
        ("GET", "/admin/notifications"): Request(),
        ("GET", "/admin/customers/{customer_id}/activity"): Request(),
        ("GET", "/admin/organization"): Request(),
        ("GET", "/portal/auth/second-factor"): Request(),
        ("GET", "/portal/auth/passkeys"): Request(),
        ("GET", "/admin/cancellations"): Request(query=f"from={today}&to={later_day(30)}"),
        ("GET", "/admin/preferences"): Request(),
        ("GET", "/admin/merchant-users"): Request(),
        ("GET", "/admin/audit-log"): Request(query=f"from={today}T00:00:00Z&to={later_day(1)}T00:00:00Z"),
        ("GET", "/console/auth/me"): Request(),
        ("GET", "/portal/activity"): Request(),
        ("GET", "/portal/estimates"): Request(),
        ("GET", "/portal/estimates/{estimate_id}"): Request(),
        ("GET", "/portal/timesheets"): Request(),
        ("GET", "/portal/timesheets/{timesheet_id}"): Request(),
        ("GET", "/portal/dashboard"): Request(),
        ("GET", "/portal/statements"): Request(),
        ("GET", "/portal/invoices/{invoice_id}/pdf"): Request(),
        ("GET", "/portal/payments/{payment_id}/receipt"): Request(),
        ("GET", "/portal/estimates/{estimate_id}/pdf"): Request(),
        ("GET", "/portal/statements/pdf"): Request(),
        ("GET", "/portal/spending"): Request(),
        ("GET", "/portal/exports/statement.csv"): Request(),
        ("GET", "/portal/exports/statement.json"): Request(),
        ("GET", "/portal/exports/invoices.csv"): Request(),
        ("GET", "/portal/exports/invoices.json"): Request(),
        ("GET", "/portal/exports/payments.csv"): Request(),
        ("GET", "/portal/exports/payments.json"): Request(),
        ("GET", "/portal/reviews"): Request(),
        ("GET", "/portal/invoices"): Request(),
        ("GET", "/portal/invoices/{invoice_id}"): Request(),
        ("GET", "/portal/me"): Request(),
        ("PUT", "/portal/me/locale"): Request(body={"locale": "de-DE"}),
        ("GET", "/portal/payment-methods"): Request(),
        ("GET", "/portal/payments"): Request(),
        ("GET", "/portal/payments/{payment_id}"): Request(),
        ("GET", "/portal/profile"): Request(),
        ("GET", "/portal/contacts"): Request(),
        ("GET", "/portal/people"): Request(),
        ("GET", "/portal/tax-ids"): Request(),
        ("GET", "/portal/subscriptions"): Request(),
        ("GET", "/portal/subscriptions/{subscription_id}"): Request(),
        ("GET", "/portal/subscriptions/{subscription_id}/cancel-dialog"): Request(),
        ("GET", "/portal/subscriptions/{subscription_id}/invoices"): Request(),
        ("GET", "/portal/subscriptions/{subscription_id}/dunning"): Request({"subscription_id": "dunning_subscription_id"}),
        ("GET", "/portal/subscription-options"): Request(),
        # --- Stripe's and the merchant's writes ------------------------------------------------
        ("POST", "/webhooks/stripe"): Request(body={"id": "evt_bench", "type": "ping"}, expect=400,
                                              why="no webhook signing secret in the simulated mode: refused "
                                                  "before anything is read"),
        # before the subscription (whose first invoice takes the customer's available credits)
        ("POST", "/admin/credit-notes/{credit_note_id}/void"): Request(body={"customer_id": customer}),
        ("POST", "/admin/subscriptions"): Request(body={"customer_id": customer, "plan_code": "pro"}),
        ("POST", "/admin/invoices"): Request(body={"customer_id": customer, "lines": [line], "due_days": 30}),
        ("POST", "/admin/invoices/{invoice_id}/void"): Request({"invoice_id": "void_invoice_id"},
                                                               body={"customer_id": customer}),
        ("POST", "/admin/payments"): Request(body={"customer_id": customer, "invoice_id": ids["open_invoice_id"],
                                                   "amount_minor": 1000, "method": "bank_transfer"}),
        ("POST", "/admin/payments/{payment_id}/refunds"): Request(
            {"payment_id": "refundable_payment_id"}, body={"customer_id": customer, "amount_minor": 1000,
                                                           "reason": "Goodwill"},
            headers={"Idempotency-Key": "bench-refund"}),
        ("POST", "/admin/credit-notes"): Request(body={"customer_id": customer, "lines": [line],
                                                       "reason": "Goodwill"}),
        ("POST", "/admin/estimates"): Request(body={"customer_id": customer, "lines": [line]}),
        ("POST", "/admin/timesheets"): Request(body={
            "customer_id": customer, "project": "Reporting", "period_start": today, "period_end": today,
            "entries": [{"date": today, "minutes": 90, "description": "Report review"}]}),
        ("POST", "/admin/plans"): Request(body={"code": "team", "name": "Team", "price_minor": 4900,
                                                "currency": "USD"}),
        ("POST", "/admin/addons"): Request(body={"code": "sso", "name": "Single sign-on", "price_minor": 1500,
                                                 "currency": "USD"}),
        ("POST", "/admin/coupons"): Request(body={"code": "spring10", "name": "Spring: 10% off",
                                                  "percent_off_bp": 1000}),
        ("PATCH", "/admin/coupons/{code}"): Request(values={"code": "tenoff"},
                                                    body={"max_redemptions": 100, "expires_at": later(90)}),
        ("POST", "/admin/customers"): Request(body={"display_name": "Wayne Analytics",
                                                    "email": "ap@wayne-analytics.example"}),
        ("PATCH", "/admin/customers/{customer_id}"): Request(body={"phone": "+1 415 555 0199"}),
        ("POST", "/admin/customers/{customer_id}/contacts"): Request(body={"first_name": "Katherine",
                                                                           "email": "katherine@acme-analytics.example"}),
        ("PATCH", "/admin/organization"): Request(body={"phone": "+1 206 555 0199"}),
        # removed, set again, read: the world keeps its logo for whatever runs next (the bench's reads)
        ("DELETE", "/admin/organization/logo"): Request(),
        ("PUT", "/admin/organization/logo"): Request(body={"png_base64": base64.b64encode(DEMO_LOGO).decode()}),
        ("GET", "/portal/auth/logos/{org_id}/{version}"): Request(
            values={"org_id": DEMO_ORG_ID, "version": checked_logo(DEMO_LOGO).version}, headers={"Accept": "image/png"}),
        ("PUT", "/admin/preferences"): Request(body={"preferences": DEMO_PREFERENCES.to_dict()}),
        ("POST", "/admin/customers/{customer_id}/portal-invite"): Request(
            body={"contact_id": ids["uninvited_contact_id"]}),
        ("POST", "/admin/customers/{customer_id}/review-requests"): Request(),
        ("POST", "/admin/customers/{customer_id}/action-links"): Request(
            body={"action": "pay_invoice", "target_id": ids["open_invoice_id"], "expires_in_days": 7}),
        ("POST", "/admin/test-clock"): Request(body={"advance_to": later(1)}, expect=422,
                                               why="the demo organization is not in test mode"),
        # --- the customer's writes -----------------------------------------------------------
        ("POST", "/portal/estimates/{estimate_id}/forward"): Request(body={"contact_ids": [ids["other_contact_id"]]}),
        ("POST", "/portal/estimates/{estimate_id}/accept"): Request(body={"comment": "Go ahead"}),
        ("POST", "/portal/estimates/{estimate_id}/decline"): Request({"estimate_id": "estimate_to_decline_id"},
                                                                     body={"comment": "Not this quarter"}),
        ("POST", "/portal/timesheets/{timesheet_id}/approve"): Request(body={"comment": "Thanks"}),
        ("POST", "/portal/timesheets/{timesheet_id}/reject"): Request({"timesheet_id": "timesheet_to_reject_id"},
                                                                      body={"comment": "Wrong project"}),
        ("POST", "/portal/invoices/{invoice_id}/forward"): Request(body={"contact_ids": [ids["other_contact_id"]],
                                                                         "subject": "For the books"}),
        ("POST", "/portal/action-links/redeem"): Request(body={"token": w.links.get("action", "no-action-link")}),
        ("POST", "/portal/messages"): Request(body={"subject": "Invoice question", "message": "Is VAT included?"}),
        ("POST", "/portal/reviews"): Request(body={"rating": 5, "comment": "Smooth onboarding."}),
        ("PATCH", "/portal/profile"): Request(body={"contact": {"phone": "+1 415 555 0177"}}),
        ("POST", "/portal/people"): Request(body={"first_name": "Katherine", "last_name": "Johnson",
                                                  "email": "katherine@acme-analytics.example", "role": "billing",
                                                  "current_password": DEMO_PASSWORD}),
        ("PATCH", "/portal/people/{contact_id}"): Request({"contact_id": "other_contact_id"}, body={"role": "viewer"}),
        ("DELETE", "/portal/people/{contact_id}"): Request({"contact_id": "uninvited_contact_id"}),
        ("POST", "/portal/tax-ids"): Request(body={"type": "us_ein", "value": "04-2103594"}),
        ("PUT", "/portal/tax-ids/{tax_id}"): Request(body={"type": "eu_vat", "value": "DE 136 695 976"}),
        ("DELETE", "/portal/tax-ids/{tax_id}"): Request(),
        ("POST", "/portal/payment-methods/setup"): Request(),
        ("POST", "/portal/payment-methods"): Request(body={"payment_method": "pm_card_amex"}),
        # before the spare card is replaced (below): the live subscription moves to it
        ("PUT", "/portal/subscriptions/{subscription_id}/payment-method"): Request(
            live, body={"payment_method_id": ids["spare_payment_method_id"]}),
        ("POST", "/portal/payment-methods/{payment_method_id}/default"): Request(
            {"payment_method_id": "spare_payment_method_id"}),
        ("DELETE", "/portal/payment-methods/{payment_method_id}"): Request(
            {"payment_method_id": "unused_payment_method_id"}),
        ("PUT", "/portal/payment-methods/{payment_method_id}"): Request(
            {"payment_method_id": "spare_payment_method_id"}, body={"payment_method": "pm_card_visa"}),
        ("POST", "/portal/payments"): Request(body={"invoice_ids": [ids["open_invoice_id"]],
                                                    "payment_method": "pm_card_visa"},
                                              headers={"Idempotency-Key": "bench-pay-open-invoice"}),
        ("POST", "/portal/payments/{payment_id}/confirm-action"): Request({"payment_id": "action_payment_id"},
                                                                          body={"approve": True}),
        ("POST", "/portal/payments/{payment_id}/confirm"): Request({"payment_id": "action_payment_id"}),
        ("POST", "/portal/subscriptions/{subscription_id}/activate/preview"): Request(trial),
        ("POST", "/portal/subscriptions/{subscription_id}/activate"): Request(trial, body={}),
        ("POST", "/portal/subscriptions/{subscription_id}/extend-trial"): Request(
            {"subscription_id": "expired_subscription_id"}),
        ("POST", "/portal/subscriptions/{subscription_id}/changes/preview"): Request(live, body={"plan": "business"}),
        ("POST", "/portal/subscriptions/{subscription_id}/changes"): Request(live, body={"plan": "business"}),
        ("PUT", "/portal/subscriptions/{subscription_id}/auto-charge"): Request(live, body={"enabled": True}),
        ("PUT", "/portal/subscriptions/{subscription_id}/pause-schedule"): Request(
            live, body={"pause_at": later_day(5), "resume_at": later_day(20)}),
        ("POST", "/portal/subscriptions/{subscription_id}/pause-schedule/preview"): Request(
            live, body={"pause_at": later_day(5), "resume_at": later_day(20)}),
        ("DELETE", "/portal/subscriptions/{subscription_id}/pause-schedule"): Request(live),
        ("POST", "/portal/subscriptions/{subscription_id}/cancel/preview"): Request(live, body={"when": "end_of_term"}),
        ("POST", "/portal/subscriptions/{subscription_id}/retention-offer"): Request(live, body={}),
        ("POST", "/portal/subscriptions/{subscription_id}/cancel"): Request(
            live, body={"when": "end_of_term", "reason": "Budget cuts"}),
        ("DELETE", "/portal/subscriptions/{subscription_id}/scheduled-cancellation"): Request(
            {"subscription_id": "non_renewing_subscription_id"}),
        ("POST", "/portal/subscriptions/{subscription_id}/undo"): Request(
            live, expect=409, why="the live subscription was cancelled at its term's end, not now: nothing to undo"),
        ("POST", "/portal/subscriptions/{subscription_id}/resume/preview"): Request(paused),
        ("POST", "/portal/subscriptions/{subscription_id}/resume"): Request(paused, body={}),
        ("POST", "/portal/subscriptions/{subscription_id}/reactivate/preview"): Request(
            {"subscription_id": "cancelled_subscription_id"}, body={"changes": {"plan": "pro"}}),
        ("POST", "/portal/subscriptions/{subscription_id}/reactivate"): Request(
            {"subscription_id": "cancelled_subscription_id"}, body={"changes": {"plan": "pro"}}),
        # --- signing in and out --------------------------------------------------------------
        ("GET", "/portal/auth/portals/{portal_name}"): Request(values={"portal_name": DEMO_PORTAL_NAME}),
        ("GET", "/portal/auth/password-rules"): Request(),
        ("POST", "/portal/auth/login"): Request(body={"organization": DEMO_ORG_ID,
                                                      "email": "ada@acme-analytics.example", "password": DEMO_PASSWORD}),
        ("POST", "/portal/auth/forgot-password"): Request(body={"organization": DEMO_ORG_ID,
                                                                "email": "ada@acme-analytics.example"}),
        ("POST", "/portal/auth/sign-in-links"): Request(
            body={"organization": DEMO_ORG_ID, "email": "ada@acme-analytics.example"}),
        ("POST", "/portal/auth/sign-in-links/redeem"): Request(
            body={"organization": DEMO_ORG_ID, "token": w.links.get("sign_in", "no-sign-in-link")}, expect=401,
            why="the link asked for above is sent by the outbox job, after the examples: this token is made up"),
        ("POST", "/portal/auth/accept-invite"): Request(body={"organization": DEMO_ORG_ID,
                                                              "token": w.links.get("invite", "no-invite"),
                                                              "password": NEW_PASSWORD}),
        ("POST", "/portal/auth/reset-password"): Request(body={"organization": DEMO_ORG_ID,
                                                               "token": w.links.get("reset", "no-reset"),
                                                               "new_password": NEW_PASSWORD}),
        ("POST", "/portal/auth/confirm-email"): Request(body={"organization": DEMO_ORG_ID,
                                                              "token": w.links.get("email_change", "no-change")}),
        ("POST", "/portal/auth/login/second-factor"): Request(
            body={"organization": DEMO_ORG_ID, "challenge": "not-a-challenge", "code": "123456"}, expect=401,
            why="the demo's sign-in has no second factor: there is no challenge to answer"),
        ("POST", "/portal/auth/login/enrolment"): Request(
            body={"organization": DEMO_ORG_ID, "challenge": "not-a-challenge"}, expect=401,
            why="the demo does not require a second factor: there is no challenge to enrol with"),
        ("POST", "/portal/auth/second-factor"): Request(body={"current_password": DEMO_PASSWORD}),
        ("POST", "/portal/auth/passkeys/options"): Request(body={"current_password": DEMO_PASSWORD}),
        ("POST", "/portal/auth/passkeys"): Request(
            body={"name": "Work laptop", "credential": {"id": "not-a-credential"}}, expect=401,
            why="no authenticator in the demo: the credential answers none of the options' challenges"),
        ("DELETE", "/portal/auth/passkeys/{passkey_id}"): Request(
            values={"passkey_id": "no-such-passkey"}, expect=404, why="the demo's customer has added no passkey"),
        ("POST", "/portal/auth/passkeys/sign-in/options"): Request(body={"organization": DEMO_ORG_ID}),
        ("POST", "/portal/auth/passkeys/sign-in"): Request(
            body={"organization": DEMO_ORG_ID, "credential": {"id": "not-a-credential"}}, expect=401,
            why="no authenticator in the demo: the credential answers no challenge"),
        ("POST", "/portal/auth/second-factor/confirm"): Request(body={"code": "not-a-code"}, expect=400,
                                                                 why="the new secret is random: no code is known"),
        ("POST", "/portal/auth/second-factor/disable"): Request(
            body={"current_password": DEMO_PASSWORD, "code": "000000"}, expect=422,
            why="the pending secret was never confirmed: there is no second factor to turn off"),
        ("POST", "/portal/auth/change-password"): Request(body={"current_password": DEMO_PASSWORD,
                                                                "new_password": NEW_PASSWORD}),
        ("POST", "/portal/auth/logout"): Request(),
        ("POST", "/admin/merchant-users"): Request(body={"email": "new.colleague@northwind.example",
                                                         "role": "support", "password": NEW_PASSWORD}),
        ("PATCH", "/admin/merchant-users/{user_id}"): Request(ids={"user_id": "support_user_id"},
                                                              body={"role": "support"}),
        ("POST", "/console/auth/login"): Request(body={"organization": DEMO_ORG_ID, "email": DEMO_CONSOLE.admin_email,
                                                       "password": DEMO_PASSWORD}),
        ("POST", "/console/auth/forgot-password"): Request(body={"organization": DEMO_ORG_ID,
                                                                 "email": DEMO_CONSOLE.support_email}),
        ("POST", "/console/auth/reset-password"): Request(body={"organization": DEMO_ORG_ID,
                                                                "token": w.links.get("console_reset", "no-reset"),
                                                                "new_password": NEW_PASSWORD}),
        ("POST", "/console/auth/login/second-factor"): Request(
            body={"organization": DEMO_ORG_ID, "challenge": "not-a-challenge", "code": "123456"}, expect=401,
            why="the demo console user has no second factor: there is no challenge to answer"),
        ("POST", "/console/auth/second-factor"): Request(body={"current_password": DEMO_PASSWORD}),
        ("POST", "/console/auth/second-factor/confirm"): Request(body={"code": "not-a-code"}, expect=400,
                                                                  why="the new secret is random: no code is known"),
        ("POST", "/console/auth/second-factor/disable"): Request(
            body={"current_password": DEMO_PASSWORD, "code": "000000"}, expect=422,
            why="the pending secret was never confirmed: there is no second factor to turn off"),
        ("POST", "/console/auth/change-password"): Request(body={"current_password": DEMO_PASSWORD,
                                                                 "new_password": "short"}, expect=400,
                                                           why="too short a password: the demo's stays as it is"),
        ("POST", "/console/auth/logout"): Request(),
    }


def send(client, example: Example, token: str | None, body: dict | None = None):
    """The example through chalice.test.Client, with `token` as the bearer and its own body unless
    another is given."""
    headers = {"Content-Type": "application/json", "Accept": example.spec.content_type, **example.headers}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    sent = body if body is not None else example.body
    return client.http.request(example.spec.method, example.path, headers=headers,
                               body=json.dumps(sent) if sent is not None else None)


@dataclass(frozen=True)
class Measured:
    example: Example
    status: int
    reads: int
    writes: int
    operations: dict
    units: Units


def measure(client, world: World) -> list[Measured]:
    """Every example sent once by its owner, in order, with the DynamoDB calls it made and their
    request units."""
    from chalicelib.tables.metrics import counting_calls
    measured = []
    for example in examples(world):
        with counting_calls() as count, measuring_units() as units:
            answer = send(client, example, token_for(world, example.spec))
        measured.append(Measured(example, answer.status_code, count.reads, count.writes, dict(count.operations),
                                 units))
    return measured
