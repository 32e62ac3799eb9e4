"""Estimates to accept or decline, timesheets to approve or reject."""
from __future__ import annotations

from typing import Literal

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Body, Routes
from ..schemas import LongText, PageQuery


api = Routes("portal", portal_session)


class EstimateQuery(PageQuery):
    status: Literal["sent", "accepted", "declined", "expired"] | None = None


class TimesheetQuery(PageQuery):
    status: Literal["pending", "approved", "rejected"] | None = None


class DecisionBody(Body):
    comment: LongText = ""


def _estimate(shown) -> dict:
    """An estimate's answer, built by its response model on the first answer (not at `import app`)."""
    from ..responses.documents import Estimate
    return Estimate.of(shown).model_dump()   # python values: dates written as in every other answer


def _timesheet(shown) -> dict:
    from ..responses.documents import Timesheet
    return Timesheet.of(shown).model_dump()


@api.route("/portal/estimates", query=EstimateQuery, response="EstimatePage")
def list_estimates(query: EstimateQuery):
    """My estimates, newest first; status=sent lists those awaiting my answer."""
    from ..responses.documents import EstimatePage   # on the first answer, not at `import app`
    caller = api.customer()
    return EstimatePage.of(services().documents.estimates(caller.org, caller.customer, status=query.status,
                                                          limit=query.limit, cursor=query.cursor,
                                                          now=bootstrap.now())).model_dump()


@api.route("/portal/estimates/{estimate_id}", response="Estimate")
def get_estimate(estimate_id: str):
    """One estimate."""
    caller = api.customer()
    return _estimate(services().documents.estimate(caller.org, caller.customer, estimate_id, bootstrap.now()))


@api.route("/portal/estimates/{estimate_id}/accept", "POST", body=DecisionBody, response="Estimate")
def accept_estimate(estimate_id: str, body: DecisionBody):
    """Accept an estimate (optionally with a comment); the merchant is notified."""
    caller = api.customer()
    return _estimate(services().documents.decide_estimate(caller.org_id, caller.customer_id, caller.contact_id,
                                                          estimate_id, decision="accept", comment=body.comment,
                                                          now=bootstrap.now()))


@api.route("/portal/estimates/{estimate_id}/decline", "POST", body=DecisionBody, response="Estimate")
def decline_estimate(estimate_id: str, body: DecisionBody):
    """Decline an estimate (optionally with a comment); the merchant is notified."""
    caller = api.customer()
    return _estimate(services().documents.decide_estimate(caller.org_id, caller.customer_id, caller.contact_id,
                                                          estimate_id, decision="decline", comment=body.comment,
                                                          now=bootstrap.now()))


@api.route("/portal/timesheets", query=TimesheetQuery, response="TimesheetPage")
def list_timesheets(query: TimesheetQuery):
    """My timesheets, newest first; status=pending lists those awaiting my answer."""
    from ..responses.documents import TimesheetPage
    caller = api.customer()
    return TimesheetPage.of(services().documents.timesheets(caller.org_id, caller.customer, status=query.status,
                                                            limit=query.limit, cursor=query.cursor)).model_dump()


@api.route("/portal/timesheets/{timesheet_id}", response="Timesheet")
def get_timesheet(timesheet_id: str):
    """One timesheet."""
    caller = api.customer()
    return _timesheet(services().documents.timesheet(caller.org_id, caller.customer, timesheet_id))


@api.route("/portal/timesheets/{timesheet_id}/approve", "POST", body=DecisionBody, response="Timesheet")
def approve_timesheet(timesheet_id: str, body: DecisionBody):
    """Approve a timesheet (optionally with a comment); the merchant is notified."""
    caller = api.customer()
    return _timesheet(services().documents.decide_timesheet(caller.org_id, caller.customer_id, caller.contact_id,
                                                            timesheet_id, decision="approve", comment=body.comment,
                                                            now=bootstrap.now()))


@api.route("/portal/timesheets/{timesheet_id}/reject", "POST", body=DecisionBody, response="Timesheet")
def reject_timesheet(timesheet_id: str, body: DecisionBody):
    """Reject a timesheet (optionally with a comment); the merchant is notified."""
    caller = api.customer()
    return _timesheet(services().documents.decide_timesheet(caller.org_id, caller.customer_id, caller.contact_id,
                                                            timesheet_id, decision="reject", comment=body.comment,
                                                            now=bootstrap.now()))
