"""The portal's address per organization: a short name the merchant chooses ("northwind"), carried
by the portal's URL (`<portal>/?portal=northwind`), so customers sign in with email and password
alone and never type an organization id. The rules for a name and the links that carry it."""
from __future__ import annotations

import re

MIN_LENGTH, MAX_LENGTH = 3, 40
_SHAPE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# names that read as part of the service rather than as a merchant's portal
RESERVED = frozenset({"admin", "api", "assets", "auth", "billing", "help", "login", "openapi", "portal",
                      "portico", "sign-in", "support", "www"})
RULE = (f"Use {MIN_LENGTH} to {MAX_LENGTH} lower-case letters, digits and hyphens, starting and ending with "
        "a letter or digit.")


def problem_with(name: str) -> str | None:
    """Why `name` cannot be a portal name (in words), or None when it can."""
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH or not _SHAPE.match(name) or "--" in name:
        return RULE
    if name in RESERVED:
        return f"'{name}' is kept for the service itself; choose another name."
    return None


def portal_link(base_url: str, portal_name: str, route: str) -> str:
    """An address of the portal's page `route` ("invoices/INV-1", "reviews") that opens on the
    organization's own sign-in when the customer is signed out (no portal name: the plain page)."""
    query = f"?portal={portal_name}" if portal_name else ""
    return f"{base_url.rstrip('/')}/{query}#/{route}"
