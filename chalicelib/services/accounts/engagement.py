"""Reading reviews and notifications (the activity: activity.py)."""
from __future__ import annotations



def reviews(adapters, org_id: str, *, customer_id: str | None, limit: int, cursor: str | None):
    if customer_id is not None:
        adapters.uow.customers.get(org_id, customer_id)  # another organization's customer: 404
    return adapters.uow.reviews.page(org_id, customer_id=customer_id, limit=limit, cursor=cursor)


def notifications(adapters, org_id: str, *, limit: int, cursor: str | None):
    return adapters.uow.notifications.page(org_id, limit=limit, cursor=cursor)

