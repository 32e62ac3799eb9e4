"""The customer's own timeline: everything done to its account, by its contacts, the merchant
or a scheduled job, newest first. Each entry a contact made names them: by the name it recorded,
else (entries recorded without one) by the contact's name now. Who has access with which role (the
`person.*` entries) is the owner's to read, as `GET /portal/people` is: another role's timeline
leaves those entries out (docs/security.md "Roles")."""
from __future__ import annotations

from dataclasses import replace

from ...domain.customers import Customer
from ...domain.engagement import ActivityRecord
from ...tables.pages import Page


PEOPLE_ENTRIES = "person."   # the action prefix of giving, changing and removing someone's access


def timeline(adapters, org_id: str, customer: Customer, *, limit: int, cursor: str | None,
             role: str = "owner") -> Page[ActivityRecord]:
    """A page of the timeline of `customer` (as the session check read it, or the merchant's read)
    as `role` may read it (the merchant reads what the owner does). A page read by another role may
    hold fewer than `limit` entries; its cursor goes on where the stored page ended."""
    page = adapters.uow.activity.page(org_id, customer.customer_id, limit=limit, cursor=cursor)
    return named(customer, page if role == "owner" else without_people(page))


def without_people(page: Page[ActivityRecord]) -> Page[ActivityRecord]:
    """The page without the entries saying who was given access, with which role, or lost it."""
    return replace(page, items=[record for record in page.items if not record.action.startswith(PEOPLE_ENTRIES)])


def named(customer: Customer, page: Page[ActivityRecord]) -> Page[ActivityRecord]:
    """The page with the contact named on each entry a contact made that does not name them."""
    return replace(page, items=[_named(customer, record) for record in page.items])


def _named(customer: Customer, record: ActivityRecord) -> ActivityRecord:
    actor = record.actor
    if actor.type != "customer" or actor.name:
        return record
    contact = customer.contact(actor.id)
    return record if contact is None else replace(record, actor=replace(actor, name=contact.name))
