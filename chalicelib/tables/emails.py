"""Outgoing email, the outbox: every message is recorded first and sent after, so an SES failure
loses nothing; it stays queued (found through the sparse `queue` index, which a job retries) until
SES has accepted it. The queue is in the order emails fall due and, for emails due at the same
instant (a request's several emails), in the order they were queued: its key is the due time then
the email's id, and ids made at one instant keep the order they were made in (domain/ids.py).

No message at rest carries a live token: an email with a one-time link stores what the link is for
(`link`: purpose and account), and the token is made, and only its hash stored, as the email is
sent. Every email expires (`expires_at`, DynamoDB TTL) RETENTION after it was sent or given up."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

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


class EmailQueue(GlobalSecondaryIndex):
    class Meta:
        index_name = "queue"
        projection = AllProjection()

    due_partition = UnicodeAttribute(hash_key=True)
    queue_key = UnicodeAttribute(range_key=True)   # due_at#email_id


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
    queue_key = UnicodeAttribute(null=True)  # due_at#email_id, only while queued
    expires_at = TTLAttribute(null=True)     # RETENTION after it left the queue

    queue = EmailQueue()


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
                *_dequeued(), E.last_error.remove(), E.expires_at.set(now + RETENTION)]

    def dropped_actions(self, *, now: datetime) -> list:
        """Its link had no one to go to (no such account, an address taken): nothing is sent."""
        return [E.status.set("dropped"), *_dequeued(), E.expires_at.set(now + RETENTION)]

    def failed_attempt_actions(self, record: EmailRecord, *, error: str, retry_at: datetime | None,
                               now: datetime) -> list:
        """One more failed attempt; `retry_at` None gives up (status failed, out of the queue)."""
        actions = [E.attempts.add(1), E.last_error.set(error[:500])]
        if retry_at is None:
            actions += [E.status.set("failed"), *_dequeued(), E.expires_at.set(now + RETENTION)]
        else:
            actions += _due(record, retry_at)
        return actions

    def due(self, now: datetime, *, limit: int) -> list[EmailRecord]:
        """Queued emails whose time has come, in the order they fall due and, due together, in the
        order they were queued (a Query, never a Scan)."""
        items = E.queue.query(DUE_PARTITION, E.queue_key < _queue_key_after(now), limit=limit)
        return [_record(item) for item in items]

    def claim(self, record: EmailRecord, *, until: datetime) -> bool:
        """Take a due email for one sender: moves its due time to `until` if nobody else did first,
        so overlapping runs of the retry job never send it twice at once."""
        try:
            E(record.org_id, record.email_id).update(
                actions=_due(record, until),
                condition=(E.status == "queued") & (E.due_at == record.due_at))
        except UpdateError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def get(self, org_id: str, email_id: str) -> EmailRecord:
        return _record(E.get(org_id, email_id, consistent_read=True))


def _queue_key(due_at: datetime, email_id: str) -> str:
    return f"{_instant(due_at)}#{email_id}"


def _queue_key_after(now: datetime) -> str:
    """Sorts after the key of every email due at or before `now` ('$' follows '#')."""
    return f"{_instant(now)}$"


def _instant(at: datetime) -> str:
    """Fixed width, in UTC: the text sorts as the instants do."""
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _due(record: EmailRecord, at: datetime) -> list:
    return [E.due_at.set(at), E.queue_key.set(_queue_key(at, record.email_id))]


def _dequeued() -> list:
    return [E.due_partition.remove(), E.due_at.remove(), E.queue_key.remove()]


def _item(record: EmailRecord) -> EmailItem:
    queued = record.due_at is not None
    return E(record.org_id, record.email_id, template=record.template, to=list(record.to),
             context=record.context, attachment=record.attachment, link=record.link, customer_id=record.customer_id,
             reply_to=record.reply_to, status=record.status, attempts=record.attempts,
             created_at=record.created_at, due_partition=DUE_PARTITION if queued else None,
             due_at=record.due_at, queue_key=_queue_key(record.due_at, record.email_id) if queued else None)


def _record(item: EmailItem) -> EmailRecord:
    return EmailRecord(
        org_id=item.org_id, email_id=item.email_id, template=item.template, to=tuple(item.to),
        context=item.context.as_dict() if item.context is not None else {}, created_at=item.created_at,
        status=item.status, attempts=int(item.attempts), customer_id=item.customer_id,
        reply_to=item.reply_to, attachment=item.attachment.as_dict() if item.attachment else None,
        link=item.link.as_dict() if item.link else None,
        message_id=item.message_id, last_error=item.last_error, sent_at=item.sent_at, due_at=item.due_at)
