"""The per-customer audit timeline; append-only."""
from __future__ import annotations

from pynamodb.attributes import MapAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from ..domain.engagement import ActivityRecord
from .base import OwnedByCustomer, owner_key, table
from .mapping import from_raw, to_item
from .pages import ListScope, Page, collect
from .transactions import Transaction


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


class Activity:
    """Each customer's activity timeline."""

    def record(self, org_id: str, record: ActivityRecord, tx: Transaction | None = None) -> None:
        """Add `record` to the timeline, alone or within the caller's transaction."""
        item = to_item(ActivityItem, record, owner=owner_key(org_id, record.customer_id), org_id=org_id)
        if tx is None:
            item.save()
        else:
            tx.save(item)

    def page(self, org_id: str, customer_id: str, *, limit: int, cursor: str | None) -> Page[ActivityRecord]:
        """The customer's timeline, newest first."""
        owner = owner_key(org_id, customer_id)
        scope = ListScope("activity", "owner", owner)
        start = scope.start(cursor)
        results = ActivityItem.query(owner, limit=limit, last_evaluated_key=start, scan_index_forward=False)
        return collect(results, lambda raw: from_raw(ActivityRecord, ActivityItem, raw), limit, scope)
