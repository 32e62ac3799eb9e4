"""Reviews, merchant notifications and the activity timeline."""
from __future__ import annotations

from pynamodb.transactions import TransactWrite

from ...domain.engagement import ActivityRecord, Notification, Review
from ..activity import ActivityItem
from ..base import owner_key
from ..mapping import from_item, to_item
from ..notifications import NotificationItem
from ..pages import Page, collect, decode_cursor
from ..reviews import ReviewItem


def activity_item(org_id: str, record: ActivityRecord) -> ActivityItem:
    return to_item(ActivityItem, record, owner=owner_key(org_id, record.customer_id), org_id=org_id)


def record_activity(org_id: str, record: ActivityRecord, tx: TransactWrite | None = None) -> None:
    item = activity_item(org_id, record)
    if tx is None:
        item.save()
    else:
        tx.save(item)


def activity_page(org_id: str, customer_id: str, *, limit: int, cursor: str | None) -> Page[ActivityRecord]:
    owner = owner_key(org_id, customer_id)
    start = decode_cursor(cursor, hash_attribute="owner", hash_value=owner)
    results = ActivityItem.query(owner, limit=limit, last_evaluated_key=start, scan_index_forward=False)
    return collect(results, lambda item: from_item(ActivityRecord, item), limit)


def notification_item(org_id: str, notification: Notification) -> NotificationItem:
    return to_item(NotificationItem, notification, org_id=org_id)


def notify(org_id: str, notification: Notification, tx: TransactWrite | None = None) -> None:
    item = notification_item(org_id, notification)
    if tx is None:
        item.save()
    else:
        tx.save(item)


def notifications_page(org_id: str, *, limit: int, cursor: str | None) -> Page[Notification]:
    start = decode_cursor(cursor, hash_attribute="org_id", hash_value=org_id)
    results = NotificationItem.query(org_id, limit=limit, last_evaluated_key=start, scan_index_forward=False)
    return collect(results, lambda item: from_item(Notification, item), limit)


def add_review(org_id: str, review: Review, tx: TransactWrite | None = None) -> None:
    item = to_item(ReviewItem, review, org_id=org_id, review_key=f"{review.customer_id}#{review.review_id}")
    if tx is None:
        item.save()
    else:
        tx.save(item)


def reviews_page(org_id: str, *, customer_id: str | None, limit: int, cursor: str | None) -> Page[Review]:
    start = decode_cursor(cursor, hash_attribute="org_id", hash_value=org_id)
    condition = ReviewItem.review_key.startswith(f"{customer_id}#") if customer_id else None
    results = ReviewItem.query(org_id, condition, limit=limit, last_evaluated_key=start, scan_index_forward=False)
    return collect(results, lambda item: from_item(Review, item), limit)
