"""The per-customer audit timeline; append-only."""
from pynamodb.attributes import MapAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import OwnedByCustomer, table


@table("activity")
class ActivityItem(OwnedByCustomer, Model):
    class Meta:
        pass

    activity_id = UnicodeAttribute(range_key=True)   # time-sortable: the timeline's order
    actor = MapAttribute()
    action = UnicodeAttribute()
    subject_type = UnicodeAttribute()
    subject_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    summary = UnicodeAttribute(default="")
    before = MapAttribute(default=dict)
    after = MapAttribute(default=dict)
