"""The merchant's notifications (payments received, reviews, approvals, messages)."""
from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import table


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
