"""Passkeys (WebAuthn): who the relying party is for a portal address, how long a ceremony's
challenge lasts, and what a passkey may be named. The ceremonies themselves are py_webauthn's."""
from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

# A ceremony (adding a passkey, signing in with one) is answered within this long, once.
CHALLENGE_TTL = timedelta(minutes=5)
CEREMONY_TIMEOUT_MS = 120_000          # what the browser is told (it waits for a person to touch a key)
MAX_PASSKEYS = 10                      # per contact person
NAME_MAX_LENGTH = 60


@dataclass(frozen=True)
class RelyingParty:
    rp_id: str                          # the host the passkeys are bound to
    origins: tuple[str, ...]            # the pages' origins a ceremony may come from


def relying_party(portal_base_url: str) -> RelyingParty:
    """The relying party of the portal at `portal_base_url`: its host (an API Gateway stage's path,
    /api/, plays no part: an origin has none). Browsers refuse an IP address as a relying party, so
    a portal on one (the local stack's 127.0.0.1:8000) is bound to `localhost` on the same port."""
    parts = urlsplit(portal_base_url)
    host, port = parts.hostname or "localhost", f":{parts.port}" if parts.port else ""
    origin = f"{parts.scheme}://{host}{port}"
    if _is_ip_address(host):
        return RelyingParty("localhost", (f"{parts.scheme}://localhost{port}", origin))
    return RelyingParty(host, (origin,))


def user_handle(org_id: str, customer_id: str, contact_id: str) -> bytes:
    """What the authenticator keeps as the passkey's user: stable across a change of sign-in email,
    and naming no one (WebAuthn: no personal data in the user handle)."""
    return hashlib.sha256(f"portico passkey user\0{org_id}\0{customer_id}\0{contact_id}".encode()).digest()


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
