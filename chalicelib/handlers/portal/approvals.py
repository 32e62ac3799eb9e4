"""Estimates to accept or decline, timesheets to approve or reject."""
from __future__ import annotations

from typing import Literal

from chalice import Blueprint

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Body, Routes, page_answer
from ..schemas import LongText, PageQuery


bp = Blueprint(__name__)
api = Routes(bp, "portal", portal_session)


class EstimateQuery(PageQuery):
    status: Literal["sent", "accepted", "declined", "expired"] | None = None


class TimesheetQuery(PageQuery):
    status: Literal["pending", "approved", "rejected"] | None = None


class DecisionBody(Body):
    comment: LongText = ""


@api.route("/portal/estimates", query=EstimateQuery, response="EstimatePage")
def list_estimates(query: EstimateQuery):
    """My estimates, newest first; status=sent lists those awaiting my answer."""
    caller = api.customer()
    return page_answer(services().documents.estimates(caller.org_id, caller.customer_id, status=query.status,
                                                      limit=query.limit, cursor=query.cursor, now=bootstrap.now()))


@api.route("/portal/estimates/{estimate_id}", response="Estimate")
def get_estimate(estimate_id: str):
    """One estimate."""
    caller = api.customer()
    return services().documents.estimate(caller.org_id, caller.customer_id, estimate_id, bootstrap.now())


@api.route("/portal/estimates/{estimate_id}/accept", "POST", body=DecisionBody, response="Estimate")
def accept_estimate(estimate_id: str, body: DecisionBody):
    """Accept an estimate (optionally with a comment); the merchant is notified."""
    caller = api.customer()
    return services().documents.decide_estimate(caller.org_id, caller.customer_id, caller.contact_id, estimate_id,
                                                decision="accept", comment=body.comment, now=bootstrap.now())


@api.route("/portal/estimates/{estimate_id}/decline", "POST", body=DecisionBody, response="Estimate")
def decline_estimate(estimate_id: str, body: DecisionBody):
    """Decline an estimate (optionally with a comment); the merchant is notified."""
    caller = api.customer()
    return services().documents.decide_estimate(caller.org_id, caller.customer_id, caller.contact_id, estimate_id,
                                                decision="decline", comment=body.comment, now=bootstrap.now())


@api.route("/portal/timesheets", query=TimesheetQuery, response="TimesheetPage")
def list_timesheets(query: TimesheetQuery):
    """My timesheets, newest first; status=pending lists those awaiting my answer."""
    caller = api.customer()
    return page_answer(services().documents.timesheets(caller.org_id, caller.customer_id, status=query.status,
                                                       limit=query.limit, cursor=query.cursor))


@api.route("/portal/timesheets/{timesheet_id}", response="Timesheet")
def get_timesheet(timesheet_id: str):
    """One timesheet."""
    caller = api.customer()
    return services().documents.timesheet(caller.org_id, caller.customer_id, timesheet_id)


@api.route("/portal/timesheets/{timesheet_id}/approve", "POST", body=DecisionBody, response="Timesheet")
def approve_timesheet(timesheet_id: str, body: DecisionBody):
    """Approve a timesheet (optionally with a comment); the merchant is notified."""
    caller = api.customer()
    return services().documents.decide_timesheet(caller.org_id, caller.customer_id, caller.contact_id, timesheet_id,
                                                 decision="approve", comment=body.comment, now=bootstrap.now())


@api.route("/portal/timesheets/{timesheet_id}/reject", "POST", body=DecisionBody, response="Timesheet")
def reject_timesheet(timesheet_id: str, body: DecisionBody):
    """Reject a timesheet (optionally with a comment); the merchant is notified."""
    caller = api.customer()
    return services().documents.decide_timesheet(caller.org_id, caller.customer_id, caller.contact_id, timesheet_id,
                                                 decision="reject", comment=body.comment, now=bootstrap.now())
