"""The customer's own timeline: everything done to its account, by its contacts, the merchant
or a scheduled job, newest first. Each entry a contact made names them: by the name it recorded,
else (entries recorded without one) by the contact's name now."""
from __future__ import annotations

from dataclasses import replace

from ...domain.customers import Customer
from ...domain.engagement import ActivityRecord
from ...tables.pages import Page


def timeline(adapters, org_id: str, customer: Customer, *, limit: int, cursor: str | None) -> Page[ActivityRecord]:
    """A page of the timeline of `customer` (as the session check read it, or the merchant's read)."""
    return named(customer, adapters.uow.activity.page(org_id, customer.customer_id, limit=limit, cursor=cursor))


def named(customer: Customer, page: Page[ActivityRecord]) -> Page[ActivityRecord]:
    """The page with the contact named on each entry a contact made that does not name them."""
    return replace(page, items=[_named(customer, record) for record in page.items])


def _named(customer: Customer, record: ActivityRecord) -> ActivityRecord:
    actor = record.actor
    if actor.type != "customer" or actor.name:
        return record
    contact = customer.contact(actor.id)
    return record if contact is None else replace(record, actor=replace(actor, name=contact.name))
