"""The customer's own timeline: everything done to its account, by its contacts, the merchant
or a scheduled job, newest first."""
from __future__ import annotations

from ...domain.engagement import ActivityRecord
from ...tables.pages import Page


def timeline(adapters, org_id: str, customer_id: str, *, limit: int, cursor: str | None) -> Page[ActivityRecord]:
    return adapters.uow.activity.page(org_id, customer_id, limit=limit, cursor=cursor)
