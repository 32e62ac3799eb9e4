"""The merchant console's users: created by an API key (the first one) or by a console admin."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from ... import bootstrap
from ...bootstrap import services
from ..credentials import merchant_key
from ..http import Body, Routes
from ..schemas import Email

api = Routes("merchant", merchant_key)

Password = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1, max_length=1024)]


class MerchantUserBody(Body):
    email: Email
    role: Literal["admin", "support"]
    password: Password              # chosen by whoever creates the user, handed over out of band
    name: Annotated[str, StringConstraints(max_length=100)] = ""
    # a console user's own: the new user outlives the session, so a session alone makes none (an API key needs none)
    current_password: Password | None = None


class MerchantUserChanges(Body):
    role: Literal["admin", "support"] | None = None
    status: Literal["active", "disabled"] | None = None
    # a console user's own, to enable a user again or make one admin: access that outlives the session
    current_password: Password | None = None


@api.route("/admin/merchant-users", response="MerchantUserList")
def list_merchant_users():
    """The organization's console users."""
    from ..responses.console import MerchantUserList
    return MerchantUserList.of(services().access.merchant_users(api.merchant().org_id)).model_dump()


@api.route("/admin/merchant-users", "POST", body=MerchantUserBody, status=201, response="MerchantUser")
def create_merchant_user(body: MerchantUserBody):
    """A console user (admin: every change; support: reads, and resends portal invitations), signing in
    at /console/auth/login with this email and password. Made with a console session, it needs the
    signed-in user's `current_password` (a wrong one counts as a failed sign-in); an API key needs none."""
    from ..responses.console import MerchantUser
    caller = api.merchant_user()
    user = services().access.create_merchant_user(caller.org_id, email=body.email, role=body.role,
                                                  password=body.password, name=body.name, now=bootstrap.now(),
                                                  by=caller.actor, current_password=body.current_password)
    return MerchantUser.of(user).model_dump()


@api.route("/admin/merchant-users/{user_id}", "PATCH", body=MerchantUserChanges, response="MerchantUser")
def change_merchant_user(user_id: str, body: MerchantUserChanges):
    """Change a console user's role or disable the user (or enable again): every session of the user
    ends at once. Not one's own account. Made with a console session, enabling a user again or making
    one admin needs the signed-in user's `current_password` (as creating one does); an API key needs none."""
    from ..responses.console import MerchantUser
    caller = api.merchant_user()
    user = services().access.change_merchant_user(caller.org_id, user_id, role=body.role, status=body.status,
                                                  now=bootstrap.now(), by=caller.actor,
                                                  current_password=body.current_password)
    return MerchantUser.of(user).model_dump()
