"""The role rule of the admin API, for every route of the routes table (a route added tomorrow is
checked the same day): a support user reads and resends portal invitations, and any other change
is 403 `role_forbids` before the request is even read; an admin user, like an API key, may do all."""
import re

import pytest

from chalicelib.handlers.credentials import SUPPORT_MAY_CHANGE, may
from chalicelib.handlers.lazy_routes import all_routes
from chalicelib.tables.metrics import counting_calls
from tests.support.api import client
from tests.support.console import a_console

ADMIN_ROUTES = sorted({(spec.method, spec.path) for spec in all_routes() if spec.auth == "merchant"})
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


def concrete(path: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: f"{m.group(1).removesuffix('_id')}_01JAAAAAAAAAAAAAAAAAAAAAAA", path)


def test_every_admin_route_is_under_the_role_rule():
    assert len(ADMIN_ROUTES) > 30
    assert all(path.startswith("/admin/") for _, path in ADMIN_ROUTES)
    assert SUPPORT_MAY_CHANGE <= set(ADMIN_ROUTES)


@pytest.mark.parametrize("method, path", ADMIN_ROUTES, ids=[f"{m} {p}" for m, p in ADMIN_ROUTES])
def test_the_role_rule_of_each_admin_route(method, path):
    assert may("admin", method, path)
    assert may("support", method, path) == (method == "GET" or (method, path) in SUPPORT_MAY_CHANGE)
    assert not may("someone", method, path)


def test_a_support_user_gets_403_role_forbids_on_every_change_but_resending_invitations(aws):
    with client() as c:
        # Given a support user signed in to the console
        support = a_console(c).signed_in("sam@acme.example", "support")

        # When they send every admin route (each with an empty body: the role is checked first)
        wrong = []
        for method, path in ADMIN_ROUTES:
            with counting_calls() as calls:
                answer = support.call(method, concrete(path), {})
            code = (answer.json or {}).get("error", {}).get("code") if isinstance(answer.json, dict) else None
            forbidden = answer.status == 403 and code == "role_forbids"
            allowed = method == "GET" or (method, path) in SUPPORT_MAY_CHANGE
            if forbidden == allowed or (forbidden and set(calls.operations) & WRITES):
                wrong.append(f"{method} {path}: {answer.status} {code} {dict(calls.operations)}")

        # Then every change but resending an invitation is refused, writing nothing; every read goes on
        assert wrong == []


def test_a_support_user_is_told_in_words_what_their_role_allows(aws):
    with client() as c:
        support = a_console(c).signed_in("sam@acme.example", "support")

        answer = support.put("/admin/preferences", {"preferences": {}})

        assert answer.status == 403
        assert answer.json["error"]["code"] == "role_forbids"
        assert "support" in answer.json["error"]["message"]
        assert support.get("/admin/preferences").status == 200


def test_an_admin_user_may_change_what_an_api_key_may(aws):
    with client() as c:
        admin = a_console(c).signed_in("olivia@acme.example", "admin")

        changed = admin.put("/admin/preferences", {"preferences": {}})

        assert changed.status == 200
