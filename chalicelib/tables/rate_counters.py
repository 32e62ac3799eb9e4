"""Fixed-window counters for rate limits (sign-in, password reset, outgoing email)."""
from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from .base import table


@table("rate_counters")
class RateCounterItem(Model):
    class Meta:
        pass

    counter_key = UnicodeAttribute(hash_key=True)
    count = NumberAttribute(default=0)
    expires_at = TTLAttribute()
