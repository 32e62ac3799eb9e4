"""The email outbox, for the whole app: every email is recorded first and sent after.

A request only records its email (`queue`, or `new_record` within the request's own transaction),
due at once: the outbox job (`retry_due`, every minute) sends it, so no request waits for SES.
Scheduled jobs, which nobody waits for, may `send` at once. When SES fails, the email stays queued with a time to retry (the `due` index), and the action
that wanted it still succeeds: `retry_due` (a scheduled job) sends it later.

An email is written in its reader's language: a request that writes money or days into it records
the `locale` it wrote them in; any other is given its reader's locale as it is sent (the contact
the email goes to, else the customer's primary contact, else the organization's), so a request
reads no more to send a word.

An email with a one-time link is recorded with what the link is for (`link`), never the token:
the token is made as the email is sent (access/mailed_links.py), and whether anyone is there to
receive it (an account to reset, an address free to take) is decided then too. The request that
queued it did the same work either way.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING
from datetime import datetime, timedelta

from ... import logs, metrics
from ...domain.ids import new_id
from ...gateways.email import Attachment, EmailDeliveryFailed, OutgoingEmail
from ...domain import locales
from ...domain.errors import NotFound
from ...domain.organization import Organization
from ...gateways.email_templates import MERCHANT_TEMPLATES, check_context, render_email
from ...tables.emails import QUEUED_TOGETHER, EmailRecord

if TYPE_CHECKING:
    from ..access.mailed_links import MadeLink

log = logs.logger("portico.mail")

# A send in progress holds its email this long; if the sender dies, a retry picks it up after.
SEND_LEASE = timedelta(minutes=5)
# What a link renders as when a template is checked at recording (the real one is made at sending).
LINK_PLACEHOLDER = "https://portal.invalid/#/link"
# Wait after the n-th failed attempt; after the last one, the email is given up (status failed).
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
                timedelta(hours=4))

# How many emails of one instant this process remembers having queued (see `_in_queue_order`).
_INSTANTS_KEPT = 256
_queued_at: OrderedDict[datetime, int] = OrderedDict()
_queued_at_lock = threading.Lock()
_ONE_MICROSECOND = timedelta(microseconds=1)

AttachmentRenderer = Callable[..., Attachment]   # render(adapters, org_id, attachment_spec)
_attachment_renderers: dict[str, AttachmentRenderer] = {}


def register_attachment(kind: str, render: AttachmentRenderer) -> None:
    """Teach the outbox to build attachments of `kind` (e.g. an invoice PDF) from their ids:
    `render(adapters, org_id, attachment_spec)`. Only the spec is stored, never the bytes."""
    _attachment_renderers[kind] = render


def send(adapters, org_id: str, template: str, context: Mapping[str, object], to: Sequence[str], *, now: datetime,
         customer_id: str | None = None, attachment: dict | None = None,
         reply_to: str | None = None, link: dict | None = None) -> EmailRecord:
    """Record the email, then send it (for scheduled jobs; a request `queue`s). Never raises for
    SES trouble: the email stays queued. Due only after SEND_LEASE, so the outbox job does not
    send it too meanwhile."""
    record = queue(adapters, org_id, template, context, to, now=now, customer_id=customer_id, attachment=attachment,
                   reply_to=reply_to, send_after=now + SEND_LEASE, link=link)
    return deliver(adapters, record, now)


def queue(adapters, org_id: str, template: str, context: Mapping[str, object], to: Sequence[str], *, now: datetime,
          customer_id: str | None = None, attachment: dict | None = None, reply_to: str | None = None,
          send_after: datetime | None = None, link: dict | None = None) -> EmailRecord:
    """Record the email without sending it; `retry_due` (the outbox job) sends it once
    `send_after` has come (by default at once)."""
    record = new_record(org_id, template, context, to, now=now, customer_id=customer_id,
                        attachment=attachment, reply_to=reply_to, send_after=send_after, link=link)
    adapters.uow.emails.add(record)
    return record


def new_record(org_id: str, template: str, context: Mapping[str, object], to: Sequence[str], *,
               now: datetime, customer_id: str | None = None, attachment: dict | None = None,
               reply_to: str | None = None, send_after: datetime | None = None,
               link: dict | None = None, render_check: bool = True) -> EmailRecord:
    """An email ready to record (alone, or within the caller's transaction: `emails.put_in`),
    due at `send_after` (by default at once). `link`: the one-time link to make as it is sent
    (`mailed_links.link_for`).

    The template is rendered once here so that a missing or malformed value fails the caller
    at once rather than a retry later. A caller whose context is written by code from typed values
    alone, on a request's path (a payment's receipt and notice: `render_check=False`), has only the
    template's keys checked here; its tests render what it records, and the outbox job renders it."""
    if not to:
        raise ValueError("an email needs at least one recipient")
    stored = {key: _storable(value) for key, value in context.items()}
    (render_email if render_check else check_context)(
        template, {**stored, "link": LINK_PLACEHOLDER} if link else stored)
    return EmailRecord(org_id=org_id, email_id=new_id("email", now), template=template, to=tuple(to),
                       context=stored, created_at=now, customer_id=customer_id, reply_to=reply_to,
                       attachment=attachment, link=link, due_at=_in_queue_order(send_after or now))


