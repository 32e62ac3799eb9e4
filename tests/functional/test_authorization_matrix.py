"""The authorization matrix, walked over Chalice's own route table so a new route is covered
the day it is added: no credential is 401; a portal session is not a merchant key and the other way
round (401); another customer's ids, in the same organization or another, answer 404 exactly like
missing ones. Write routes are sent an empty body: where that body is invalid the answer is 400
before anything is read, and in every case nothing of the other customer comes back."""
import re

import pytest
from chalice.test import Client

from bench.scenarios import build_world
from chalicelib import bootstrap
from chalicelib.handlers.http import ROUTES
from chalicelib.services import customers, merchant_access, payment_methods, portal_auth
from devstack.seed import DEMO_PASSWORD
from tests.support.api import NOW

PUBLIC_PORTAL = {"/portal/auth/login", "/portal/auth/accept-invite", "/portal/auth/forgot-password",
                 "/portal/auth/reset-password"}


def guarded():
    return [s for s in ROUTES if s.auth in ("portal", "merchant")]


def concrete(path: str, ids: dict) -> str:
    return re.sub(r"{(\w+)}", lambda m: ids[m.group(1)], path)


@pytest.fixture
def matrix(aws):
    """Customer A (the demo customer, with one of everything), customer B of the same organization,
    and customer C of another organization, each signed in; the other organization's merchant key."""
    from app import app
    bootstrap.set_clock(lambda: NOW)
    world = build_world(NOW)
    world.ids["payment_method_id"] = payment_methods.add(world.org_id, world.customer_id, "pm_card_visa",
                                                         make_default=True, now=NOW)["payment_method_id"]

    def signed_in(org_id, display_name, email):
        customer = customers.create_customer(org_id, display_name=display_name, email=email, now=NOW)
        portal_auth.create_portal_user(org_id, customer_id=customer.customer_id,
                                       contact_id=customer.contacts[0].contact_id, password=DEMO_PASSWORD, now=NOW)
        return portal_auth.login(org_id, email, DEMO_PASSWORD, NOW).token

    other_org, other_key = merchant_access.create_organization(name="Initech", email="ops@initech.example",
                                                               currency="USD", now=NOW)
    tokens = {"B": signed_in(world.org_id, "Bluth Tenant", "b@bluth-tenant.example"),
              "C": signed_in(other_org.org_id, "Other Org Customer", "c@initech.example"),
              "other_merchant": other_key}
    with Client(app) as client:
        yield client, world, tokens


def call(client, spec, path, token):
    headers = {"Content-Type": "application/json", "Accept": spec.content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = "{}" if spec.method in ("POST", "PUT", "PATCH") else None
    return client.http.request(spec.method, path, headers=headers, body=body)


def test_every_guarded_route_refuses_a_missing_or_wrong_kind_of_credential(matrix):
    client, world, _tokens = matrix
    wrong = []
    for spec in guarded():
        path = concrete(spec.path, world.ids)
        wrong_kind = world.admin_key if spec.auth == "portal" else world.portal_token
        for token in (None, wrong_kind, "forged-token"):
            status = call(client, spec, path, token).status_code
            if status != 401:
                wrong.append(f"{spec.method} {spec.path} with {token and token[:8]}: {status}")
    assert wrong == []
    assert {s.path for s in ROUTES if s.auth == "public" and s.path.startswith("/portal")} == PUBLIC_PORTAL


def test_another_customers_ids_answer_404_like_missing_ones_on_every_route(matrix):
    client, world, tokens = matrix
    leaks, checked = [], 0
    for spec in guarded():
        if "{" not in spec.path:
            continue
        path = concrete(spec.path, world.ids)
        intruders = ("B", "C") if spec.auth == "portal" else ("other_merchant",)
        for intruder in intruders:
            answer = call(client, spec, path, tokens[intruder])
            checked += 1
            body = answer.body.decode(errors="replace") if isinstance(answer.body, bytes) else str(answer.body)
            foreign = [v for k, v in world.ids.items() if k in spec.path and v in body]
            invalid_body = answer.status_code == 400 and spec.body is not None
            if not (answer.status_code == 404 or invalid_body) or foreign:
                leaks.append(f"{spec.method} {spec.path} as {intruder}: {answer.status_code} {body[:120]}")
    assert leaks == []
    assert checked >= 40


def test_the_owner_itself_gets_through_on_every_readable_route(matrix):
    # the control: the 404s above are about ownership, not broken paths
    client, world, _tokens = matrix
    for spec in guarded():
        if spec.method != "GET" or "{" not in spec.path:
            continue
        token = world.portal_token if spec.auth == "portal" else world.admin_key
        assert call(client, spec, concrete(spec.path, world.ids), token).status_code == 200, spec.path
