"""Saved payment methods: gateway ids and card summary only, never card data."""
from pynamodb.attributes import (BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.models import Model

from .base import OwnedByCustomer, table


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
