"""Send an email to the organization: a customer's contact writes to the merchant's primary
address from the portal; the merchant answers by replying (Reply-To is the contact)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...domain.customers import Customer
from ...domain.engagement import ActivityRecord, contact_actor
from ...domain.errors import Unauthenticated
from ...domain.ids import new_id
from ...domain.organization import Organization
from ...tables.base import owner_key
from ..access import rate_limiting
from . import outbox as mail


@dataclass(frozen=True)
class MessageSent:
    message_id: str
    sent_to: str
    email_status: str            # queued: the outbox job sends it


def message_organization(adapters, org: Organization, customer: Customer, contact_id: str, *, subject: str,
                         message: str, now: datetime) -> MessageSent:
    """`org` and `customer` as the session check read them: only their names and addresses are used."""
    org_id, customer_id = org.org_id, customer.customer_id
    contact = customer.contact(contact_id)
    if contact is None:
        raise Unauthenticated("Sign in again.")
    rate_limiting.hit(adapters, "message_to_org_customer", owner_key(org_id, customer_id), now, what="messages")
    record = mail.queue(adapters, org_id, "message_to_organization", {
        "org_name": org.name, "customer_name": customer.display_name, "customer_id": customer.customer_id,
        "contact_email": contact.email, "subject": subject, "message": message},
        [org.email], now=now, customer_id=customer_id, reply_to=contact.email)
    message_id = new_id("message", now)
    adapters.uow.activity.record(org_id, ActivityRecord(
        activity_id=new_id("activity", now), customer_id=customer_id, actor=contact_actor(customer, contact_id),
        action="message.sent", subject_type="message", subject_id=message_id, at=now, summary=subject))
    return MessageSent(message_id, org.email, record.status)
