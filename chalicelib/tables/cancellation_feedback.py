"""What the cancel flow heard: each cancellation's reason and comment, and each retention offer's
answer, per organization in time order (`feedback_key` = at#subscription_id#kind#version, the
version of the subscription it was given on: one answer per version), so the merchant's counts
over a range of days are one Query on the key."""
from __future__ import annotations

from datetime import datetime, timezone

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from ..domain.cancellation_feedback import CancellationFeedback
from .base import table
from .mapping import from_item, to_item
from .transactions import Transaction


@table("cancellation_feedback")
class CancellationFeedbackItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    feedback_key = UnicodeAttribute(range_key=True)
    subscription_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    reason = UnicodeAttribute(null=True)
    comment = UnicodeAttribute(null=True)
    offer = UnicodeAttribute(null=True)


class CancellationFeedbackLog:
    """Each organization's cancellation feedback, oldest first."""

    def add_in(self, tx: Transaction, org_id: str, feedback: CancellationFeedback, version: int | None) -> None:
        """Keep `feedback`, given on `version` of its subscription, in the caller's transaction (the
        subscription's, written on that version); never written twice."""
        tx.save(_item(org_id, feedback, version), condition=CancellationFeedbackItem.feedback_key.does_not_exist())

    def between(self, org_id: str, start: datetime, end: datetime) -> list[CancellationFeedback]:
        """Everything from the instant `start` up to (not including) `end`: one Query, every page."""
        results = CancellationFeedbackItem.query(
            org_id, CancellationFeedbackItem.feedback_key.between(_sortable(start), _sortable(end)))
        return [from_item(CancellationFeedback, item) for item in results]


def _item(org_id: str, feedback: CancellationFeedback, version: int | None) -> CancellationFeedbackItem:
    key = f"{_sortable(feedback.at)}#{feedback.subscription_id}#{feedback.kind}#{version or 0}"
    return to_item(CancellationFeedbackItem, feedback, org_id=org_id, feedback_key=key)


def _sortable(at: datetime) -> str:
    """Fixed-width UTC text: sorts as time does. A key at `end` itself ("<end>#...") sorts after it."""
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
