"""My account's activity timeline."""
from __future__ import annotations

from ...bootstrap import services
from ..credentials import portal_session
from ..http import Routes
from ..schemas import PageQuery


api = Routes("portal", portal_session)


@api.route("/portal/activity", query=PageQuery, response="ActivityPage")
def my_activity(query: PageQuery):
    """Everything done to my account (by me, the merchant or a job), newest first; who has access
    with which role only for the owner."""
    from ..responses.engagement import ActivityPage   # on the first answer, not at `import app`
    caller = api.customer()
    return ActivityPage.of(services().accounts.timeline(caller.org_id, caller.customer, limit=query.limit,
                                                        cursor=query.cursor, role=caller.role)).model_dump()
