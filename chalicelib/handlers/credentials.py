"""Who is calling: a portal session for /portal, a merchant API key for /admin, checked inside the
API function on every request (docs/security.md "Checked inside the API function").

`Routes(bp, "portal", portal_session)` checks the route's credential before anything else of the
request: a missing, unknown, expired or signed-out one is 401 in the envelope, and one that cannot
be read (DynamoDB busy) is 503. Nothing is cached between requests, so a session ended or a key
revoked stops working on the very next request."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..bootstrap import services
from ..domain.errors import Unauthenticated


def bearer(authorization: str | None) -> str:
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


@dataclass(frozen=True)
class Credential:
    """A credential a route needs, sent as `Authorization: Bearer <token>`."""
    identify: Callable[[str], dict | None]   # token -> the caller's identity, or None

    def caller(self, authorization: str | None) -> dict:
        """The identity the bearer token names; Unauthenticated without a live one, Unavailable
        (from the lookup) when it cannot be read."""
        token = bearer(authorization)
        identity = self.identify(token) if token else None
        if identity is None:
            raise Unauthenticated("Sign in first.")
        return identity


def _session(token: str) -> dict | None:
    return services().access.authenticate(token)


def _merchant(token: str) -> dict | None:
    org_id = services().access.org_for_api_key(token)
    return None if org_id is None else {"org_id": org_id}


portal_session = Credential(_session)
merchant_key = Credential(_merchant)
