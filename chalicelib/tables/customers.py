"""Customers of an organization, with their contact persons, addresses and custom fields; and which
of them a gateway customer (Stripe `cus_...`) is, since webhooks name only the gateway's ids (kept
in the idempotency table under `gateway_customer#<id>`)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from pynamodb.attributes import (ListAttribute, MapAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from ..domain.customers import Customer
from ..domain.errors import ConcurrentUpdate, NotFound
from .base import table
from .idempotency import IdempotencyItem
from .mapping import from_item, to_item
from .pages import Page, collect, decode_cursor
from .transactions import Transaction, condition_failed

GATEWAY_CUSTOMER_KEPT_FOR = timedelta(days=3650)   # as long as the gateway customer may send events; TTL is required


@table("customers")
class CustomerItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    customer_id = UnicodeAttribute(range_key=True)
    display_name = UnicodeAttribute()
    email = UnicodeAttribute()
    currency = UnicodeAttribute()
    company_name = UnicodeAttribute(default="")
    phone = UnicodeAttribute(default="")
    billing_address = MapAttribute(default=dict)
    shipping_address = MapAttribute(default=dict)
    contacts = ListAttribute(default=list)
    custom_fields = MapAttribute(default=dict)
    gateway_customer_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()


class Customers:
    """Customers of an organization, and the gateway customers that are ours."""

    def get(self, org_id: str, customer_id: str) -> Customer:
        try:
            return from_item(Customer, CustomerItem.get(org_id, customer_id))
        except DoesNotExist:
            raise NotFound("customer") from None

    def page(self, org_id: str, *, limit: int, cursor: str | None) -> Page[Customer]:
        start = decode_cursor(cursor, hash_attribute="org_id", hash_value=org_id)
        results = CustomerItem.query(org_id, limit=limit, last_evaluated_key=start)
        return collect(results, lambda item: from_item(Customer, item), limit)

    def add(self, org_id: str, customer: Customer) -> Customer:
        item = _item(org_id, customer)
        item.save(condition=CustomerItem.customer_id.does_not_exist())
        return from_item(Customer, item)

    def save(self, org_id: str, customer: Customer) -> Customer:
        """Write back a customer read earlier; ConcurrentUpdate if it changed meanwhile."""
        item = _item(org_id, customer)
        try:
            item.save()
        except PutError as error:
            if condition_failed(error):
                raise ConcurrentUpdate("customer") from error
            raise
        return from_item(Customer, item)

    def put_in(self, tx: Transaction, org_id: str, customer: Customer) -> None:
        """Write back a customer read earlier within the caller's transaction, alongside other changes
        (on the version read)."""
        tx.save(_item(org_id, customer))

    # -- gateway customers ---------------------------------------------------------------------

    def remember_gateway_customer_in(self, tx: Transaction, gateway_customer_id: str, org_id: str,
                                     customer_id: str, now: datetime) -> None:
        """Record, within the caller's transaction, that the gateway customer is ours."""
        tx.save(IdempotencyItem(_gateway_customer_key(gateway_customer_id), request_hash=f"{org_id}#{customer_id}",
                                state="reference", created_at=now, expires_at=now + GATEWAY_CUSTOMER_KEPT_FOR,
                                response_json=json.dumps({"org_id": org_id, "customer_id": customer_id})))

    def owner_of_gateway_customer(self, gateway_customer_id: str) -> tuple[str, str] | None:
        """(org_id, customer_id) of a gateway customer we created."""
        try:
            item = IdempotencyItem.get(_gateway_customer_key(gateway_customer_id))
        except DoesNotExist:
            return None
        owner = json.loads(item.response_json)
        return owner["org_id"], owner["customer_id"]


def _item(org_id: str, customer: Customer) -> CustomerItem:
    return to_item(CustomerItem, customer, org_id=org_id)


def _gateway_customer_key(gateway_customer_id: str) -> str:
    return f"gateway_customer#{gateway_customer_id}"


customers = Customers()
