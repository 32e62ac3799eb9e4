"""Pending approvals: estimates the customer accepts or declines, timesheets it approves or
rejects. A decision, the dashboard's pending count, the merchant's notification and the
activity record are written together; the decided item is saved on the version read, so two
decisions at once cannot both win.

An estimate past its validity date counts as expired (whether or not anything stored that):
it is shown as expired and can no longer be accepted or declined."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ...domain.account_summary import SummaryChange
from ...domain.calendar import local_date
from ...domain.customers import Customer
from ...domain.documents import Estimate, EstimateStatus, TimesheetStatus
from ...domain.engagement import ActivityRecord, Actor, Notification
from ...domain.errors import BusinessRuleViolation, Conflict
from ...domain.ids import new_id
from ...domain.organization import Organization
from ...tables.pages import Page
from .approval_views import names_of
from .views import Decided, with_decider

ESTIMATE_DECISIONS = {"accept": EstimateStatus.ACCEPTED, "decline": EstimateStatus.DECLINED}
TIMESHEET_DECISIONS = {"approve": TimesheetStatus.APPROVED, "reject": TimesheetStatus.REJECTED}


# --- estimates --------------------------------------------------------------------------------

def as_of(estimate: Estimate, at: datetime) -> Estimate:
    """The estimate as it stands at `at`: a sent one past its validity date is expired."""
    if estimate.status == EstimateStatus.SENT and at >= estimate.expires_at:
        return replace(estimate, status=EstimateStatus.EXPIRED)
    return estimate


def estimates_page(adapters, org: Organization, customer: Customer, *, status: str | None, limit: int,
                   cursor: str | None, now: datetime) -> Page[Decided]:
    """My estimates, newest first; `status` sent (awaiting my answer), accepted, declined or expired.
    `org` and `customer` as the session check read them."""
    at = org.now(now)
    stored = {None: (), "expired": ("sent", "expired")}.get(status, (status,))
    page = adapters.uow.estimates.page(org.org_id, customer.customer_id, statuses=stored, limit=limit, cursor=cursor)
    shown = [as_of(estimate, at) for estimate in page.items]
    if status is not None:
        shown = [estimate for estimate in shown if estimate.status.value == status]
    names = names_of(customer)
    return Page([with_decider(estimate, names) for estimate in shown], page.next_cursor)


def estimate(adapters, org: Organization, customer: Customer, estimate_id: str, now: datetime) -> Decided:
    """One estimate (read consistently), with `org` and `customer` as the session check read them."""
    stored = adapters.uow.estimates.get(org.org_id, customer.customer_id, estimate_id, consistent=True)
    return with_decider(as_of(stored, org.now(now)), names_of(customer))


def decide_estimate(adapters, org_id: str, customer_id: str, contact_id: str, estimate_id: str, *, decision: str,
                    comment: str, now: datetime) -> Decided:
    """Accept or decline an estimate that awaits an answer (its organization, customer and estimate
    read in one BatchGetItem)."""
    found = adapters.uow.estimates.with_parties(org_id, customer_id, estimate_id)
    org, stored = found.org, found.document
    current = as_of(stored, org.now(now))
    if current.status == EstimateStatus.EXPIRED:
        raise BusinessRuleViolation(f"This estimate expired on {local_date(current.expires_at, org.time_zone).isoformat()}; "
                                    f"ask {org.name} for a new one.", "estimate_expired")
    if current.status != EstimateStatus.SENT:
        raise Conflict(f"This estimate was {current.status.value} already.", {"current_status": current.status.value})
    decided = replace(stored, status=ESTIMATE_DECISIONS[decision], decided_at=now, decided_by=contact_id,
                      comment=comment)
    saved, names = _record_decision(adapters, adapters.uow.estimates, org_id, found.customer, contact_id, stored,
                                    decided, SummaryChange(pending_estimates=-1),
                                    lambda name, verb: f"{name} {verb} estimate {stored.number}", comment, now)
    return with_decider(saved, names)


# --- timesheets -------------------------------------------------------------------------------

def timesheets_page(adapters, org_id: str, customer: Customer, *, status: str | None, limit: int,
                    cursor: str | None) -> Page[Decided]:
    """My timesheets, newest first; `status` pending (awaiting my answer), approved or rejected."""
    page = adapters.uow.timesheets.page(org_id, customer.customer_id, statuses=(status,) if status else (),
                                        limit=limit, cursor=cursor)
    names = names_of(customer)
    return Page([with_decider(sheet, names) for sheet in page.items], page.next_cursor)


def timesheet(adapters, org_id: str, customer: Customer, timesheet_id: str) -> Decided:
    sheet = adapters.uow.timesheets.get(org_id, customer.customer_id, timesheet_id)
    return with_decider(sheet, names_of(customer))


def decide_timesheet(adapters, org_id: str, customer_id: str, contact_id: str, timesheet_id: str, *, decision: str,
                     comment: str, now: datetime) -> Decided:
    """Approve or reject a timesheet that awaits an answer."""
    sheet = adapters.uow.timesheets.get(org_id, customer_id, timesheet_id)
    if sheet.status != TimesheetStatus.PENDING:
        raise Conflict(f"This timesheet was {sheet.status.value} already.", {"current_status": sheet.status.value})
    decided = replace(sheet, status=TIMESHEET_DECISIONS[decision], decided_at=now, decided_by=contact_id,
                      comment=comment)
    saved, names = _record_decision(adapters, adapters.uow.timesheets, org_id,
                                    adapters.uow.customers.get(org_id, customer_id), contact_id, sheet,
                                    decided, SummaryChange(pending_timesheets=-1),
                                    lambda name, verb: f"{name} {verb} the timesheet {sheet.project} "
                                                       f"({sheet.period_start} to {sheet.period_end})", comment, now)
    return with_decider(saved, names)


def _record_decision(adapters, repository, org_id: str, customer: Customer, contact_id: str, before, decided,
                     change: SummaryChange, headline, comment: str, now: datetime) -> tuple:
    """The decided document (`before`: as read), one less pending approval on the dashboard, and the
    merchant told: one transaction. Answers the document as saved and the names of the customer's contacts."""
    customer_id = customer.customer_id
    kind, verb = repository.kind, decided.status.value
    with adapters.uow.transaction(kind) as tx:
        item = repository.save_in(tx, org_id, decided, before=before, now=now)
        adapters.uow.account_summaries.apply_in(tx, org_id, customer_id, customer.currency, change)
        _tell_merchant(adapters, tx, org_id, customer_id, contact_id, now, kind=f"{kind}.{verb}", subject_type=kind,
                       subject_id=getattr(decided, repository.id_field), headline=headline(customer.display_name, verb),
                       comment=comment)
    return repository.saved(item), names_of(customer)


def _tell_merchant(adapters, tx, org_id: str, customer_id: str, contact_id: str, now: datetime, *, kind: str,
                   subject_type: str, subject_id: str, headline: str, comment: str) -> None:
    """The merchant's notification and the customer's activity record, within `tx`."""
    adapters.uow.notifications.add(org_id, Notification(
        notification_id=new_id("notification", now), kind=kind, headline=headline, created_at=now,
        customer_id=customer_id, subject_type=subject_type, subject_id=subject_id), tx)
    adapters.uow.activity.record(org_id, ActivityRecord(
        activity_id=new_id("activity", now), customer_id=customer_id, actor=Actor("customer", contact_id),
        action=kind, subject_type=subject_type, subject_id=subject_id, at=now, summary=comment or headline), tx)
