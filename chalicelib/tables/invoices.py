"""Invoices, per customer, with their lines, taxes, credits applied and payments."""
from pynamodb.attributes import (ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model

from .base import OwnedByCustomer, table
from .dates import DateAttribute


class InvoicesByStatus(LocalSecondaryIndex):
    class Meta:
        index_name = "owner-status"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    status_key = UnicodeAttribute(range_key=True)     # status#invoice_id


class InvoicesBySubscription(GlobalSecondaryIndex):
    class Meta:
        index_name = "subscription"
        projection = AllProjection()

    subscription_ref = UnicodeAttribute(hash_key=True)   # org#customer#subscription
    invoice_id = UnicodeAttribute(range_key=True)


@table("invoices")
class InvoiceItem(OwnedByCustomer, Model):
    class Meta:
        pass

    invoice_id = UnicodeAttribute(range_key=True)
    number = UnicodeAttribute()
    currency = UnicodeAttribute()
    status = UnicodeAttribute()
    status_key = UnicodeAttribute()
    issued_at = UTCDateTimeAttribute()
    due_on = DateAttribute()
    lines = ListAttribute(default=list)
    subtotal_minor = NumberAttribute()
    tax_minor = NumberAttribute(default=0)
    total_minor = NumberAttribute()
    taxes = ListAttribute(default=list)
    credits_applied = ListAttribute(default=list)
    amount_paid_minor = NumberAttribute(default=0)
    balance_minor = NumberAttribute()                 # derived; stored for conditions and reads
    subscription_id = UnicodeAttribute(null=True)
    subscription_ref = UnicodeAttribute(null=True)
    period_start = DateAttribute(null=True)
    period_end = DateAttribute(null=True)
    paid_at = UTCDateTimeAttribute(null=True)
    voided_at = UTCDateTimeAttribute(null=True)
    notes = UnicodeAttribute(default="")
    version = VersionAttribute()

    by_status = InvoicesByStatus()
    by_subscription = InvoicesBySubscription()
