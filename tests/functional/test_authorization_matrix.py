"""The authorization matrix, walked over Chalice's own route table so a new route is covered
the day it is added: no credential is 401; a portal session is not a merchant key and the other way
round (401); another customer's ids, in the same organization or another, answer 404 exactly like
missing ones, to a request that is valid in every other way (the route's example from
exercise/examples.py), and nothing of the other customer comes back; the owner's same request goes
through (the control); and a write naming a field the caller may not set is refused, writing nothing."""
import json

import pytest
from chalice.test import Client

from exercise.examples import examples, send
from exercise.scenarios import build_world, token_for
from chalicelib import bootstrap
from chalicelib.bootstrap import services
from chalicelib.handlers.lazy_routes import all_routes
from chalicelib.services.access.commands import OrganizationChanges
from chalicelib.services.accounts.commands import NewCustomer
from chalicelib.tables.metrics import WRITES, counting_calls
from devstack.seed import DEMO_PASSWORD, EVERY_FEATURE
from tests.support.api import NOW

pytestmark = pytest.mark.slow   # left out of `make check`: every route, with every kind of caller

PUBLIC_PORTAL = {"/portal/auth/login", "/portal/auth/accept-invite", "/portal/auth/forgot-password",
                 "/portal/auth/reset-password", "/portal/auth/confirm-email", "/portal/auth/portals/{portal_name}",
                 "/portal/auth/password-rules", "/portal/auth/login/second-factor", "/portal/auth/login/enrolment",
                 "/portal/auth/sign-in-links", "/portal/auth/sign-in-links/redeem",
                 "/portal/auth/passkeys/sign-in/options", "/portal/auth/passkeys/sign-in",
                 "/portal/auth/logos/{org_id}/{version}"}
# What the demo customer is known by, besides its ids: none of it may reach another caller.
CUSTOMER_A = ("Acme Analytics", "acme-analytics.example")
FORBIDDEN_FIELDS = ("status", "amount_minor", "customer_id", "org_id", "total_minor", "balance_minor")


@pytest.fixture
def matrix(aws):
    """Customer A (the demo customer, with one of everything), customer B of the same organization,
    and customer C of another organization (every portal feature on, like A's, so that ownership is
    what answers), each signed in; the other organization's merchant key."""
    from app import app
    bootstrap.set_clock(lambda: NOW)
    world = build_world(NOW)

    def signed_in(org_id, display_name, email):
        customer = services().accounts.create_customer(org_id, NewCustomer(display_name, email), NOW)
        services().access.create_portal_user(org_id, customer_id=customer.customer_id,
                                             contact_id=customer.contacts[0].contact_id, password=DEMO_PASSWORD,
                                             now=NOW)
        return services().access.login(org_id, email, DEMO_PASSWORD, NOW, source_ip="127.0.0.1").token

    other_org, other_key = services().access.create_organization(name="Initech", email="ops@initech.example",
                                                                 currency="USD", now=NOW)
    services().access.update_organization(other_org.org_id, OrganizationChanges(preferences=EVERY_FEATURE))
    tokens = {"B": signed_in(world.org_id, "Bluth Tenant", "b@bluth-tenant.example"),
              "C": signed_in(other_org.org_id, "Other Org Customer", "c@initech.example"),
              "other_merchant": other_key}
    with Client(app) as client:
        yield client, world, tokens


def guarded(world):
    return [e for e in examples(world) if e.spec.auth in ("portal", "merchant")]


def text_of(answer) -> str:
    return answer.body.decode(errors="replace") if isinstance(answer.body, bytes) else str(answer.body)


def test_every_guarded_route_refuses_a_missing_or_wrong_kind_of_credential(matrix):
    client, world, _tokens = matrix
    wrong = []
    for example in guarded(world):
        wrong_kind = world.admin_key if example.spec.auth == "portal" else world.portal_token
        for token in (None, wrong_kind, "forged-token"):
            status = send(client, example, token).status_code
            if status != 401:
                wrong.append(f"{example.spec.method} {example.spec.path} with {token and token[:8]}: {status}")
    assert wrong == []
    assert {s.path for s in all_routes() if s.auth == "public" and s.path.startswith("/portal")} == PUBLIC_PORTAL


def test_another_customers_ids_answer_404_like_missing_ones_on_every_route_then_the_owner_gets_through(matrix):
    # Given every route's valid example, naming customer A's items
    client, world, tokens = matrix
    foreign = [e for e in guarded(world) if e.carries(world)]
    # When customer B (same organization), customer C (another one), or the other merchant sends it
    leaks = []
    for example in foreign:
        intruders = ("B", "C") if example.spec.auth == "portal" else ("other_merchant",)
        for intruder in intruders:
            with counting_calls() as count:
                answer = send(client, example, tokens[intruder])
            body = text_of(answer)
            shown = [v for v in (*world.ids.values(), *CUSTOMER_A) if v in body]
            writes = {op: n for op, n in count.operations.items() if op in WRITES}
            if answer.status_code != 404 or shown or writes:
                leaks.append(f"{example.spec.method} {example.spec.path} as {intruder}: {answer.status_code} "
                             f"{count.writes} writes {shown} {body[:160]}")
    # Then every one is 404, leaves nothing written and shows nothing of A
    assert leaks == []
    assert len(foreign) >= 45
    # And the owner's same requests (every route's, in the order the examples allow) go through: the
    # 404s were about ownership, not about a broken path or body
    answered = [(e.spec.method, e.spec.path, send(client, e, token_for(world, e.spec)).status_code, e.expect)
                for e in examples(world)]
    assert [a for a in answered if a[2] != a[3]] == []


def test_a_write_naming_a_field_the_caller_may_not_set_is_refused_with_that_field_and_writes_nothing(matrix):
    client, world, _tokens = matrix
    wrong, checked = [], 0
    for example in examples(world):
        if example.spec.body is None:
            continue
        allowed = example.spec.body.model_fields
        forbidden = next(name for name in FORBIDDEN_FIELDS if name not in allowed)
        with counting_calls() as count:
            answer = send(client, example, token_for(world, example.spec), {**example.body, forbidden: 1})
        fields = (json.loads(answer.body or b"{}").get("error") or {}).get("details", {}).get("fields", {})
        checked += 1
        if answer.status_code != 400 or forbidden not in fields or count.writes:
            wrong.append(f"{example.spec.method} {example.spec.path} + {forbidden}: {answer.status_code} "
                         f"{count.writes} writes {text_of(answer)[:160]}")
    assert wrong == []
    assert checked >= 45
