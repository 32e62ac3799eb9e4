"""Estimates and timesheets as the portal shows them: who decided by name (the contact's id and
the stored version are no business of the browser's)."""
from __future__ import annotations

from typing import Iterable

from ...domain.customers import Customer
from ...domain.documents import Estimate, Timesheet
from .invoices import line_view


def decider_names(adapters, org_id: str, customer_id: str, documents: Iterable[Estimate | Timesheet]) -> dict[str, str]:
    """The names of the contacts who decided any of `documents`; no read when none is decided."""
    if not any(d.decided_by for d in documents):
        return {}
    return names_of(adapters.uow.customers.get(org_id, customer_id))


def names_of(customer: Customer) -> dict[str, str]:
    return {c.contact_id: c.name for c in customer.contacts if c.name}


def estimate_view(estimate: Estimate, names: dict[str, str]) -> dict:
    return {"estimate_id": estimate.estimate_id, "number": estimate.number, "currency": estimate.currency,
            "status": estimate.status.value, "issued_at": estimate.issued_at.isoformat(),
            "expires_at": estimate.expires_at.isoformat(), "lines": [line_view(line) for line in estimate.lines],
            "total_minor": estimate.total_minor, "notes": estimate.notes, **_decision(estimate, names)}


def timesheet_view(sheet: Timesheet, names: dict[str, str]) -> dict:
    return {"timesheet_id": sheet.timesheet_id, "project": sheet.project, "period_start": sheet.period_start,
            "period_end": sheet.period_end, "status": sheet.status.value,
            "entries": [{"date": e.date, "minutes": e.minutes, "description": e.description} for e in sheet.entries],
            "submitted_at": sheet.submitted_at.isoformat(), **_decision(sheet, names)}


def _decision(document: Estimate | Timesheet, names: dict[str, str]) -> dict:
    return {"decided_at": document.decided_at.isoformat() if document.decided_at else None,
            "decided_by_name": names.get(document.decided_by or ""), "comment": document.comment}
