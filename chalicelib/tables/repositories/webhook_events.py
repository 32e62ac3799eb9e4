"""Stripe events already processed: recorded in the same transaction as their effect, so an
event redelivered (or delivered twice at once) takes effect once."""
from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.transactions import TransactWrite

from ..transactions import condition_failed
from ..webhook_events import WebhookEventItem

E = WebhookEventItem
# Stripe redelivers for up to three days; keep ids well beyond that.
KEEP_FOR = timedelta(days=30)


def record_in(tx: TransactWrite, event_id: str, event_type: str, now: datetime) -> None:
    """The transaction fails if the event was processed already."""
    tx.save(_item(event_id, event_type, now), condition=E.event_id.does_not_exist())


def record(event_id: str, event_type: str, now: datetime) -> bool:
    """Record an event that changes nothing; False if it was processed already."""
    try:
        _item(event_id, event_type, now).save(condition=E.event_id.does_not_exist())
        return True
    except PutError as error:
        if condition_failed(error):
            return False
        raise


def seen(event_id: str) -> bool:
    try:
        E.get(event_id, consistent_read=True)
        return True
    except DoesNotExist:
        return False


def _item(event_id: str, event_type: str, now: datetime) -> E:
    return E(event_id, type=event_type, processed_at=now, expires_at=now + KEEP_FOR)
