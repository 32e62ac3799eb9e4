"""What charging or settling a payment starts from, in one BatchGetItem across tables, each item
read consistently: the organization, the customer, the payment (when it is settled by id), the
plan bound to its payment key, its invoices and their claims, the credit notes it applies.

One call instead of five keeps the payment routes within their read budget (issue 9). It is not a
snapshot and needs none: every write that follows is conditional on the state that was read."""
from __future__ import annotations

from dataclasses import dataclass, field

from pynamodb.models import Model

from ...domain.customers import Customer
from ...domain.documents import CreditNote, Invoice
from ...domain.errors import NotFound
from ...domain.organization import Organization
from ...domain.payments import Payment
from ..base import owner_key
from ..batch_reads import batch_get
from ..credit_notes import CreditNoteItem
from ..customers import CustomerItem
from ..idempotency import IdempotencyItem
from ..invoices import InvoiceItem
from ..mapping import from_item
from ..organizations import OrganizationItem, organization_of
from ..payments import PaymentItem
from . import idempotency, invoice_claims

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
            found["org"] = organization_of(item)
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
    keys: dict[type[Model], list[tuple]] = {}
    for model, hash_key, range_key in wanted:
        keys.setdefault(model, []).append((hash_key,) if range_key is None else (hash_key, range_key))
    return [item for items in batch_get(keys).values() for item in items]
