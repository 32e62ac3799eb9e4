"""Reading reviews, notifications and activity."""
from __future__ import annotations

from ...tables.activity import activity as stored_activity
from ...tables.customers import customers
from ...tables.notifications import notifications as stored_notifications
from ...tables.reviews import reviews as stored_reviews


def reviews(org_id: str, *, customer_id: str | None, limit: int, cursor: str | None):
    if customer_id is not None:
        customers.get(org_id, customer_id)  # another organization's customer: 404
    return stored_reviews.page(org_id, customer_id=customer_id, limit=limit, cursor=cursor)


def notifications(org_id: str, *, limit: int, cursor: str | None):
    return stored_notifications.page(org_id, limit=limit, cursor=cursor)


def activity(org_id: str, customer_id: str, *, limit: int, cursor: str | None):
    customers.get(org_id, customer_id)
    return stored_activity.page(org_id, customer_id, limit=limit, cursor=cursor)
