"""How the portal's files are served: content types, caching, and the Content-Security-Policy.
(No browser: the app answers through chalice.test.Client.)"""
import re

from tests.support.api import client


def csp_of(answer) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in answer.headers["Content-Security-Policy"].split("; ")}


def test_the_page_is_html_never_cached_with_a_strict_policy(aws):
    with client() as c:
        answer = c.http.get("/")

    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert answer.headers["Cache-Control"] == "no-cache"
    policy = csp_of(answer)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"            # no inline script, nothing from another host
    assert policy["frame-ancestors"] == "'none'"
    assert "stripe" not in answer.headers["Content-Security-Policy"]
    page = answer.body.decode()
    assert "<script>" not in page and "js.stripe.com" not in page
    assert re.search(r'src="/assets/[0-9a-f]{16}/app.js"', page)


def test_assets_of_the_current_version_are_cached_for_a_year_with_their_type(aws):
    with client() as c:
        version = re.search(r"/assets/([0-9a-f]{16})/app.js", c.http.get("/").body.decode()).group(1)
        script = c.http.get(f"/assets/{version}/app.js")
        module = c.http.get(f"/assets/{version}/screens/home.js")
        styles = c.http.get(f"/assets/{version}/styles.css")
        icon = c.http.get(f"/assets/{version}/icon.svg")
        stale = c.http.get("/assets/0000000000000000/app.js")

    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert module.status_code == 200 and module.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert styles.headers["Content-Type"] == "text/css; charset=utf-8"
    assert icon.headers["Content-Type"] == "image/svg+xml"
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "no-cache"


def test_only_the_portals_own_assets_can_be_fetched(aws):
    with client() as c:
        for path in ("/assets/v/..%2F..%2Fconfig.py", "/assets/v/index.html", "/assets/v/missing.js",
                     "/assets/v/screens/..%2Fapi.js"):
            assert c.http.get(path).status_code == 404, path


def test_stripe_is_allowed_only_when_the_stripe_gateway_is_configured(aws, monkeypatch):
    from chalicelib import config
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_not_a_real_key")
    config.reload()
    try:
        with client() as c:
            answer = c.http.get("/")
    finally:
        monkeypatch.delenv("STRIPE_SECRET_KEY")
        config.reload()

    policy = csp_of(answer)
    assert policy["script-src"] == "'self' https://js.stripe.com"
    assert "https://js.stripe.com" in policy["frame-src"]
    assert '<script src="https://js.stripe.com/v3/"></script>' in answer.body.decode()
