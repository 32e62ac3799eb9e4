"""Statement of accounts, as JSON (the PDF is in documents.py)."""
from __future__ import annotations

from datetime import date

from chalice import Blueprint
from pydantic import Field

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Query, Routes


bp = Blueprint(__name__)
api = Routes(bp, "portal", portal_session)


class StatementQuery(Query):
    """A range of whole days (UTC), both included; by default this month so far."""
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None


@api.route("/portal/statements", query=StatementQuery, response="StatementOfAccounts")
def statement(query: StatementQuery):
    """Opening balance, every transaction with the running balance, closing balance; per currency."""
    caller = api.customer()
    return services().documents.statement(caller.org_id, caller.customer_id, start=query.from_, end=query.to,
                                          now=bootstrap.now())
