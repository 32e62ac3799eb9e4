"""Stripe webhook events already processed: recorded in the same transaction as their effect, so an
event redelivered (or delivered twice at once) takes effect once."""
from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from .base import table
from .transactions import Transaction, condition_failed

# Stripe redelivers for up to three days; keep ids well beyond that.
KEEP_FOR = timedelta(days=30)


@table("webhook_events")
class WebhookEventItem(Model):
    class Meta:
        pass

    event_id = UnicodeAttribute(hash_key=True)
    type = UnicodeAttribute()
    processed_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


E = WebhookEventItem


class WebhookEvents:
    """The ids of the gateway's events already processed."""

    def record_in(self, tx: Transaction, event_id: str, event_type: str, now: datetime) -> None:
        """The transaction fails if the event was processed already."""
        tx.save(_item(event_id, event_type, now), condition=E.event_id.does_not_exist())

    def record(self, event_id: str, event_type: str, now: datetime) -> bool:
        """Record an event that changes nothing; False if it was processed already."""
        try:
            _item(event_id, event_type, now).save(condition=E.event_id.does_not_exist())
            return True
        except PutError as error:
            if condition_failed(error):
                return False
            raise

    def seen(self, event_id: str) -> bool:
        try:
            E.get(event_id, consistent_read=True)
            return True
        except DoesNotExist:
            return False


def _item(event_id: str, event_type: str, now: datetime) -> WebhookEventItem:
    return E(event_id, type=event_type, processed_at=now, expires_at=now + KEEP_FOR)
