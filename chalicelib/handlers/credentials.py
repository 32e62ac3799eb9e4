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
from .http import CustomerCaller, MerchantCaller


def bearer(authorization: str | None) -> str:
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


@dataclass(frozen=True)
class Credential:
    """A credential a route needs, sent as `Authorization: Bearer <token>`."""
    identify: Callable[[str], CustomerCaller | MerchantCaller | None]   # token -> the caller, or None

    def caller(self, authorization: str | None) -> CustomerCaller | MerchantCaller:
        """The identity the bearer token names; Unauthenticated without a live one, Unavailable
        (from the lookup) when it cannot be read."""
        token = bearer(authorization)
        identity = self.identify(token) if token else None
        if identity is None:
            raise Unauthenticated("Sign in first.")
        return identity


def _session(token: str) -> CustomerCaller | None:
    found = services().access.authenticate(token)
    return None if found is None else CustomerCaller(found.org_id, found.customer_id, found.contact_id, found.role,
                                                     found.session_id, found.login)


def _merchant(token: str) -> MerchantCaller | None:
    org_id = services().access.org_for_api_key(token)
    return None if org_id is None else MerchantCaller(org_id)


portal_session = Credential(_session)
merchant_key = Credential(_merchant)
