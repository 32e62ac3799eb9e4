"""Statement of accounts, as JSON (the PDF is in documents.py), and the spending history month by month."""
from __future__ import annotations

from pydantic import Field

from ... import bootstrap
from ...bootstrap import services
from ...domain.spending import LONGEST_HISTORY_MONTHS
from ..credentials import portal_session
from ..http import Query, Routes
from ..schemas import Day


api = Routes("portal", portal_session)


class SpendingQuery(Query):
    months: int = Field(default=12, ge=1, le=LONGEST_HISTORY_MONTHS)


class StatementQuery(Query):
    """A range of whole days of the organization's time zone, both included; by default this month
    so far. Days no one bills in (`Day`) are refused: the first instant of year 1 east of UTC is not
    a datetime."""
    from_: Day | None = Field(default=None, alias="from")
    to: Day | None = None


@api.route("/portal/statements", query=StatementQuery, response="StatementOfAccounts")
def statement(query: StatementQuery):
    """Opening balance, every transaction with the running balance, closing balance; per currency."""
    from ..responses.documents import StatementOfAccounts   # on the first answer, not at `import app`
    caller = api.customer()
    return StatementOfAccounts.of(services().documents.statement(caller.org, caller.customer_id, start=query.from_,
                                                                 end=query.to, now=bootstrap.now())).model_dump()


@api.route("/portal/spending", query=SpendingQuery, response="Spending")
def spending(query: SpendingQuery):
    """Per currency, each of the last `months` months (of the organization's time zone, this one
    included): invoiced, paid, credited and refunded, as that month's statement says."""
    from ..responses.documents import Spending
    caller = api.customer()
    return Spending.of(services().documents.spending(caller.org, caller.customer_id, months=query.months,
                                                     now=bootstrap.now())).model_dump()
