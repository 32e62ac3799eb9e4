"""What charging or settling a payment starts from, in one BatchGetItem across tables, each item
read consistently: the organization, the customer, the payment (when it is settled by id), the
plan bound to its payment key, its invoices and their claims, the credit notes it applies.

One call instead of five keeps the payment routes within their read budget (issue 9). It is not a
snapshot and needs none: every write that follows is conditional on the state that was read."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from pynamodb.models import Model

from ...domain.customers import Customer
from ...domain.documents import CreditNote, Invoice
from ...domain.errors import NotFound
from ...domain.organization import Organization
from ...domain.payments import Payment
from ..base import owner_key, shared_client
from ..credit_notes import CreditNoteItem
from ..customers import CustomerItem
from ..idempotency import IdempotencyItem
from ..invoices import InvoiceItem
from ..mapping import from_item
from ..organizations import OrganizationItem
from ..payments import PaymentItem
from . import idempotency, invoice_claims, organizations

BATCH_LIMIT = 100   # keys per BatchGetItem


@dataclass(frozen=True)
class PaymentState:
    org: Organization | None = None
    customer: Customer | None = None
    payment: Payment | None = None
    plan: dict | None = None                                  # None: the payment key is unused
    invoices: dict[str, Invoice] = field(default_factory=dict)
    claims: dict[str, str] = field(default_factory=dict)      # invoice_id -> the payment holding it
    notes: dict[str, CreditNote] = field(default_factory=dict)

    def held(self) -> list[str]:
        """The plan's invoices that its payment still holds claims on."""
        mine = self.payment.payment_id if self.payment else (self.plan or {}).get("payment_id")
        return [i for i in (self.plan or {}).get("invoice_ids", []) if self.claims.get(i) == mine]


def read(org_id: str, customer_id: str, *, org: bool = False, customer: bool = False,
         payment_id: str | None = None, payment_key: str | None = None, invoice_ids=(), claim_ids=(),
         note_ids=()) -> PaymentState:
    """Whatever is asked for; NotFound if the organization, customer or payment asked for is missing
    (missing invoices, claims and notes are simply absent)."""
    owner = owner_key(org_id, customer_id)
    claim_keys = {invoice_claims.key(org_id, customer_id, i): i for i in dict.fromkeys(claim_ids)}
    wanted: list[tuple[type[Model], object, object]] = []
    if org:
        wanted.append((OrganizationItem, org_id, None))
    if customer:
        wanted.append((CustomerItem, org_id, customer_id))
    if payment_id:
        wanted.append((PaymentItem, owner, payment_id))
    if payment_key:
        wanted.append((IdempotencyItem, payment_key, None))
    wanted += [(IdempotencyItem, k, None) for k in claim_keys]
    wanted += [(InvoiceItem, owner, i) for i in dict.fromkeys(invoice_ids)]
    wanted += [(CreditNoteItem, owner, n) for n in dict.fromkeys(note_ids)]

    found: dict = {"invoices": {}, "claims": {}, "notes": {}}
    for item in _batch_get(wanted):
        if isinstance(item, OrganizationItem):
            found["org"] = organizations.to_domain(item)
        elif isinstance(item, CustomerItem):
            found["customer"] = from_item(Customer, item)
        elif isinstance(item, PaymentItem):
            found["payment"] = from_item(Payment, item)
        elif isinstance(item, InvoiceItem):
            found["invoices"][item.invoice_id] = from_item(Invoice, item)
        elif isinstance(item, CreditNoteItem):
            found["notes"][item.credit_note_id] = from_item(CreditNote, item)
        elif item.idem_key in claim_keys:
            found["claims"][claim_keys[item.idem_key]] = invoice_claims.holder(item)
        else:
            found["plan"] = idempotency.plan_in(item)
    for asked, name in ((org, "org"), (customer, "customer"), (payment_id, "payment")):
        if asked and name not in found:
            raise NotFound("organization" if name == "org" else name)
    return PaymentState(**found)


def _batch_get(wanted: list[tuple[type[Model], object, object]]) -> list[Model]:
    models = {model.Meta.table_name: model for model, _, _ in wanted}
    items: list[Model] = []
    for start in range(0, len(wanted), BATCH_LIMIT):
        request: dict = {}
        for model, hash_key, range_key in wanted[start:start + BATCH_LIMIT]:
            request.setdefault(model.Meta.table_name, {"Keys": [], "ConsistentRead": True})["Keys"].append(
                _key(model, hash_key, range_key))
        for attempt in range(8):
            answer = shared_client().batch_get_item(RequestItems=request)
            for table_name, raw_items in answer.get("Responses", {}).items():
                items += [models[table_name].from_raw_data(raw) for raw in raw_items]
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
            time.sleep(0.02 * 2 ** attempt)   # keys left unread under load: ask again, backing off
    return items


def _key(model: type[Model], hash_key, range_key) -> dict:
    key = {}
    for attribute, value in ((model._hash_key_attribute(), hash_key), (model._range_key_attribute(), range_key)):
        if value is not None:
            key[attribute.attr_name] = {attribute.attr_type: attribute.serialize(value)}
    return key
