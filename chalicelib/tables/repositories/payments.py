"""Payments and saved payment methods (and which subscriptions a method pays for)."""
from __future__ import annotations

from datetime import datetime
from typing import Mapping

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from ...domain.errors import NotFound
from ...domain.ledger import payment_entries
from ...domain.payments import Payment, PaymentMethod, PaymentStatus
from ..base import owner_key
from ..mapping import from_item, to_item
from ..pages import Page, collect, decode_cursor
from ..payment_methods import PaymentMethodItem
from ..payments import PaymentItem
from ..ledger import ledger


# -- payments ---------------------------------------------------------------------------------

def payment_item(org_id: str, payment: Payment) -> PaymentItem:
    return to_item(PaymentItem, payment, owner=owner_key(org_id, payment.customer_id), org_id=org_id)


def save_in(tx: TransactWrite, org_id: str, payment: Payment, *, before: Payment | None, now: datetime,
            invoice_numbers: Mapping[str, str] = {}) -> PaymentItem:
    """Put `payment` in the caller's transaction, with the ledger entries its change from `before`
    (None: it is new) makes (a success, a refund): every write of a payment goes through here."""
    item = payment_item(org_id, payment)
    tx.save(item)
    ledger.record_in(tx, org_id, payment.customer_id,
                     payment_entries(before, payment, now, invoice_numbers=invoice_numbers))
    return item


def saved(item: PaymentItem) -> Payment:
    """The payment as written (its version bumped) after a transaction saved `item`."""
    return from_item(Payment, item)


def get(org_id: str, customer_id: str, payment_id: str) -> Payment:
    try:
        return from_item(Payment, PaymentItem.get(owner_key(org_id, customer_id), payment_id,
                                                  consistent_read=True))
    except DoesNotExist:
        raise NotFound("payment") from None


def page(org_id: str, customer_id: str, *, limit: int, cursor: str | None,
         status: str | None = None) -> Page[Payment]:
    owner = owner_key(org_id, customer_id)
    start = decode_cursor(cursor, hash_attribute="owner", hash_value=owner)
    condition = PaymentItem.status == status if status else None
    results = PaymentItem.query(owner, filter_condition=condition, limit=limit, last_evaluated_key=start,
                                scan_index_forward=False)
    return collect(results, lambda item: from_item(Payment, item), limit)


def succeeded(org_id: str, customer_id: str) -> list[Payment]:
    """Every succeeded payment of the customer (one partition: a Query, newest first)."""
    results = PaymentItem.query(owner_key(org_id, customer_id), filter_condition=(
        PaymentItem.status == PaymentStatus.SUCCEEDED.value), scan_index_forward=False)
    return [from_item(Payment, item) for item in results]


def by_gateway_id(gateway_payment_id: str) -> tuple[str, Payment] | None:
    """(org_id, payment) of a gateway payment (a Stripe PaymentIntent), if it is one of ours."""
    for item in PaymentItem.by_gateway_id.query(gateway_payment_id, limit=1):
        return item.org_id, from_item(Payment, item)
    return None


# -- payment methods --------------------------------------------------------------------------

def method_item(org_id: str, method: PaymentMethod) -> PaymentMethodItem:
    return to_item(PaymentMethodItem, method, owner=owner_key(org_id, method.customer_id), org_id=org_id)


def methods(org_id: str, customer_id: str) -> list[PaymentMethod]:
    """The customer's saved methods, oldest first."""
    items = PaymentMethodItem.query(owner_key(org_id, customer_id), consistent_read=True)
    return sorted((from_item(PaymentMethod, item) for item in items), key=lambda m: m.created_at)


def method(org_id: str, customer_id: str, payment_method_id: str) -> PaymentMethod:
    try:
        item = PaymentMethodItem.get(owner_key(org_id, customer_id), payment_method_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound("payment method") from None
    return from_item(PaymentMethod, item)


def delete_method_in(tx: TransactWrite, org_id: str, method: PaymentMethod) -> None:
    tx.delete(method_item(org_id, method))
