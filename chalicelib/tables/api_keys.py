"""Merchant API keys, stored only as a hash of the key."""
from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import table


@table("api_keys")
class ApiKeyItem(Model):
    class Meta:
        pass

    key_hash = UnicodeAttribute(hash_key=True)
    key_id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    name = UnicodeAttribute(default="")
    hint = UnicodeAttribute()            # the key's last four characters, to tell keys apart
    created_at = UTCDateTimeAttribute()
    revoked_at = UTCDateTimeAttribute(null=True)
