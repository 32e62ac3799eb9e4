"""Default deny: every /portal route needs a portal session unless it is one of the sign-in
routes, and every /admin route needs a merchant key. A new route fails here until it is
given one, or added to PUBLIC_PORTAL_ROUTES on purpose."""
from app import app

PUBLIC_PORTAL_ROUTES = {
    ("/portal/auth/login", "POST"),
    ("/portal/auth/login/second-factor", "POST"),    # the code after the password (a signed challenge)
    ("/portal/auth/login/enrolment", "POST"),        # a required second factor set up while signing in
    ("/portal/auth/accept-invite", "POST"),
    ("/portal/auth/forgot-password", "POST"),
    ("/portal/auth/reset-password", "POST"),
    ("/portal/auth/confirm-email", "POST"),
    ("/portal/auth/portals/{portal_name}", "GET"),    # the sign-in page of a portal's address
    ("/portal/auth/password-rules", "GET"),           # what the password forms say
}


def routes():
    return [(path, method, entry) for path, methods in app.routes.items() for method, entry in methods.items()]


def authorizer_name(entry) -> str | None:
    return getattr(entry.authorizer, "name", None)


def test_every_portal_route_but_the_sign_in_routes_needs_a_portal_session():
    unguarded = [(path, method) for path, method, entry in routes()
                 if path.startswith("/portal") and (path, method) not in PUBLIC_PORTAL_ROUTES
                 and authorizer_name(entry) != "portal_session"]

    assert unguarded == []


def test_the_sign_in_routes_are_public_and_exist():
    public = {(path, method) for path, method, entry in routes()
              if path.startswith("/portal") and entry.authorizer is None}

    assert public == PUBLIC_PORTAL_ROUTES


def test_every_admin_route_needs_a_merchant_key():
    unguarded = [(path, method) for path, method, entry in routes()
                 if path.startswith("/admin") and authorizer_name(entry) != "merchant_key"]

    assert routes() and unguarded == []
