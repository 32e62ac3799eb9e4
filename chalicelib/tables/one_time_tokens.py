"""Single-use tokens for invitations and password resets, stored by hash, with TTL."""
from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import table


@table("one_time_tokens")
class OneTimeTokenItem(Model):
    class Meta:
        pass

    token_hash = UnicodeAttribute(hash_key=True)
    purpose = UnicodeAttribute()                      # invite | reset
    login = UnicodeAttribute()
    org_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    used_at = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute()
