"""Forward documents: the customer's primary contact emails an invoice or an estimate (its PDF
attached) to contact persons of the same customer. The merchant can turn this off
(`forward_documents`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...domain.customers import Contact, Customer
from ...domain.engagement import ActivityRecord, contact_actor
from ...domain.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from ...domain.ids import new_id
from ...tables.base import owner_key
from ..access import rate_limiting
from ..accounts import outbox as mail
from . import pdfs as documents


@dataclass(frozen=True)
class Forwarded:
    document_id: str
    number: str
    sent_to: list[str]
    email_status: str            # queued: the outbox job sends it


def forward_invoice(adapters, org_id: str, customer_id: str, contact_id: str, invoice_id: str, *,
                    contact_ids: list[str], subject: str | None, body: str | None, now: datetime) -> Forwarded:
    return _forward(adapters, org_id, customer_id, contact_id, "invoice", invoice_id, contact_ids, subject, body, now)


def forward_estimate(adapters, org_id: str, customer_id: str, contact_id: str, estimate_id: str, *,
                     contact_ids: list[str], subject: str | None, body: str | None, now: datetime) -> Forwarded:
    return _forward(adapters, org_id, customer_id, contact_id, "estimate", estimate_id, contact_ids, subject, body, now)


_KINDS = {   # kind: (its repository in the unit of work, its attachment, its title)
    "invoice": ("invoices", documents.invoice_attachment, "Invoice"),
    "estimate": ("estimates", documents.estimate_attachment, "Estimate"),
}


def _read(adapters, org_id: str, customer_id: str, kind: str, document_id: str):
    """The organization (forwarding allowed?), the customer and the document, in one BatchGetItem;
    a document that is missing or not theirs is NotFound, unless forwarding is off (403 first)."""
    try:
        found = getattr(adapters.uow, _KINDS[kind][0]).with_parties(org_id, customer_id, document_id)
    except NotFound:
        adapters.uow.organizations.preferences(org_id).require("forward_documents")
        raise
    found.org.preferences.require("forward_documents")
    return found.org, found.customer, found.document


def _forward(adapters, org_id: str, customer_id: str, contact_id: str, kind: str, document_id: str,
             contact_ids: list[str], subject: str | None, body: str | None, now: datetime) -> Forwarded:
    org, customer, document = _read(adapters, org_id, customer_id, kind, document_id)
    sender = _primary_sender(customer, contact_id)
    _, attachment_of, title = _KINDS[kind]
    recipients = _recipients(customer, contact_ids)
    rate_limiting.hit(adapters, "forward_document_customer", owner_key(org_id, customer_id), now,
                      what="forwarded documents")
    label = f"{title} {document.number}"
    record = mail.queue(adapters, org_id, "forward_document", {
        "org_name": org.name, "subject": subject or f"{label} from {org.name}",
        "body": body or f"Hello,\n\nplease find {label} from {org.name} attached.\n\n{sender.name}",
        "document_number": label, "sender_name": sender.name},
        [r.email for r in recipients], now=now, customer_id=customer_id, reply_to=sender.email,
        attachment=attachment_of(document_id, customer_id))
    adapters.uow.activity.record(org_id, ActivityRecord(
        activity_id=new_id("activity", now), customer_id=customer_id, actor=contact_actor(customer, contact_id),
        action=f"{kind}.forwarded", subject_type=kind, subject_id=document_id, at=now,
        summary=f"{label} to {', '.join(r.name or r.email for r in recipients)}"))
    return Forwarded(document_id, document.number, [r.email for r in recipients], record.status)


def _primary_sender(customer: Customer, contact_id: str) -> Contact:
    """Only the primary contact forwards documents, as the customer's contacts stand now."""
    contact = customer.contact(contact_id)
    if contact is None:
        raise Unauthenticated("Sign in again.")
    if not contact.is_primary:
        raise Forbidden("Only the primary contact of your account can forward documents.",
                        {"rule": "primary_contact_only"})
    return contact


def _recipients(customer: Customer, contact_ids: list[str]) -> list[Contact]:
    chosen: dict[str, Contact] = {}
    for index, wanted in enumerate(contact_ids):
        contact = customer.contact(wanted)
        if contact is None:
            raise InvalidInput({f"contact_ids.{index}": "Not a contact person of your account."},
                               codes={f"contact_ids.{index}": "not_your_contact"})
        if contact.email_unconfirmed:   # typed in by the owner: text of theirs to anyone
            raise InvalidInput({f"contact_ids.{index}": "This address receives documents once its invitation is "
                                                        "accepted."},
                               codes={f"contact_ids.{index}": "address_unconfirmed"})
        chosen[contact.contact_id] = contact
    if not chosen:
        raise InvalidInput({"contact_ids": "Choose at least one contact person."}, codes={"contact_ids": "choose_contacts"})
    return list(chosen.values())
