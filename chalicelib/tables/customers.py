"""Customers of an organization, with their contact persons, addresses and custom fields."""
from pynamodb.attributes import (ListAttribute, MapAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.models import Model

from .base import table


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
