"""Who is calling: a portal session for /portal; for /admin, a merchant API key or a console
session of a merchant user; a console session alone for the console's own account routes. Checked
inside the API function on every request (docs/security.md "Checked inside the API function").

`Routes("portal", portal_session)` checks the route's credential before anything else of the
request: a missing, unknown, expired or signed-out one is 401 in the envelope, and one that cannot
be read (DynamoDB busy) is 503. Nothing is cached between requests, so a session ended or a key
revoked stops working on the very next request.

Each audience's tokens are looked up only where that audience's are kept (API keys, portal
sessions, console sessions: three tables), so no kind of token opens another's routes. On /admin,
a merchant user's role is checked before the request is read (`admit`: support reads, and resends
invitations), and every change is recorded in the audit log (`recording`). On /portal, the contact's
portal role is checked the same way (`portal_may`: owner all, billing pays, viewer reads;
docs/security.md "Roles")."""
from __future__ import annotations

from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Callable

from .. import bootstrap
from ..bootstrap import services
from ..domain.errors import RoleForbids, Unauthenticated
from .http import NOTHING_AHEAD, CustomerCaller, MerchantCaller, ReadAhead

API_KEY_PREFIX = "pk_admin_"
# what a support user may do beyond reading: (method, path) of the routes table
SUPPORT_MAY_CHANGE = frozenset({
    ("POST", "/admin/customers/{customer_id}/portal-invite"),   # send or resend a portal invitation
})


def bearer(authorization: str | None) -> str:
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _unrecorded(response):
    return response


# What every portal role may do on its own sign-in, whatever else it may: (method, path)
OWN_SIGN_IN = frozenset({
    ("POST", "/portal/auth/logout"),
    ("POST", "/portal/auth/change-password"),
    ("POST", "/portal/auth/second-factor"),
    ("POST", "/portal/auth/second-factor/confirm"),
    ("POST", "/portal/auth/second-factor/disable"),
    ("POST", "/portal/auth/passkeys/options"),
    ("POST", "/portal/auth/passkeys"),
    ("DELETE", "/portal/auth/passkeys/{passkey_id}"),
    ("PUT", "/portal/me/locale"),                        # how my own pages write money and days
    ("PATCH", "/portal/profile"),                        # my own contact details and sign-in email; the
                                                         # account's addresses are the owner's (the use case)
    ("POST", "/portal/action-links/redeem"),             # where a link leads; the action there is checked
})
# What a billing contact may change: invoices and what they are made of (estimates, timesheets),
# payments, payment methods
BILLING_MAY_CHANGE = frozenset({
    ("POST", "/portal/payments"),
    ("POST", "/portal/payments/{payment_id}/confirm"),
    ("POST", "/portal/payments/{payment_id}/confirm-action"),
    ("POST", "/portal/payment-methods"),
    ("POST", "/portal/payment-methods/setup"),
    ("PUT", "/portal/payment-methods/{payment_method_id}"),
    ("DELETE", "/portal/payment-methods/{payment_method_id}"),
    ("POST", "/portal/payment-methods/{payment_method_id}/default"),
    ("PUT", "/portal/subscriptions/{subscription_id}/auto-charge"),   # whether invoices are charged to the card
    ("PUT", "/portal/subscriptions/{subscription_id}/payment-method"),   # ...and to which saved card
    ("POST", "/portal/estimates/{estimate_id}/accept"),               # the documents invoices are made of
    ("POST", "/portal/estimates/{estimate_id}/decline"),
    ("POST", "/portal/timesheets/{timesheet_id}/approve"),
    ("POST", "/portal/timesheets/{timesheet_id}/reject"),
    ("POST", "/portal/messages"),                                     # ask the merchant about an invoice
})
# The change an action link leads to, by its action: following a link uses it up only for a caller
# whose role may make that change (a viewer is shown the page, the link is left for who may act)
ACTION_LINK_CHANGES = {
    "pay_invoice": ("POST", "/portal/payments"),
    "update_payment_method": ("POST", "/portal/payment-methods"),
    "review_subscription": ("POST", "/portal/subscriptions/{subscription_id}/changes"),
    "accept_estimate": ("POST", "/portal/estimates/{estimate_id}/accept"),
    "write_review": ("POST", "/portal/reviews"),
}
# What only the owner may read: who else has access, and with which role
OWNER_ONLY_READS = frozenset({
    ("GET", "/portal/people"),
})


