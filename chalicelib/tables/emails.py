"""Outgoing email: every message is recorded first and sent after, so an SES failure
loses nothing (a job retries the queued ones through the sparse `due` index)."""
from pynamodb.attributes import (ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute,
                                 UTCDateTimeAttribute)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .base import table


class EmailsDue(GlobalSecondaryIndex):
    class Meta:
        index_name = "due"
        projection = AllProjection()

    due_partition = UnicodeAttribute(hash_key=True)
    due_at = UTCDateTimeAttribute(range_key=True)


@table("emails")
class EmailItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    email_id = UnicodeAttribute(range_key=True)
    template = UnicodeAttribute()
    to = ListAttribute(of=UnicodeAttribute)
    context = MapAttribute(default=dict)
    attachment = MapAttribute(null=True)     # what to render (kind + ids), not the bytes
    customer_id = UnicodeAttribute(null=True)
    reply_to = UnicodeAttribute(null=True)
    status = UnicodeAttribute()              # queued | sent | failed
    attempts = NumberAttribute(default=0)
    message_id = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    due_partition = UnicodeAttribute(null=True)
    due_at = UTCDateTimeAttribute(null=True)

    due = EmailsDue()
