"""Custom authorizers: merchant API keys for /admin, portal sessions for /portal.

API Gateway caches nothing (ttl 0): a signed-out session or revoked key stops at once.
"""
from chalice import AuthResponse, Blueprint

from ..services import merchant_access

bp = Blueprint(__name__)


def bearer(token_header: str | None) -> str:
    scheme, _, value = (token_header or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


@bp.authorizer(ttl_seconds=0)
def merchant_key(auth_request):
    org_id = merchant_access.org_for_api_key(bearer(auth_request.token))
    if org_id is None:
        return AuthResponse(routes=[], principal_id="anonymous")
    return AuthResponse(routes=["/admin/*"], principal_id=org_id, context={"org_id": org_id})


@bp.authorizer(ttl_seconds=0)
def portal_session(auth_request):
    from ..services import sessions  # the session store arrives with portal sign-in
    session = sessions.authenticate(bearer(auth_request.token))
    if session is None:
        return AuthResponse(routes=[], principal_id="anonymous")
    return AuthResponse(routes=["/portal/*"], principal_id=session["contact_id"], context=session)
