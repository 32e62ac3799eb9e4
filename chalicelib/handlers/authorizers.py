"""Custom authorizers: merchant API keys for /admin, portal sessions for /portal.

API Gateway caches nothing (ttl 0): a signed-out session or revoked key stops at once.
Each authorizer is a Lambda of its own (`chalicelib.handlers.authorizers.<name>`): no middleware
runs before it and app.py is not imported, so it points the tables at their stage and configures
the logs itself. An authorizer that raises is a bare 500 from API Gateway; when the key or session
cannot be read (DynamoDB busy) the request is admitted without an identity and marked, and
`Routes` answers 503.
"""
from chalice import AuthResponse, Blueprint

from .. import bootstrap, logs
from ..bootstrap import services
from ..domain.errors import Unavailable
from .http import UNAVAILABLE

logs.configure()

bp = Blueprint(__name__)


def bearer(token_header: str | None) -> str:
    scheme, _, value = (token_header or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


@bp.authorizer(ttl_seconds=0)
def merchant_key(auth_request):
    bootstrap.tables_ready()
    try:
        org_id = services().access.org_for_api_key(bearer(auth_request.token))
    except Unavailable:
        return AuthResponse(routes=["/admin/*"], principal_id="anonymous", context=UNAVAILABLE)
    if org_id is None:   # admitted without an identity: `Routes` answers 401 (see portal_session)
        return AuthResponse(routes=["/admin/*"], principal_id="anonymous", context={"session": "none"})
    return AuthResponse(routes=["/admin/*"], principal_id=org_id, context={"org_id": org_id})


@bp.authorizer(ttl_seconds=0)
def portal_session(auth_request):
    bootstrap.tables_ready()
    try:
        session = services().access.authenticate(bearer(auth_request.token))
    except Unavailable:
        return AuthResponse(routes=["/portal/*"], principal_id="anonymous", context=UNAVAILABLE)
    if session is None:
        # Admitted without an identity so the route answers 401 in our envelope (an empty
        # policy would be API Gateway's bare 403); `Routes` refuses every such request
        # before its handler runs.
        return AuthResponse(routes=["/portal/*"], principal_id="anonymous", context={"session": "none"})
    return AuthResponse(routes=["/portal/*"], principal_id=session["contact_id"], context=session)
