"""The merchant makes an action link for one customer: pay this invoice, update the card, review this
subscription, accept this estimate, write a review."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ... import bootstrap
from ...bootstrap import services
from ...domain.action_links import ACTIONS, DEFAULT_DAYS, MAX_DAYS, MIN_DAYS
from ..credentials import merchant_key
from ..http import Body, Routes
from ..schemas import Id


api = Routes("merchant", merchant_key)


class ActionLinkBody(Body):
    action: Literal[tuple(ACTIONS)]
    target_id: Id | None = None
    expires_in_days: int = Field(default=DEFAULT_DAYS, ge=MIN_DAYS, le=MAX_DAYS, strict=True)


@api.route("/admin/customers/{customer_id}/action-links", "POST", body=ActionLinkBody, status=201,
           response="ActionLinkMade")
def create_action_link(customer_id: str, body: ActionLinkBody):
    """A signed-in-only, single-use link for this customer to do one thing, good for 1 to 30 days.

    The target (an invoice, subscription or estimate) must be this customer's. Only the link's hash
    is kept: the URL in this answer is the one copy of it."""
    from ..responses.accounts import ActionLinkMade   # on the first answer, not at `import app`
    return ActionLinkMade.of(services().access.create_action_link(
        api.merchant().org_id, customer_id, action=body.action, target_id=body.target_id, days=body.expires_in_days,
        now=bootstrap.now())).model_dump()
