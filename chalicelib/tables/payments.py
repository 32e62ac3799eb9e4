"""Payments, per customer; the gateway index lets a webhook find its payment. Every write of a payment
goes through `save_in`, with the ledger entries its change makes.

What charging or settling a payment starts from is read in one BatchGetItem across tables, each item
read consistently (`state`): the organization, the customer, the payment (when it is settled by id),
the request behind its Idempotency-Key, the plan bound to its payment key, its invoices and their
claims, the credit notes it applies, the rate counters it counts under, the payment number sequence. One
call instead of five keeps the payment routes within their read budget. It is not a snapshot and needs
none: every write that follows is conditional on the state that was read."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator, Mapping

from pynamodb.attributes import (ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.exceptions import DoesNotExist
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ..domain.customers import Customer
from ..domain.documents import CreditNote, Invoice
from ..domain.errors import NotFound
from ..domain.ledger import payment_entries
from ..domain.organization import Organization
from ..domain.payment_plans import PaymentPlan
from ..domain.payments import Payment, PaymentStatus
from ..domain.rate_limits import Counted
from .base import OwnedByCustomer, owner_key, table
from .batch_reads import batch_get
from .credit_notes import CreditNoteItem
from .customers import CustomerItem, Parties, read_with_parties
from .idempotency import IdempotencyItem, StoredRequest, plan_in, stored_request_of
from .invoice_claims import claim_key, holder
from .invoices import InvoiceItem
from .ledger import Ledger
from .mapping import from_item, from_raw, to_item
from .organizations import OrganizationItem, organization_of
from .pages import ListScope, Page, collect
from .rate_counters import RateCounterItem, counted_of
from .sequences import SequenceItem, last_number_of, sequence_key
from .transactions import Transaction


class PaymentsByGatewayId(GlobalSecondaryIndex):
    class Meta:
        index_name = "gateway-payment"
        projection = AllProjection()

    gateway_payment_id = UnicodeAttribute(hash_key=True)


class PaymentsAwaitingGateway(GlobalSecondaryIndex):
    """Sparse: only payments whose outcome is not known yet (pending, requires_action) carry
    `awaiting`, so the reconciliation job finds them oldest first with a Query, never a Scan."""
    class Meta:
        index_name = "awaiting-gateway"
        projection = AllProjection()

    awaiting = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


AWAITING = "awaiting"   # the index's one partition: few payments wait at any time


@table("payments")
class PaymentItem(OwnedByCustomer, Model):
    class Meta:
        pass

    payment_id = UnicodeAttribute(range_key=True)
    status = UnicodeAttribute()
    amount_minor = NumberAttribute()
    currency = UnicodeAttribute()
    allocations = ListAttribute(default=list)
    created_at = UTCDateTimeAttribute()
    gateway = UnicodeAttribute()
    payment_method_id = UnicodeAttribute(null=True)
    method_summary = UnicodeAttribute(default="")
    gateway_payment_id = UnicodeAttribute(null=True)
    failure_code = UnicodeAttribute(null=True)
    failure_message = UnicodeAttribute(null=True)
    client_secret = UnicodeAttribute(null=True)
    idempotency_key = UnicodeAttribute(default="")
    succeeded_at = UTCDateTimeAttribute(null=True)
    refunded_minor = NumberAttribute(default=0)
    source = UnicodeAttribute(default="portal")
    paid_by = UnicodeAttribute(default="")         # the contact who paid in the portal
    refunds = ListAttribute(default=list)          # each refund and its credit note
    overpayment_credit_note_id = UnicodeAttribute(null=True)   # the credit kept of what it overpaid
    dispute_status = UnicodeAttribute(null=True)
    disputed_minor = NumberAttribute(default=0)
    number = UnicodeAttribute(null=True)       # PAY-000012 once it succeeded; absent on older payments
    awaiting = UnicodeAttribute(null=True)     # AWAITING while its outcome is unknown, else absent
    version = VersionAttribute()

    by_gateway_id = PaymentsByGatewayId()
    awaiting_gateway = PaymentsAwaitingGateway()


@dataclass(frozen=True)
class PaymentState:
    org: Organization | None = None
    customer: Customer | None = None
    payment: Payment | None = None
    plan: PaymentPlan | None = None                           # None: the payment key is unused
    invoices: dict[str, Invoice] = field(default_factory=dict)
    claims: dict[str, str] = field(default_factory=dict)      # invoice_id -> the payment holding it
    notes: dict[str, CreditNote] = field(default_factory=dict)
    counters: dict[str, Counted] = field(default_factory=dict)   # rate counter key -> what it holds, for each asked
    request: StoredRequest | None = None                      # None: the request key is unused (or not asked)
    last_numbers: dict[str, int] = field(default_factory=dict)   # sequence name -> its last number, for each asked

    def held(self) -> list[str]:
        """The plan's invoices that its payment still holds claims on."""
        if self.plan is None:
            return []
        mine = self.payment.payment_id if self.payment else self.plan.payment_id
        return [i for i in self.plan.invoice_ids if self.claims.get(i) == mine]


