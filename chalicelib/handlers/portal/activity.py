"""My account's activity timeline."""
from __future__ import annotations

from chalice import Blueprint

from ...bootstrap import services
from ..credentials import portal_session
from ..http import Routes, page_answer
from ..schemas import PageQuery


bp = Blueprint(__name__)
api = Routes(bp, "portal", portal_session)


@api.route("/portal/activity", query=PageQuery, response="ActivityPage")
def my_activity(query: PageQuery):
    """Everything done to my account (by me, the merchant or a job), newest first."""
    caller = api.customer()
    return page_answer(services().accounts.timeline(caller.org_id, caller.customer_id, limit=query.limit,
                                                    cursor=query.cursor))
