"""Who the signed-in customer is."""
from __future__ import annotations

from chalice import Blueprint

from ...lazy import lazy
from ..authorizers import portal_session
from ..http import Routes

portal_auth = lazy("chalicelib.services.access.portal_auth")

bp = Blueprint(__name__)
api = Routes(bp, "portal", portal_session)


@api.route("/portal/me", response="Me")
def me():
    """My contact, my customer, the organization's public details and the enabled features."""
    caller = api.customer()
    return portal_auth.me(caller.org_id, caller.customer_id, caller.contact_id, caller.role)
