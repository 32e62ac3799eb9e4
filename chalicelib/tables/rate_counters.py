"""Fixed-window counters for rate limits (sign-in, password reset, outgoing email), and the
failed sign-ins of each login ("sign_in_failures#org#email", whether or not it has an account)."""
from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import table


@table("rate_counters", deletable=True)   # a successful sign-in clears its failures
class RateCounterItem(Model):
    class Meta:
        pass

    counter_key = UnicodeAttribute(hash_key=True)
    # not `count`: that would hide PynamoDB's Model.count()
    events = NumberAttribute(default=0)
    expires_at = TTLAttribute()
    # sign-in failures only: when the last one happened and until when the login is locked
    last_failure_at = UTCDateTimeAttribute(null=True)
    locked_until = UTCDateTimeAttribute(null=True)