def _in_queue_order(due_at: datetime) -> datetime:
    """`due_at`, a microsecond later for each email queued before at that same instant: the outbox's
    index orders by due time alone, so a request's emails (an invoice's, then its receipt) go out in
    the order queued (a sort key of their own would mean a new index, and mail queued before it unseen)."""
    with _queued_at_lock:
        earlier = _queued_at.pop(due_at, 0)
        _queued_at[due_at] = earlier + 1
        if len(_queued_at) > _INSTANTS_KEPT:
            _queued_at.popitem(last=False)
    return due_at + min(earlier * _ONE_MICROSECOND, QUEUED_TOGETHER - _ONE_MICROSECOND)


def deliver(adapters, record: EmailRecord, now: datetime, *, link: MadeLink | None = None,
            org: Organization | None = None) -> EmailRecord:
    """Send a recorded email; on failure leave it queued for a retry (or give up after the last).
    `link`: its one-time link, made by the caller with the token stored (else made now); `org`: its
    organization, when the caller has read it (else read now)."""
    outcome = _send(adapters, record, now, link, org)
    adapters.uow.emails.mark(*outcome)
    return outcome[0]


def _send(adapters, record: EmailRecord, now: datetime, link: MadeLink | None = None,
          org: Organization | None = None) -> tuple[EmailRecord, list]:
    try:
        outgoing = _outgoing(adapters, record, now, link, org)
        if outgoing is None:
            return (replace(record, status="dropped", due_at=None),
                    adapters.uow.emails.dropped_actions(now=now))
        message_id = adapters.mailer.send(outgoing)
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
                                                                  retry_at=retry_at, now=now)
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


def _outgoing(adapters, record: EmailRecord, now: datetime, made: MadeLink | None,
              org: Organization | None) -> OutgoingEmail | None:
    """The message to send; None when its link has no one to go to."""
    to, context = record.to, record.context
    if record.link:
        if made is None:
            from ..access.mailed_links import make_link
            made = make_link(adapters, record.org_id, record.link, now, customer_id=record.customer_id, to=record.to,
                             asked_at=record.created_at)
        if made is None:
            return None
        to, context = (made.recipient,), {**context, "link": made.url}
    org = org or _organization(adapters, record.org_id)
    if not context.get("locale") and record.template not in MERCHANT_TEMPLATES:
        context = {**context, "locale": reader_locale(adapters, org, record, to)}
    if org is not None and org.logo:
        context = {**context, "logo_url": adapters.settings.portal_base_url + org.logo_path}
    subject, html, text = render_email(record.template, context)
    attachments = ()
    if record.attachment:
        render = _attachment_renderers[record.attachment["kind"]]
        attachments = (render(adapters, record.org_id, record.attachment),)
    return OutgoingEmail(to=to, subject=subject, html=html, text=text, reply_to=record.reply_to,
                         attachments=attachments)


def _organization(adapters, org_id: str) -> Organization | None:
    try:
        return adapters.uow.organizations.get(org_id)
    except NotFound:
        return None


def reader_locale(adapters, org: Organization | None, record: EmailRecord, to: Sequence[str]) -> str:
    """The locale of whom the email goes to: the customer's contact with that address (else the
    primary contact), else the organization's; the customer found from the email's account link
    when the email names none (a password reset)."""
    from ..access.mailed_links import customer_of_link
    from .languages import locale_of
    if org is None:
        return locales.DEFAULT_LOCALE
    customer_id = record.customer_id or (customer_of_link(adapters, record.link) if record.link else None)
    if not customer_id:
        return locales.preferred(org.locale)
    try:
        customer = adapters.uow.customers.get(record.org_id, customer_id)
    except NotFound:
        return locales.preferred(org.locale)
    addressed = {address.strip().lower() for address in to}
    contact = next((c for c in customer.contacts if c.email.strip().lower() in addressed), None)
    return locale_of(org, customer, contact.contact_id if contact else None)


def _storable(value: object) -> object:
    """Template values as text (or lists of text), so they read back from DynamoDB unchanged."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [_storable(item) for item in value]
    return str(value)
