"""Payments and saved payment methods."""
from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from ...domain.errors import NotFound
from ...domain.payments import Payment, PaymentMethod
from ..base import owner_key
from ..mapping import from_item, to_item
from ..pages import Page, collect, decode_cursor
from ..payment_methods import PaymentMethodItem
from ..payments import PaymentItem


def payment_item(org_id: str, payment: Payment) -> PaymentItem:
    return to_item(PaymentItem, payment, owner=owner_key(org_id, payment.customer_id), org_id=org_id)


def get(org_id: str, customer_id: str, payment_id: str) -> Payment:
    try:
        return from_item(Payment, PaymentItem.get(owner_key(org_id, customer_id), payment_id))
    except DoesNotExist:
        raise NotFound("payment") from None


def page(org_id: str, customer_id: str, *, limit: int, cursor: str | None) -> Page[Payment]:
    owner = owner_key(org_id, customer_id)
    start = decode_cursor(cursor, hash_attribute="owner", hash_value=owner)
    results = PaymentItem.query(owner, limit=limit, last_evaluated_key=start, scan_index_forward=False)
    return collect(results, lambda item: from_item(Payment, item), limit)


def method_item(org_id: str, method: PaymentMethod) -> PaymentMethodItem:
    return to_item(PaymentMethodItem, method, owner=owner_key(org_id, method.customer_id), org_id=org_id)


def methods(org_id: str, customer_id: str) -> list[PaymentMethod]:
    return [from_item(PaymentMethod, item) for item in PaymentMethodItem.query(owner_key(org_id, customer_id))]
