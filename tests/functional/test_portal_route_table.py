"""Default deny, inside the API function: every /portal route needs a portal session unless it is
one of the sign-in routes, and every /admin route needs a merchant key; without one the function
answers 401 in the envelope before it reads a body or a path id. No route runs behind an API
Gateway authorizer (a second Lambda invocation per request, docs/security.md). A new route fails
here until it is given a credential, or added to PUBLIC_PORTAL_ROUTES on purpose."""
import re

import pytest

from app import app
from chalicelib.handlers.lazy_routes import all_routes
from tests.support.api import Api, client, new_organization

PUBLIC_PORTAL_ROUTES = {
    ("/portal/auth/login", "POST"),
    ("/portal/auth/login/second-factor", "POST"),    # the code after the password (a signed challenge)
    ("/portal/auth/login/enrolment", "POST"),        # a required second factor set up while signing in
    ("/portal/auth/accept-invite", "POST"),
    ("/portal/auth/forgot-password", "POST"),
    ("/portal/auth/reset-password", "POST"),
    ("/portal/auth/confirm-email", "POST"),
    ("/portal/auth/sign-in-links", "POST"),           # a link that signs in instead of a password
    ("/portal/auth/sign-in-links/redeem", "POST"),
    ("/portal/auth/passkeys/sign-in/options", "POST"),   # a passkey instead of email and password
    ("/portal/auth/passkeys/sign-in", "POST"),
    ("/portal/auth/portals/{portal_name}", "GET"),    # the sign-in page of a portal's address
    ("/portal/auth/logos/{org_id}/{version}", "GET"),  # the merchant's logo, on the sign-in page and in emails
    ("/portal/auth/password-rules", "GET"),           # what the password forms say
}
UNKNOWN_SESSION = "SH2qIrtC3yAk2zWczKCHGNwK_PzUVzuSK2-plfaziHM"
UNKNOWN_KEY = "pk_admin_" + "x" * 43


def routes():
    return [(path, method, entry) for path, methods in app.routes.items() for method, entry in methods.items()]


def concrete(path: str) -> str:
    return re.sub(r"\{\w+\}", "x1", path)


def refused_without(prefix: str, token: str | None, api: Api) -> list:
    """The routes under `prefix` (public sign-in routes aside) that do not answer 401 to `token`."""
    answered = {}
    for path, method, _ in routes():
        if path.startswith(prefix) and (path, method) not in PUBLIC_PORTAL_ROUTES:
            answer = api.as_(token).call(method, concrete(path), body={} if method != "GET" else None)
            answered[(method, path)] = (answer.status, (answer.json or {}).get("error", {}).get("code"))
    assert answered
    return [(key, got) for key, got in answered.items() if got != (401, "unauthenticated")]


def test_no_route_is_served_through_an_api_gateway_authorizer():
    assert routes()
    assert app.builtin_auth_handlers == []
    assert [(path, method) for path, method, entry in routes() if entry.authorizer is not None] == []


@pytest.mark.parametrize("token", [None, UNKNOWN_SESSION])
def test_every_portal_route_but_the_sign_in_routes_answers_401_without_a_live_session(aws, token):
    assert refused_without("/portal", token, Api(client())) == []


def test_the_sign_in_routes_are_public_and_exist():
    public = {(spec.path, spec.method) for spec in all_routes() if spec.path.startswith("/portal") and spec.auth == "public"}

    assert public == PUBLIC_PORTAL_ROUTES


@pytest.mark.parametrize("token", [None, UNKNOWN_KEY])
def test_every_admin_route_answers_401_without_a_merchant_key(aws, token):
    assert refused_without("/admin", token, Api(client())) == []


def test_a_merchant_key_opens_no_portal_route(aws):
    # Given an organization's live admin key
    _org, key = new_organization()

    # Then it is no portal session
    assert refused_without("/portal", key, Api(client())) == []
