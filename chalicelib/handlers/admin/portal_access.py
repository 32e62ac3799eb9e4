"""Giving a customer's contacts access to the portal."""
from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from ... import bootstrap
from ...bootstrap import services
from ..credentials import merchant_key
from ..http import Body, Routes


api = Routes("merchant", merchant_key)


class InviteBody(Body):
    contact_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


@api.route("/admin/customers/{customer_id}/portal-invite", "POST", body=InviteBody, status=202,
           response="Invitation")
def invite_to_portal(customer_id: str, body: InviteBody):
    """Email a contact person an invitation (a single-use link, valid 72 hours) to the portal."""
    from ..responses.accounts import Invitation   # on the first answer, not at `import app`
    return Invitation.of(services().access.invite(api.merchant().org_id, customer_id, body.contact_id,
                                                  bootstrap.now())).model_dump()
