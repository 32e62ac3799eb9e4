"""Merchant organizations: public details, portal preferences, billing settings, counters."""
from pynamodb.attributes import (BooleanAttribute, ListAttribute, MapAttribute, NumberAttribute,
                                 UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute)
from pynamodb.models import Model

from .base import table


@table("organizations")
class OrganizationItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    currency = UnicodeAttribute()
    phone = UnicodeAttribute(default="")
    website = UnicodeAttribute(default="")
    address = MapAttribute(default=dict)
    preferences = MapAttribute(default=dict)
    dunning = MapAttribute(default=dict)
    custom_fields = ListAttribute(default=list)
    payment_terms_days = NumberAttribute(default=15)
    time_zone = UnicodeAttribute(default="UTC")
    test_mode = BooleanAttribute(default=False)
    test_clock_at = UTCDateTimeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    version = VersionAttribute()
