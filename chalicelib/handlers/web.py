"""The browser portal: `GET /` (index.html) and its assets, straight from chalicelib/web.

Assets live under a versioned path, `/assets/<content hash>/...`, so they can be cached for a
year: any change to any file under chalicelib/web changes the hash, and index.html (never
cached) points at the new one. ES modules import each other by relative URL, so they stay
inside the same version without a build step.

The page names its files relative to its own address ("assets/<version>/app.js"), and app.js
calls the API relative to where it was loaded, so the portal works wherever it is served: at
API Gateway's stage URL (".../api/"), under a custom domain's root, on localhost.

Every answer carries a strict Content-Security-Policy: scripts and styles from this origin
only, but for the page's one small inline boot script, allowed by its hash; no framing; Stripe's origins are allowed only when the Stripe
gateway is configured, because card details are collected by Stripe.js, never by us."""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chalice import Response

from .. import config
from ..domain.errors import NotFound
from .http import Routes

api = Routes("public")   # declared like every route, so the OpenAPI document lists them

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
ASSETS_DIR = WEB_DIR / "assets"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
}
ASSET_NAME = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)?\.(js|css|svg)$")
FOREVER = "public, max-age=31536000, immutable"
STRIPE_JS = "https://js.stripe.com/v3/"


@dataclass(frozen=True)
class Asset:
    body: str
    content_type: str


@lru_cache(maxsize=1)
def assets() -> dict[str, Asset]:
    """Every servable asset by its path under assets/ (what is not listed here cannot be served)."""
    found = {}
    for path in sorted(ASSETS_DIR.rglob("*")):
        name = path.relative_to(ASSETS_DIR).as_posix()
        if path.is_file() and ASSET_NAME.match(name):
            found[name] = Asset(path.read_text(encoding="utf-8"), CONTENT_TYPES[path.suffix])
    return found


@lru_cache(maxsize=1)
def version() -> str:
    """A hash of index.html and every asset: changes whenever any of them does."""
    digest = hashlib.sha256((WEB_DIR / "index.html").read_bytes())
    for name, asset in assets().items():
        digest.update(name.encode() + b"\0" + asset.body.encode() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _page() -> str:
    return (WEB_DIR / "index.html").read_text(encoding="utf-8")


INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@lru_cache(maxsize=1)
def boot_script_hash() -> str:
    """The CSP source that allows index.html's inline boot script, and nothing else inline."""
    scripts = INLINE_SCRIPT.findall(_page())
    if len(scripts) != 1:
        raise ValueError(f"index.html must have exactly one inline script, has {len(scripts)}")
    return "'sha256-" + base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode() + "'"


def content_security_policy(stripe: bool) -> str:
    own = f"'self' {boot_script_hash()}"
    scripts = f"{own} https://js.stripe.com" if stripe else own
    frames = "https://js.stripe.com https://hooks.stripe.com" if stripe else "'none'"
    connect = "'self' https://api.stripe.com" if stripe else "'self'"
    return "; ".join((
        "default-src 'self'", f"script-src {scripts}", "style-src 'self'", "img-src 'self' data:",
        "font-src 'self'", f"connect-src {connect}", f"frame-src {frames}", "object-src 'none'",
        "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"))


def _uses_stripe() -> bool:
    return config.settings().payments_mode == "stripe"


def _answer(body: str, content_type: str, cache_control: str, status: int = 200) -> Response:
    return Response(body=body, status_code=status, headers={
        "Content-Type": content_type, "Cache-Control": cache_control,
        "Content-Security-Policy": content_security_policy(_uses_stripe()),
        "X-Content-Type-Options": "nosniff"})


def index_html(stripe: bool) -> str:
    page = _page().replace("{{version}}", version())
    stripe_tag = f'<script src="{STRIPE_JS}"></script>' if stripe else ""
    return page.replace("<!--stripe-->", stripe_tag)


@api.route("/", content_type="text/html")
def index():
    """The portal's single page; never cached, so a new version is picked up at once."""
    return _answer(index_html(_uses_stripe()), CONTENT_TYPES[".html"], "no-cache")


def _asset(asset_version: str, name: str) -> Response:
    asset = assets().get(name)
    if asset is None:
        raise NotFound("asset")
    # an old version's URL gets today's file, but only for a moment
    cache = FOREVER if asset_version == version() else "no-cache"
    return _answer(asset.body, asset.content_type, cache)


@api.route("/assets/{asset_version}/{name}", content_type="*/*")
def asset(asset_version: str, name: str):
    """A script, stylesheet or image of the portal; cached for a year under its version."""
    return _asset(asset_version, name)


@api.route("/assets/{asset_version}/{folder}/{name}", content_type="*/*")
def asset_in_folder(asset_version: str, folder: str, name: str):
    """A script module of the portal's screens; cached for a year under its version."""
    return _asset(asset_version, f"{folder}/{name}")