@dataclass(frozen=True)
class Credential:
    """A credential a route needs, sent as `Authorization: Bearer <token>`."""
    # (token, what a GET route may have read with it) -> the caller, or None
    identify: Callable[[str, ReadAhead], CustomerCaller | MerchantCaller | None]
    audited: bool = False       # the admin API: changes recorded
    rule: Callable[[str, str, str], bool] | None = None    # (role, method, path) -> whether the role may

    def caller(self, authorization: str | None, ahead: ReadAhead = NOTHING_AHEAD) -> CustomerCaller | MerchantCaller:
        """The identity the bearer token names; Unauthenticated without a live one, Unavailable
        (from the lookup) when it cannot be read."""
        token = bearer(authorization)
        identity = self.identify(token, ahead) if token else None
        if identity is None:
            raise Unauthenticated("Sign in first.")
        return identity

    def admit(self, caller, method: str, path: str) -> None:
        """RoleForbids (403 role_forbids) where the caller's role does not allow the route."""
        if self.rule is not None and not self.rule(caller.role, method, path):
            raise RoleForbids(caller.role, portal=isinstance(caller, CustomerCaller))

    def recording(self, caller, method: str, path: str, params: dict):
        """Around the handler: a change's audit entry, held while it runs and written with it."""
        if not self.audited or method == "GET":
            return nullcontext(_unrecorded)
        return _recorded(caller, method, path, params)


def may(role: str, method: str, path: str) -> bool:
    """The role rule of the admin API: admin (and every API key) may do everything; support may read,
    and do what SUPPORT_MAY_CHANGE lists."""
    return role == "admin" or (role == "support" and (method == "GET" or (method, path) in SUPPORT_MAY_CHANGE))


def portal_may(role: str, method: str, path: str) -> bool:
    """The role rule of the portal: the owner may do everything; billing reads and changes what
    BILLING_MAY_CHANGE lists; a viewer only reads; each may act on its own sign-in (OWN_SIGN_IN).
    What OWNER_ONLY_READS lists the owner alone reads."""
    if role == "owner" or (method, path) in OWN_SIGN_IN:
        return role in ("owner", "billing", "viewer")
    if method == "GET":
        return role in ("billing", "viewer") and (method, path) not in OWNER_ONLY_READS
    return role == "billing" and (method, path) in BILLING_MAY_CHANGE


def may_act_on_link(role: str, action: str) -> bool:
    """Whether `role` may make the change an action link of `action` leads to (ACTION_LINK_CHANGES)."""
    return portal_may(role, *ACTION_LINK_CHANGES[action])


@contextmanager
def _recorded(caller: MerchantCaller, method: str, path: str, params: dict):
    access = services().access
    ids = [value for name, value in params.items() if name not in ("body", "query")]   # the path's
    body = params.get("body")
    access.begin_audit(caller.org_id, actor_type=caller.actor.kind,
                       actor_id=caller.user_id or "API key", actor_email=caller.email,
                       action=f"{method} {path}", target_id=ids[-1] if ids else "",
                       fields=body.model_dump(mode="json", exclude_unset=True) if body is not None else {},
                       now=bootstrap.now())

    def record(response):
        if response.status_code < 400:
            access.settle_audit()
        else:
            access.forget_audit()
        return response
    try:
        yield record
    except BaseException:
        access.forget_audit()
        raise


def _session(token: str, ahead: ReadAhead) -> CustomerCaller | None:
    found = services().access.authenticate(token, ahead=ahead)
    return None if found is None else CustomerCaller(found.org_id, found.customer_id, found.contact_id, found.role,
                                                     found.session_id, found.org, found.customer, found.login)


def _console_session(token: str, ahead: ReadAhead = NOTHING_AHEAD) -> MerchantCaller | None:
    found = services().access.console_authenticate(token, ahead=ahead)
    return None if found is None else MerchantCaller(found.org_id, found.actor, found.session_id, found.login)


def _merchant(token: str, ahead: ReadAhead) -> MerchantCaller | None:
    """An API key (its prefix tells it apart), else a console session: either reads what the route
    reads ahead (the customer its path names, the organization it declares) with its own check."""
    if token.startswith(API_KEY_PREFIX):
        org_id = services().access.org_for_api_key(token, ahead)
        from ..services.access.actors import API_KEY
        return None if org_id is None else MerchantCaller(org_id, API_KEY)
    return _console_session(token, ahead)


portal_session = Credential(_session, rule=portal_may)
merchant_key = Credential(_merchant, audited=True, rule=may)
"""The merchant's back office API: an API key, or a merchant user's console session."""
console_session = Credential(_console_session)
"""The console's own account routes (sign out, password, second factor): a merchant user's session."""
