"""Reading reviews, notifications and activity."""
from __future__ import annotations

from ..tables.repositories import customers, engagement


def reviews(org_id: str, *, customer_id: str | None, limit: int, cursor: str | None):
    if customer_id is not None:
        customers.get(org_id, customer_id)  # another organization's customer: 404
    return engagement.reviews_page(org_id, customer_id=customer_id, limit=limit, cursor=cursor)


def notifications(org_id: str, *, limit: int, cursor: str | None):
    return engagement.notifications_page(org_id, limit=limit, cursor=cursor)


def activity(org_id: str, customer_id: str, *, limit: int, cursor: str | None):
    customers.get(org_id, customer_id)
    return engagement.activity_page(org_id, customer_id, limit=limit, cursor=cursor)
