"""The email outbox, for the whole app: every email is recorded first and sent after.

A request only records its email (`queue`, or `new_record` within the request's own transaction),
due at once: the outbox job (`retry_due`, every minute) sends it, so no request waits for SES.
Scheduled jobs, which nobody waits for, may `send` at once. When SES fails, the email stays queued with a time to retry (the `due` index), and the action
that wanted it still succeeds: `retry_due` (a scheduled job) sends it later.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from ... import logs, metrics
from ...domain.ids import new_id
from ...gateways.email import Attachment, EmailDeliveryFailed, OutgoingEmail
from ...gateways.email_templates import render_email
from ...tables.emails import EmailRecord

log = logs.logger("portico.mail")

# A send in progress holds its email this long; if the sender dies, a retry picks it up after.
SEND_LEASE = timedelta(minutes=5)
# Wait after the n-th failed attempt; after the last one, the email is given up (status failed).
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
                timedelta(hours=4))

AttachmentRenderer = Callable[..., Attachment]   # render(adapters, org_id, attachment_spec)
_attachment_renderers: dict[str, AttachmentRenderer] = {}


def register_attachment(kind: str, render: AttachmentRenderer) -> None:
    """Teach the outbox to build attachments of `kind` (e.g. an invoice PDF) from their ids:
    `render(adapters, org_id, attachment_spec)`. Only the spec is stored, never the bytes."""
    _attachment_renderers[kind] = render


def send(adapters, org_id: str, template: str, context: Mapping[str, object], to: Sequence[str], *, now: datetime,
         customer_id: str | None = None, attachment: dict | None = None,
         reply_to: str | None = None) -> EmailRecord:
    """Record the email, then send it (for scheduled jobs; a request `queue`s). Never raises for
    SES trouble: the email stays queued. Due only after SEND_LEASE, so the outbox job does not
    send it too meanwhile."""
    record = queue(adapters, org_id, template, context, to, now=now, customer_id=customer_id, attachment=attachment,
                   reply_to=reply_to, send_after=now + SEND_LEASE)
    return deliver(adapters, record, now)


def queue(adapters, org_id: str, template: str, context: Mapping[str, object], to: Sequence[str], *, now: datetime,
          customer_id: str | None = None, attachment: dict | None = None, reply_to: str | None = None,
          send_after: datetime | None = None) -> EmailRecord:
    """Record the email without sending it; `retry_due` (the outbox job) sends it once
    `send_after` has come (by default at once)."""
    record = new_record(org_id, template, context, to, now=now, customer_id=customer_id,
                        attachment=attachment, reply_to=reply_to, send_after=send_after)
    adapters.uow.emails.add(record)
    return record


def new_record(org_id: str, template: str, context: Mapping[str, object], to: Sequence[str], *,
               now: datetime, customer_id: str | None = None, attachment: dict | None = None,
               reply_to: str | None = None, send_after: datetime | None = None) -> EmailRecord:
    """An email ready to record (alone, or within the caller's transaction: `emails.put_in`),
    due at `send_after` (by default at once).

    The template is rendered once here so that a missing or malformed value fails the caller
    at once rather than a retry later."""
    if not to:
        raise ValueError("an email needs at least one recipient")
    stored = {key: _storable(value) for key, value in context.items()}
    render_email(template, stored)
    return EmailRecord(org_id=org_id, email_id=new_id("email", now), template=template, to=tuple(to),
                       context=stored, created_at=now, customer_id=customer_id, reply_to=reply_to,
                       attachment=attachment, due_at=send_after or now)


def deliver(adapters, record: EmailRecord, now: datetime) -> EmailRecord:
    """Send a recorded email; on failure leave it queued for a retry (or give up after the last)."""
    delivered, actions = _send(adapters, record, now)
    adapters.uow.emails.mark(delivered, actions)
    return delivered


def _send(adapters, record: EmailRecord, now: datetime) -> tuple[EmailRecord, list]:
    try:
        message_id = adapters.mailer.send(_outgoing(adapters, record))
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the email stays recorded
        if not isinstance(error, EmailDeliveryFailed):
            log.exception("email %s could not be built", record.email_id)
        retry_at = next_attempt_at(record.attempts + 1, now)
        log.warning("email %s (%s) not sent, attempt %d: %s", record.email_id, record.template,
                    record.attempts + 1, error)
        metrics.count("EmailsFailed", template=record.template, given_up=retry_at is None)
        failed = replace(record, attempts=record.attempts + 1, last_error=str(error),
                         status="queued" if retry_at else "failed", due_at=retry_at)
        return failed, adapters.uow.emails.failed_attempt_actions(error=f"{type(error).__name__}: {error}",
                                                                  retry_at=retry_at)
    sent = replace(record, status="sent", attempts=record.attempts + 1, message_id=message_id, sent_at=now,
                   due_at=None)
    return sent, adapters.uow.emails.sent_actions(message_id=message_id, now=now)


def retry_due(adapters, now: datetime, limit: int = 25) -> int:
    """Send queued emails whose time has come (for a scheduled job); answers how many were sent.

    Each is claimed first, so overlapping runs do not send one email twice."""
    sent = 0
    for record in adapters.uow.emails.due(now, limit=limit):
        if not adapters.uow.emails.claim(record, until=now + SEND_LEASE):
            continue
        sent += deliver(adapters, record, now).status == "sent"
    return sent


def next_attempt_at(failed_attempts: int, now: datetime) -> datetime | None:
    """When to try again after `failed_attempts` failures; None once every retry is spent."""
    if failed_attempts > len(RETRY_DELAYS):
        return None
    return now + RETRY_DELAYS[failed_attempts - 1]


def _outgoing(adapters, record: EmailRecord) -> OutgoingEmail:
    subject, html, text = render_email(record.template, record.context)
    attachments = ()
    if record.attachment:
        render = _attachment_renderers[record.attachment["kind"]]
        attachments = (render(adapters, record.org_id, record.attachment),)
    return OutgoingEmail(to=record.to, subject=subject, html=html, text=text, reply_to=record.reply_to,
                         attachments=attachments)


def _storable(value: object) -> object:
    """Template values as text (or lists of text), so they read back from DynamoDB unchanged."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [_storable(item) for item in value]
    return str(value)
