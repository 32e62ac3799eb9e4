"""Customers of an organization, with their contact persons, addresses and custom fields; and which
of them a gateway customer (Stripe `cus_...`) is, since webhooks name only the gateway's ids (kept
in the idempotency table under `gateway_customer#<id>`).

A customer is also read with its organization, and with one of its items, in one BatchGetItem
(`read_with_parties`, behind `with_organization` here and each repository's `with_parties`): one call
instead of three keeps a route within its read budget."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from pynamodb.attributes import (ListAttribute, MapAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from ..domain.customers import Customer
from ..domain.errors import ConcurrentUpdate, NotFound
from ..domain.organization import Organization
from .base import owner_key, table
from .batch_reads import get_together
from .mapping import from_item, from_raw, to_item
from .organizations import OrganizationItem, organization_of
from .pages import ListScope, Page, collect
from .read_again import ReadAgain
from .sequences import SequenceItem, last_number_of, sequence_key
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
    billing_history = ListAttribute(default=list)    # whom documents were addressed to, before each change
    custom_fields = MapAttribute(default=dict)
    tax_ids = ListAttribute(default=list)
    gateway_customer_id = UnicodeAttribute(null=True)
    portal_accounts = MapAttribute(null=True)   # contact_id -> its account's status; absent: not recorded
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()


@dataclass(frozen=True)
class Parties:
    """A customer with its organization (the recipient and the issuer of its documents), and what was
    read with them: one of the customer's items."""
    org: Organization
    customer: Customer
    document: Any = None
    kept: Any = None           # rendered_documents.KeptCopy of the document's PDF, if asked and there is one
    last_numbers: dict[str, int] = field(default_factory=dict)   # the sequence asked for: its last number


class Customers:
    """Customers of an organization, and the gateway customers that are ours."""

    def get(self, org_id: str, customer_id: str, *, consistent: bool = False) -> Customer:
        """`consistent`: where the customer is written next on the version read (eventually consistent
        otherwise, as every page shows it)."""
        try:
            return from_item(Customer, CustomerItem.get(org_id, customer_id, consistent_read=consistent))
        except DoesNotExist:
            raise NotFound("customer") from None

    def with_organization(self, org_id: str, customer_id: str, *, consistent: bool = True, kept: str | None = None,
                          numbered: str | None = None) -> Parties:
        """The customer and its organization (NotFound if either is missing) and, if asked, the PDF kept
        of document `kept` and the last number of sequence `numbered`: one BatchGetItem (eventually
        consistent if not `consistent`: for what is only shown)."""
        return read_with_parties(org_id, customer_id, consistent=consistent, kept=kept, numbered=numbered)

    def page(self, org_id: str, *, limit: int, cursor: str | None) -> Page[Customer]:
        scope = ListScope("customers", "org_id", org_id)
        start = scope.start(cursor)
        results = CustomerItem.query(org_id, limit=limit, last_evaluated_key=start)
        return collect(results, lambda raw: from_raw(Customer, CustomerItem, raw), limit, scope)

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
        from .idempotency import IdempotencyItem   # a table a customer's reads (every session check) never need
        tx.save(IdempotencyItem(_gateway_customer_key(gateway_customer_id), request_hash=f"{org_id}#{customer_id}",
                                state="reference", created_at=now, expires_at=now + GATEWAY_CUSTOMER_KEPT_FOR,
                                response_json=json.dumps({"org_id": org_id, "customer_id": customer_id})))

    def owner_of_gateway_customer(self, gateway_customer_id: str) -> tuple[str, str] | None:
        """(org_id, customer_id) of a gateway customer we created."""
        from .idempotency import IdempotencyItem
        try:
            item = IdempotencyItem.get(_gateway_customer_key(gateway_customer_id))
        except DoesNotExist:
            return None
        owner = json.loads(item.response_json)
        return owner["org_id"], owner["customer_id"]


def read_with_parties(org_id: str, customer_id: str, *, model: type[Model] | None = None, item_id: str | None = None,
                      to_domain: Callable | None = None, kind: str = "customer",
                      consistent: bool = True, kept: str | None = None, numbered: str | None = None) -> Parties:
    """The organization, the customer and, if asked, one of the customer's items (`model`, `item_id`,
    made a domain object by `to_domain`), the PDF kept of document `kept` (tables/rendered_documents.py;
    read eventually consistent: a copy is answered only if it shows what is asked for now) and the last
    number of sequence `numbered` (what a new document of the customer is numbered from), in one BatchGetItem
    (`batch_reads.get_together`: why not a transaction); NotFound(`kind`) if the organization, the
    customer or the item is missing. `consistent` False: for what is only shown."""
    owner = owner_key(org_id, customer_id)
    rendered = None
    if kept is not None:
        from .rendered_documents import RenderedDocumentItem as rendered
    org_item, customer_item, document_item, kept_item, sequence_item = get_together(
        (OrganizationItem, (org_id,)), (CustomerItem, (org_id, customer_id)), (model, (owner, item_id)),
        (rendered, (owner, kept)), (SequenceItem if numbered else None, (sequence_key(org_id, numbered or ""),)),
        consistent_read=consistent, eventually_consistent=(rendered,) if rendered else (),
        as_read=(OrganizationItem, CustomerItem))
    if org_item is None or customer_item is None or (model is not None and document_item is None):
        raise NotFound(kind)
    customer = customer_read(org_id, customer_id, customer_item)
    found = to_domain(document_item) if model is not None else None
    copy = None
    if kept_item is not None:
        from .rendered_documents import copy_of
        copy = copy_of(kept_item)
    last_numbers = {numbered: last_number_of(sequence_item)} if numbered else {}
    return Parties(organization_read(org_id, org_item), customer, found, copy, last_numbers)


# nearly every request reads the same organization, and a customer signed in reads its own again
_ORGANIZATIONS = ReadAgain(lambda raw: organization_of(OrganizationItem.from_raw_data(raw)))
_CUSTOMERS = ReadAgain(lambda raw: from_item(Customer, CustomerItem.from_raw_data(raw)))


def organization_read(org_id: str, raw: dict) -> Organization:
    """The organization DynamoDB answered as `raw` (read_again.py: mapped once while it is unchanged)."""
    return _ORGANIZATIONS.value(org_id, raw)


def customer_read(org_id: str, customer_id: str, raw: dict) -> Customer:
    """The customer DynamoDB answered as `raw` (read_again.py: mapped once while it is unchanged)."""
    return _CUSTOMERS.value((org_id, customer_id), raw)


def _item(org_id: str, customer: Customer) -> CustomerItem:
    return to_item(CustomerItem, customer, org_id=org_id)


def _gateway_customer_key(gateway_customer_id: str) -> str:
    return f"gateway_customer#{gateway_customer_id}"
