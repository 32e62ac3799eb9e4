"""How the portal's files are served: content types, caching, and the Content-Security-Policy,
asked of the running stack over HTTP (no browser)."""
import re
import urllib.error
from base64 import b64encode
from hashlib import sha256
import urllib.request


def get(portal, path):
    try:
        with urllib.request.urlopen(portal.url + path) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def policy(header: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else "" for part in header.split("; ")}


def test_the_page_is_html_never_cached_with_a_strict_policy(portal):
    status, headers, body = get(portal, "/")

    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-cache"
    csp = policy(headers["Content-Security-Policy"])
    assert csp["default-src"] == "'self'"
    page = body.decode()
    # nothing from another host; inline, only the boot script, allowed by its hash
    inline = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(inline) == 1
    assert csp["script-src"] == f"'self' 'sha256-{b64encode(sha256(inline[0].encode()).digest()).decode()}'"
    assert csp["frame-ancestors"] == "'none'"
    assert "stripe" not in headers["Content-Security-Policy"]
    assert "js.stripe.com" not in page
    # every file is named relative to the page, so the portal works under any path
    assert re.search(r'src="assets/[0-9a-f]{16}/app.js"', page)
    assert not re.search(r'(src|href)="/', page)


def test_assets_of_the_current_version_are_cached_for_a_year_with_their_type(portal):
    version = re.search(r"assets/([0-9a-f]{16})/app.js", get(portal, "/")[2].decode()).group(1)
    script = get(portal, f"/assets/{version}/app.js")
    module = get(portal, f"/assets/{version}/screens/home.js")
    styles = get(portal, f"/assets/{version}/styles.css")
    icon = get(portal, f"/assets/{version}/icon.svg")
    stale = get(portal, "/assets/0000000000000000/app.js")

    assert script[1]["Content-Type"] == "text/javascript; charset=utf-8"
    assert module[0] == 200 and module[1]["Content-Type"] == "text/javascript; charset=utf-8"
    assert styles[1]["Content-Type"] == "text/css; charset=utf-8"
    assert icon[1]["Content-Type"] == "image/svg+xml"
    assert script[1]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert stale[0] == 200 and stale[1]["Cache-Control"] == "no-cache"


def test_only_the_portals_own_assets_can_be_fetched(portal):
    for path in ("/assets/v/..%2F..%2Fconfig.py", "/assets/v/index.html", "/assets/v/missing.js",
                 "/assets/v/screens/..%2Fapi.js", "/assets/v/x/..%2F..%2F..%2Fapp.py"):
        assert get(portal, path)[0] == 404, path


def test_stripe_is_allowed_only_when_the_stripe_gateway_is_configured():
    from chalicelib.handlers.web import content_security_policy, index_html

    csp = policy(content_security_policy(stripe=True))

    assert csp["script-src"].startswith("'self' 'sha256-") and csp["script-src"].endswith(" https://js.stripe.com")
    assert csp["frame-src"] == "https://js.stripe.com https://hooks.stripe.com"
    assert csp["connect-src"] == "'self' https://api.stripe.com"
    assert '<script src="https://js.stripe.com/v3/"></script>' in index_html(stripe=True)
    assert "stripe" not in index_html(stripe=False)
