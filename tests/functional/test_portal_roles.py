"""The role rule of the portal, for every portal route of the routes table (a route added tomorrow
is checked the same day): the owner may do everything; a billing contact reads and changes payments
and payment methods; a viewer only reads; each acts on their own sign-in. A refused request is 403
`role_forbids` before the request is even read, writing nothing (docs/security.md "Roles")."""
import re

import pytest

from app import app   # declares every route
from chalicelib.handlers.credentials import portal_may
from chalicelib.handlers.lazy_routes import all_routes
from chalicelib.tables.metrics import WRITES, counting_calls
from tests.support.api import Api, client
from tests.support.portal import Clock, invited_person, portal_organization, signed_in_customer

PORTAL_ROUTES = sorted({(spec.method, spec.path) for spec in all_routes() if spec.auth == "portal"},
                       key=lambda route: (route == ("POST", "/portal/auth/logout"), route))   # signing out last
ROLES = ("owner", "billing", "viewer")
# docs/security.md "Roles", written out here rather than taken from the code it checks
EVERY_ROLE_ON_ITS_OWN_SIGN_IN = {
    ("POST", "/portal/auth/logout"), ("POST", "/portal/auth/change-password"),
    ("POST", "/portal/auth/second-factor"), ("POST", "/portal/auth/second-factor/confirm"),
    ("POST", "/portal/auth/second-factor/disable"), ("POST", "/portal/auth/passkeys/options"),
    ("POST", "/portal/auth/passkeys"), ("DELETE", "/portal/auth/passkeys/{passkey_id}"),
    ("PUT", "/portal/me/locale"), ("PATCH", "/portal/profile"), ("POST", "/portal/action-links/redeem"),
}
BILLING_CHANGES = {
    ("POST", "/portal/payments"), ("POST", "/portal/payments/{payment_id}/confirm"),
    ("POST", "/portal/payments/{payment_id}/confirm-action"), ("POST", "/portal/payment-methods"),
    ("POST", "/portal/payment-methods/setup"), ("PUT", "/portal/payment-methods/{payment_method_id}"),
    ("DELETE", "/portal/payment-methods/{payment_method_id}"),
    ("POST", "/portal/payment-methods/{payment_method_id}/default"),
    ("PUT", "/portal/subscriptions/{subscription_id}/auto-charge"),
    ("PUT", "/portal/subscriptions/{subscription_id}/payment-method"),
    ("POST", "/portal/estimates/{estimate_id}/accept"), ("POST", "/portal/estimates/{estimate_id}/decline"),
    ("POST", "/portal/timesheets/{timesheet_id}/approve"), ("POST", "/portal/timesheets/{timesheet_id}/reject"),
    ("POST", "/portal/messages"),
}
THE_OWNERS_TO_READ = {("GET", "/portal/people")}


def expected(role: str, method: str, path: str) -> bool:
    """What each role may do, as docs/security.md says it."""
    if role == "owner" or (method, path) in EVERY_ROLE_ON_ITS_OWN_SIGN_IN:
        return True
    if method == "GET":
        return (method, path) not in THE_OWNERS_TO_READ
    return role == "billing" and (method, path) in BILLING_CHANGES


def concrete(path: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: f"{m.group(1).removesuffix('_id')}_01JAAAAAAAAAAAAAAAAAAAAAAA", path)


def test_every_listed_route_exists_and_is_a_portal_route():
    assert len(PORTAL_ROUTES) > 70
    assert all(method in app.routes[path] for method, path in PORTAL_ROUTES)
    assert EVERY_ROLE_ON_ITS_OWN_SIGN_IN | BILLING_CHANGES | THE_OWNERS_TO_READ <= set(PORTAL_ROUTES)


@pytest.mark.parametrize("method, path", PORTAL_ROUTES, ids=[f"{m} {p}" for m, p in PORTAL_ROUTES])
def test_the_role_rule_of_each_portal_route(method, path):
    assert [portal_may(role, method, path) for role in ROLES] == [expected(role, method, path) for role in ROLES]
    assert not portal_may("removed", method, path) and not portal_may("", method, path)


def test_what_billing_and_viewers_may_change_named_route_by_route():
    assert portal_may("billing", "POST", "/portal/payments")
    assert portal_may("billing", "POST", "/portal/payment-methods/{payment_method_id}/default")
    assert not portal_may("billing", "POST", "/portal/invoices/{invoice_id}/forward")     # forwarding: owner only
    assert not portal_may("billing", "POST", "/portal/subscriptions/{subscription_id}/cancel")
    assert not portal_may("billing", "POST", "/portal/people")
    assert not portal_may("viewer", "POST", "/portal/payments")
    assert portal_may("viewer", "GET", "/portal/statements/pdf")
    assert portal_may("viewer", "POST", "/portal/auth/change-password")                  # their own sign-in
    assert not portal_may("viewer", "GET", "/portal/people")


@pytest.mark.slow   # every portal route, with each role's session
def test_every_portal_route_gives_each_role_403_role_forbids_exactly_where_the_rule_says(aws):
    Clock()
    with client() as c:
        # Given an owner, a billing contact and a viewer of one account, each signed in
        api = Api(c)
        acme = portal_organization(api)
        owner = signed_in_customer(api, acme.org, acme.key)
        sessions = {"owner": owner.portal,
                    "billing": invited_person(api, acme, owner, "billing", email="bill@globex.example")[1],
                    "viewer": invited_person(api, acme, owner, "viewer", email="vera@globex.example")[1]}

        # When each sends every portal route (with an empty body: the role is checked first)
        wrong = []
        for role, session in sessions.items():
            for method, path in PORTAL_ROUTES:
                with counting_calls() as calls:
                    answer = session.call(method, concrete(path), {})
                code = (answer.json or {}).get("error", {}).get("code") if isinstance(answer.json, dict) else None
                refused = answer.status == 403 and code == "role_forbids"
                if refused == expected(role, method, path) or answer.status == 401 or (
                        refused and set(calls.operations) & WRITES):
                    wrong.append(f"{role} {method} {path}: {answer.status} {code} {dict(calls.operations)}")

        # Then exactly what the rule forbids is refused, writing nothing; the rest goes on to the handler
        assert wrong == []
