"""Stripe webhook events already processed (written in the same transaction as the effect)."""
from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import table


@table("webhook_events")
class WebhookEventItem(Model):
    class Meta:
        pass

    event_id = UnicodeAttribute(hash_key=True)
    type = UnicodeAttribute()
    processed_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()
