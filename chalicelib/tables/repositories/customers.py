"""Customers of an organization."""
from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, PutError

from ...domain.customers import Customer
from ...domain.errors import ConcurrentUpdate, NotFound
from ..customers import CustomerItem
from ..mapping import from_item, to_item
from ..pages import Page, collect, decode_cursor
from ..transactions import condition_failed


def get(org_id: str, customer_id: str) -> Customer:
    try:
        return from_item(Customer, CustomerItem.get(org_id, customer_id))
    except DoesNotExist:
        raise NotFound("customer") from None


def page(org_id: str, *, limit: int, cursor: str | None) -> Page[Customer]:
    start = decode_cursor(cursor, hash_attribute="org_id", hash_value=org_id)
    results = CustomerItem.query(org_id, limit=limit, last_evaluated_key=start)
    return collect(results, lambda item: from_item(Customer, item), limit)


def add(org_id: str, customer: Customer) -> Customer:
    item = to_item(CustomerItem, customer, org_id=org_id)
    item.save(condition=CustomerItem.customer_id.does_not_exist())
    return from_item(Customer, item)


def save(org_id: str, customer: Customer) -> Customer:
    """Write back a customer read earlier; ConcurrentUpdate if it changed meanwhile."""
    item = to_item(CustomerItem, customer, org_id=org_id)
    try:
        item.save()
    except PutError as error:
        if condition_failed(error):
            raise ConcurrentUpdate("customer") from error
        raise
    return from_item(Customer, item)


def item_for(org_id: str, customer: Customer) -> CustomerItem:
    """The item to put in a transaction alongside other changes."""
    return to_item(CustomerItem, customer, org_id=org_id)
