"""The organization's audit log: every change made through the admin API, newest first."""
from __future__ import annotations

from datetime import datetime, timezone

from pydantic import AwareDatetime, Field

from ...bootstrap import services
from ..credentials import merchant_key
from ..http import Query, Routes
from ..schemas import Cursor

api = Routes("merchant", merchant_key)


# without a range, the whole log: fixed bounds, so that a page's cursor is good for the next request
EVER_SINCE = datetime(2000, 1, 1, tzinfo=timezone.utc)
UNTIL_EVER = datetime(9999, 1, 1, tzinfo=timezone.utc)


class AuditLogQuery(Query):
    from_: AwareDatetime | None = Field(default=None, alias="from")
    to: AwareDatetime | None = None
    limit: int = Field(default=25, ge=1, le=100)
    cursor: Cursor | None = None


@api.route("/admin/audit-log", query=AuditLogQuery, response="AuditLogPage")
def audit_log(query: AuditLogQuery):
    """The changes made from `from` up to `to` (ISO 8601 with an offset; either left out: the log's
    beginning or end), newest first: who made each (a merchant user, or an API key), the route, its
    target, when, and the fields it set."""
    from ..responses.console import AuditLogPage
    page = services().access.audit_log(api.merchant().org_id, start=query.from_ or EVER_SINCE,
                                       end=query.to or UNTIL_EVER, limit=query.limit,
                                       cursor=query.cursor)
    return AuditLogPage.of(page).model_dump()

