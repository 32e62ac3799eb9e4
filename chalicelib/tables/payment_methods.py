"""Saved payment methods: gateway ids and card summary only, never card data."""
from __future__ import annotations

from pynamodb.attributes import (BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from ..domain.errors import NotFound
from ..domain.payments import PaymentMethod
from .base import OwnedByCustomer, owner_key, table
from .mapping import from_item, to_item
from .transactions import Transaction


@table("payment_methods", deletable=True)   # a removed card (payments keep its summary)
class PaymentMethodItem(OwnedByCustomer, Model):
    class Meta:
        pass

    payment_method_id = UnicodeAttribute(range_key=True)
    gateway = UnicodeAttribute()
    gateway_method_id = UnicodeAttribute()
    brand = UnicodeAttribute()
    last4 = UnicodeAttribute()
    exp_month = NumberAttribute()
    exp_year = NumberAttribute()
    is_default = BooleanAttribute(default=False)
    gateway_customer_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class PaymentMethods:
    """The customers' saved payment methods, each written on the version read."""

    def of_customer(self, org_id: str, customer_id: str, *, consistent: bool = True) -> list[PaymentMethod]:
        """The customer's saved methods, oldest first (`consistent` False: for what is only shown)."""
        items = PaymentMethodItem.query(owner_key(org_id, customer_id), consistent_read=consistent)
        return sorted((from_item(PaymentMethod, item) for item in items), key=lambda m: m.created_at)

    def get(self, org_id: str, customer_id: str, payment_method_id: str) -> PaymentMethod:
        try:
            item = PaymentMethodItem.get(owner_key(org_id, customer_id), payment_method_id, consistent_read=True)
        except DoesNotExist:
            raise NotFound("payment method") from None
        return from_item(PaymentMethod, item)

    def put_in(self, tx: Transaction, org_id: str, method: PaymentMethod) -> None:
        """Keep a method, new or read earlier (on its version), within the caller's transaction."""
        tx.save(_item(org_id, method))

    def delete_in(self, tx: Transaction, org_id: str, method: PaymentMethod) -> None:
        """Remove a method read earlier (on its version) within the caller's transaction."""
        tx.delete(_item(org_id, method))


def _item(org_id: str, method: PaymentMethod) -> PaymentMethodItem:
    return to_item(PaymentMethodItem, method, owner=owner_key(org_id, method.customer_id), org_id=org_id)
