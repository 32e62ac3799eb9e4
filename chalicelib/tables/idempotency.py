"""Idempotency records: the first answer to a request key is replayed to its retries."""
from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import table


@table("idempotency", deletable=True)   # a failed request frees its key; a settled payment its claims
class IdempotencyItem(Model):
    class Meta:
        pass

    idem_key = UnicodeAttribute(hash_key=True)        # org#customer#scope#client key
    request_hash = UnicodeAttribute()
    state = UnicodeAttribute()                        # in_progress | done
    status_code = NumberAttribute(null=True)
    response_json = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()
