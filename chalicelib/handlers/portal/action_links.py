"""Following an action link from an email or the merchant: where in the portal it leads."""
from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from ... import bootstrap
from ...bootstrap import services
from ..credentials import may_act_on_link, portal_session
from ..http import Body, Routes


api = Routes("portal", portal_session)


class RedeemBody(Body):
    token: Annotated[str, StringConstraints(min_length=1, max_length=200)]


@api.route("/portal/action-links/redeem", "POST", body=RedeemBody, response="ActionLinkDestination")
def redeem_action_link(body: RedeemBody):
    """Follow an action link: the portal route where its action is done. Once only, by the customer
    it was made for, before it expires (404 another account's, 410 expired, 409 used); a retry by the
    session that followed it answers the same route. A role that may not do the action (a viewer,
    a billing contact asked for a review) is shown the page and leaves the link for who may."""
    from ..responses.accounts import ActionLinkDestination   # on the first answer, not at `import app`
    caller = api.customer()
    return ActionLinkDestination.of(services().access.redeem_action_link(
        caller.org_id, caller.customer_id, caller.session_id, body.token, bootstrap.now(),
        may_act=lambda action: may_act_on_link(caller.role, action))).model_dump()