class Payments:
    """The customers' payments."""

    def __init__(self, ledger: Ledger):
        self._ledger = ledger

    def save_in(self, tx: Transaction, org_id: str, payment: Payment, *, before: Payment | None, now: datetime,
                invoice_numbers: Mapping[str, str] = {}) -> PaymentItem:
        """Put `payment` in the caller's transaction, with the ledger entries its change from `before`
        (None: it is new) makes (a success, a refund): every write of a payment goes through here.
        Answers what `saved` reads back once the transaction is committed."""
        item = _item(org_id, payment)
        tx.save(item)
        self._ledger.record_in(tx, org_id, payment.customer_id,
                               payment_entries(before, payment, now, invoice_numbers=invoice_numbers))
        return item

    def saved(self, item: PaymentItem) -> Payment:
        """The payment as written (its version bumped) after a transaction saved `item`."""
        return from_item(Payment, item)

    def get(self, org_id: str, customer_id: str, payment_id: str) -> Payment:
        try:
            return from_item(Payment, PaymentItem.get(owner_key(org_id, customer_id), payment_id,
                                                      consistent_read=True))
        except DoesNotExist:
            raise NotFound("payment") from None

    def with_parties(self, org_id: str, customer_id: str, payment_id: str, *, kept: str | None = None,
                     consistent: bool = True) -> Parties:
        """The payment with its organization and customer (for its receipt) and, if asked, the PDF
        kept of document `kept`, in one BatchGetItem; NotFound if any is missing. `consistent` False:
        for what is only shown."""
        return read_with_parties(org_id, customer_id, model=PaymentItem, item_id=payment_id,
                                 to_domain=lambda item: from_item(Payment, item), kind="payment", kept=kept,
                                 consistent=consistent)

    def page(self, org_id: str, customer_id: str, *, limit: int, cursor: str | None,
             status: str | None = None) -> Page[Payment]:
        owner = owner_key(org_id, customer_id)
        scope = ListScope(f"payments:{status or 'all'}", "owner", owner)
        start = scope.start(cursor)
        condition = PaymentItem.status == status if status else None
        results = PaymentItem.query(owner, filter_condition=condition, limit=limit, last_evaluated_key=start,
                                    scan_index_forward=False)
        return collect(results, lambda raw: from_raw(Payment, PaymentItem, raw), limit, scope)

    def succeeded(self, org_id: str, customer_id: str) -> list[Payment]:
        """Every succeeded payment of the customer (one partition: a Query, newest first)."""
        results = PaymentItem.query(owner_key(org_id, customer_id), filter_condition=(
            PaymentItem.status == PaymentStatus.SUCCEEDED.value), scan_index_forward=False)
        return [from_item(Payment, item) for item in results]

    def by_gateway_id(self, gateway_payment_id: str) -> tuple[str, Payment] | None:
        """(org_id, payment) of a gateway payment (a Stripe PaymentIntent), if it is one of ours."""
        for item in PaymentItem.by_gateway_id.query(gateway_payment_id, limit=1):
            return item.org_id, from_item(Payment, item)
        return None

    def awaiting_gateway_since(self, before: datetime) -> Iterator[tuple[str, Payment]]:
        """(org_id, payment) of the payments still waiting for the gateway that were made before
        `before`, oldest first (a Query of the sparse index, read page by page as it is iterated)."""
        for item in PaymentItem.awaiting_gateway.query(AWAITING, PaymentItem.created_at < before):
            yield item.org_id, from_item(Payment, item)

    def state(self, org_id: str, customer_id: str, *, org: bool = False, customer: bool = False,
              payment_id: str | None = None, payment_key: str | None = None, request_key: str | None = None,
              invoice_ids=(), claim_ids=(), note_ids=(), counter_keys=(), sequences=()) -> PaymentState:
        """Whatever is asked for, in one BatchGetItem; NotFound if the organization, customer or payment
        asked for is missing (missing invoices, claims and notes are simply absent; a missing rate
        counter has counted nothing, a missing sequence has given no number). What the session check
        read for the request (`ahead`, below) is taken from that read, not asked again."""
        claim_keys = {claim_key(org_id, customer_id, i): i for i in dict.fromkeys(claim_ids)}
        numbered = {sequence_key(org_id, name): name for name in dict.fromkeys(sequences)}
        wanted = _wanted(org_id, customer_id, org=org, customer=customer, payment_id=payment_id,
                         payment_key=payment_key, request_key=request_key, invoice_ids=invoice_ids,
                         claim_keys=claim_keys, note_ids=note_ids, counter_keys=counter_keys, sequence_keys=numbered)

        found: dict = {"invoices": {}, "claims": {}, "notes": {}, "counters": {k: Counted() for k in counter_keys},
                       "last_numbers": {name: 0 for name in numbered.values()}}
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
            elif isinstance(item, RateCounterItem):
                found["counters"][item.counter_key] = counted_of(item)
            elif isinstance(item, SequenceItem):
                found["last_numbers"][numbered[item.sequence_key]] = last_number_of(item)
            elif item.idem_key in claim_keys:
                found["claims"][claim_keys[item.idem_key]] = holder(item)
            elif item.idem_key == request_key:
                found["request"] = stored_request_of(item)
            else:
                found["plan"] = plan_in(item)
        for asked, name in ((org, "org"), (customer, "customer"), (payment_id, "payment")):
            if asked and name not in found:
                raise NotFound("organization" if name == "org" else name)
        return PaymentState(**found)


    def ahead(self, org_id: str, customer_id: str, *, payment_key: str | None = None,
              request_key: str | None = None, invoice_ids=(), counter_keys=(), sequences=()) -> list[tuple]:
        """(model, key, consistent) of each item `state` reads for a payment's first attempt (its
        invoices' claims with them), for the session check to read in its own call
        (tables/read_ahead.py): every one consistent, as `state` reads it."""
        wanted = _wanted(org_id, customer_id, payment_key=payment_key, request_key=request_key,
                         invoice_ids=invoice_ids,
                         claim_keys={claim_key(org_id, customer_id, i): i for i in dict.fromkeys(invoice_ids)},
                         counter_keys=counter_keys,
                         sequence_keys={sequence_key(org_id, name): name for name in dict.fromkeys(sequences)})
        return [(model, (hash_key,) if range_key is None else (hash_key, range_key), True)
                for model, hash_key, range_key in wanted]


