"""Payments, per customer; the gateway index lets a webhook find its payment."""
from pynamodb.attributes import (ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .base import OwnedByCustomer, table


class PaymentsByGatewayId(GlobalSecondaryIndex):
    class Meta:
        index_name = "gateway-payment"
        projection = AllProjection()

    gateway_payment_id = UnicodeAttribute(hash_key=True)


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
    refunds = ListAttribute(default=list)          # each refund and its credit note
    overpayment_credit_note_id = UnicodeAttribute(null=True)   # the credit kept of what it overpaid
    version = VersionAttribute()

    by_gateway_id = PaymentsByGatewayId()
