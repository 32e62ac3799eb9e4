"""Portal sessions, stored by the hash of their token; DynamoDB's TTL removes dead ones."""
from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import KeysOnlyProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .base import table


class SessionsByUser(GlobalSecondaryIndex):
    """Every session of a user, to end them all (password change)."""
    class Meta:
        index_name = "user"
        projection = KeysOnlyProjection()

    login = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


@table("sessions", deletable=True)   # signing out ends a session at once
class SessionItem(Model):
    class Meta:
        pass

    token_hash = UnicodeAttribute(hash_key=True)
    login = UnicodeAttribute()
    org_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    role = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    last_seen_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()

    by_user = SessionsByUser()
