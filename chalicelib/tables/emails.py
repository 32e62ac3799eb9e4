"""Outgoing email, the outbox: every message is recorded first and sent after, so an SES failure
loses nothing; it stays queued (found through the sparse `due` index, which a job retries) until
SES has accepted it. The queue is in the order emails fall due: a request's several emails are each
due a microsecond after the one queued before it at that instant (services/accounts/outbox.py), and
an email is due as soon as the millisecond it fell due in has begun (QUEUED_TOGETHER).

No message at rest carries a live token: an email with a one-time link stores what the link is for
(`link`: purpose and account), and the token is made, and only its hash stored, as the email is
sent. Every email expires (`expires_at`, DynamoDB TTL) RETENTION after it was sent or given up."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.attributes import (ListAttribute, MapAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute,
                                 UTCDateTimeAttribute)
from pynamodb.exceptions import UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .base import table
from .transactions import Transaction, condition_failed

DUE_PARTITION = "emails#0"   # one shard: queued mail is rare, and a Query reads it in order
# How long an email is kept once sent, given up or dropped: long enough to answer "did you send
# it?" for a billing cycle, and no longer than the personal data in it is needed.
RETENTION = timedelta(days=30)
# Emails queued at one instant are due within this of it, a microsecond apart, in the order queued.
QUEUED_TOGETHER = timedelta(milliseconds=1)


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
    link = MapAttribute(null=True)           # the one-time link to make at sending (purpose, login), no token
    customer_id = UnicodeAttribute(null=True)
    reply_to = UnicodeAttribute(null=True)
    status = UnicodeAttribute()              # queued | sent | failed | dropped
    attempts = NumberAttribute(default=0)
    message_id = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    due_partition = UnicodeAttribute(null=True)
    due_at = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute(null=True)     # RETENTION after it left the queue

    due = EmailsDue()


E = EmailItem


@dataclass(frozen=True)
class EmailRecord:
    org_id: str
    email_id: str
    template: str
    to: tuple[str, ...]
    context: dict
    created_at: datetime
    status: str = "queued"                 # queued | sent | failed | dropped (its link had no one to go to)
    attempts: int = 0
    customer_id: str | None = None
    reply_to: str | None = None
    attachment: dict | None = None         # what to render (kind + ids), not the bytes
    link: dict | None = None               # the one-time link made at sending: purpose, login (never a token)
    message_id: str | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    due_at: datetime | None = None         # when a retry may pick it up (queued only)


class Emails:
    """The outbox of every organization."""

    def add(self, record: EmailRecord) -> None:
        _item(record).save(condition=E.email_id.does_not_exist())

    def put_in(self, tx: Transaction, record: EmailRecord) -> None:
        """Record an email within the caller's transaction (with what it tells of)."""
        tx.save(_item(record))

    def mark(self, record: EmailRecord, actions: list) -> None:
        """Note an attempt's outcome: `sent_actions` or `failed_attempt_actions`."""
        E(record.org_id, record.email_id).update(actions=actions)

    def sent_actions(self, *, message_id: str, now: datetime) -> list:
        return [E.status.set("sent"), E.message_id.set(message_id), E.sent_at.set(now), E.attempts.add(1),
                E.due_partition.remove(), E.due_at.remove(), E.last_error.remove(),
                E.expires_at.set(now + RETENTION)]

    def dropped_actions(self, *, now: datetime) -> list:
        """Its link had no one to go to (no such account, an address taken): nothing is sent."""
        return [E.status.set("dropped"), E.due_partition.remove(), E.due_at.remove(),
                E.expires_at.set(now + RETENTION)]

    def failed_attempt_actions(self, *, error: str, retry_at: datetime | None, now: datetime) -> list:
        """One more failed attempt; `retry_at` None gives up (status failed, out of the due index)."""
        actions = [E.attempts.add(1), E.last_error.set(error[:500])]
        if retry_at is None:
            actions += [E.status.set("failed"), E.due_partition.remove(), E.due_at.remove(),
                        E.expires_at.set(now + RETENTION)]
        else:
            actions += [E.due_at.set(retry_at)]
        return actions

    def due(self, now: datetime, *, limit: int) -> list[EmailRecord]:
        """Queued emails whose time has come, in the order they fall due (a Query, never a Scan)."""
        items = E.due.query(DUE_PARTITION, E.due_at < now + QUEUED_TOGETHER, limit=limit)
        return [_record(item) for item in items]

    def claim(self, record: EmailRecord, *, until: datetime) -> bool:
        """Take a due email for one sender: moves its due time to `until` if nobody else did first,
        so overlapping runs of the retry job never send it twice at once."""
        try:
            E(record.org_id, record.email_id).update(
                actions=[E.due_at.set(until)],
                condition=(E.status == "queued") & (E.due_at == record.due_at))
        except UpdateError as error:
            if condition_failed(error):
                return False
            raise
        return True


def _item(record: EmailRecord) -> EmailItem:
    return E(record.org_id, record.email_id, template=record.template, to=list(record.to),
             context=record.context, attachment=record.attachment, link=record.link, customer_id=record.customer_id,
             reply_to=record.reply_to, status=record.status, attempts=record.attempts,
             created_at=record.created_at, due_partition=DUE_PARTITION if record.due_at else None,
             due_at=record.due_at)


def _record(item: EmailItem) -> EmailRecord:
    return EmailRecord(
        org_id=item.org_id, email_id=item.email_id, template=item.template, to=tuple(item.to),
        context=item.context.as_dict() if item.context is not None else {}, created_at=item.created_at,
        status=item.status, attempts=int(item.attempts), customer_id=item.customer_id,
        reply_to=item.reply_to, attachment=item.attachment.as_dict() if item.attachment else None,
        link=item.link.as_dict() if item.link else None,
        message_id=item.message_id, last_error=item.last_error, sent_at=item.sent_at, due_at=item.due_at)