def _wanted(org_id: str, customer_id: str, *, org: bool = False, customer: bool = False, payment_id: str | None = None,
            payment_key: str | None = None, request_key: str | None = None, invoice_ids=(), claim_keys=(),
            note_ids=(), counter_keys=(), sequence_keys=()) -> list[tuple[type[Model], object, object]]:
    """(model, hash key, range key) of each item `state` reads."""
    owner = owner_key(org_id, customer_id)
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
    wanted += [(RateCounterItem, k, None) for k in dict.fromkeys(counter_keys)]
    if request_key:
        wanted.append((IdempotencyItem, request_key, None))
    wanted += [(SequenceItem, k, None) for k in sequence_keys]
    return wanted


def _item(org_id: str, payment: Payment) -> PaymentItem:
    return to_item(PaymentItem, payment, owner=owner_key(org_id, payment.customer_id), org_id=org_id,
                   awaiting=AWAITING if payment.awaiting_gateway else None)


def _batch_get(wanted: list[tuple[type[Model], object, object]]) -> list[Model]:
    keys: dict[type[Model], list[tuple]] = {}
    for model, hash_key, range_key in wanted:
        keys.setdefault(model, []).append((hash_key,) if range_key is None else (hash_key, range_key))
    return [item for items in batch_get(keys).values() for item in items]
