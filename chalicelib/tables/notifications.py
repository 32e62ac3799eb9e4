"""The merchant's notifications (payments received, reviews, approvals, messages)."""
from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from ..domain.engagement import Notification
from .base import table
from .mapping import from_raw, to_item
from .pages import ListScope, Page, collect
from .transactions import Transaction


@table("notifications")
class NotificationItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    notification_id = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    headline = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    customer_id = UnicodeAttribute(null=True)
    subject_type = UnicodeAttribute(null=True)
    subject_id = UnicodeAttribute(null=True)


class Notifications:
    """Each organization's notifications for the merchant."""

    def add(self, org_id: str, notification: Notification, tx: Transaction | None = None) -> None:
        """Notify the merchant, alone or within the caller's transaction."""
        item = to_item(NotificationItem, notification, org_id=org_id)
        if tx is None:
            item.save()
        else:
            tx.save(item)

    def page(self, org_id: str, *, limit: int, cursor: str | None) -> Page[Notification]:
        """The organization's notifications, newest first."""
        scope = ListScope("notifications", "org_id", org_id)
        start = scope.start(cursor)
        results = NotificationItem.query(org_id, limit=limit, last_evaluated_key=start, scan_index_forward=False)
        return collect(results, lambda raw: from_raw(Notification, NotificationItem, raw), limit, scope)
