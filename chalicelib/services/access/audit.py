"""The organization's audit log: an entry for every change made through the admin API (held while
the request runs, written with the change: tables/audit_log.py), and its pages for the console."""
from __future__ import annotations

from datetime import datetime, timezone

from ...domain import audit
from ...domain.errors import InvalidInput
from ...domain.ids import new_id
from ...tables.audit_log import AuditEntry
from ...tables.pages import Page

API_KEY = "API key"


def begin(adapters, org_id: str, *, actor_type: str, actor_id: str, actor_email: str, action: str,
          target_id: str, fields: dict, now: datetime) -> None:
    """Hold the entry of the change this request is about to make."""
    adapters.uow.audit_log.pend(AuditEntry(org_id, new_id("audit_entry", now), now, actor_type, actor_id, action,
                                           target_id, actor_email, audit.summary(fields)))


def settle(adapters) -> None:
    """The change succeeded: write its entry, unless its transaction did."""
    adapters.uow.audit_log.settle()


def forget(adapters) -> None:
    """The change failed: nothing to record."""
    adapters.uow.audit_log.pend(None)


def page(adapters, org_id: str, *, start: datetime, end: datetime, limit: int, cursor: str | None) -> Page[AuditEntry]:
    try:
        start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    except OverflowError:   # year 1 at +14:00, year 9999 at -14:00: no instant the log could hold
        raise InvalidInput({"query.from": "Out of range."}) from None
    if end <= start:
        raise InvalidInput({"query.to": "Must be after from."})
    return adapters.uow.audit_log.page(org_id, start=start, end=end, limit=limit, cursor=cursor)
