"""Subscriptions, per customer; due work is found through the sparse, sharded `due` index."""
from pynamodb.attributes import (BooleanAttribute, ListAttribute, MapAttribute, NumberAttribute,
                                 UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model

from .base import OwnedByCustomer, table


class SubscriptionsByStatus(LocalSecondaryIndex):
    """One customer's subscriptions in one status (the portal's filters)."""
    class Meta:
        index_name = "owner-status"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    status_key = UnicodeAttribute(range_key=True)     # status#subscription_id


class DueSubscriptions(GlobalSecondaryIndex):
    """Sparse: only subscriptions with scheduled work carry `due_partition`/`due_at`.
    `due_partition` is clock#shard: "live#3" for real time, "test:<org>#0" for a test clock."""
    class Meta:
        index_name = "due"
        projection = AllProjection()

    due_partition = UnicodeAttribute(hash_key=True)
    due_at = UTCDateTimeAttribute(range_key=True)


class SubscriptionsByOrganization(GlobalSecondaryIndex):
    """The merchant's list of all subscriptions (admin API)."""
    class Meta:
        index_name = "org"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True)
    subscription_id = UnicodeAttribute(range_key=True)


@table("subscriptions")
class SubscriptionItem(OwnedByCustomer, Model):
    class Meta:
        pass

    subscription_id = UnicodeAttribute(range_key=True)
    status = UnicodeAttribute()
    status_key = UnicodeAttribute()
    plan = MapAttribute()
    currency = UnicodeAttribute()
    addons = ListAttribute(default=list)
    coupon = MapAttribute(null=True)
    auto_charge = BooleanAttribute(default=False)
    payment_method_id = UnicodeAttribute(null=True)
    starts_at = UTCDateTimeAttribute(null=True)
    trial_start = UTCDateTimeAttribute(null=True)
    trial_end = UTCDateTimeAttribute(null=True)
    term_start = UTCDateTimeAttribute(null=True)
    term_end = UTCDateTimeAttribute(null=True)
    activated_at = UTCDateTimeAttribute(null=True)
    cancelled_at = UTCDateTimeAttribute(null=True)
    cancel_reason = UnicodeAttribute(null=True)
    expired_at = UTCDateTimeAttribute(null=True)
    expired_reason = UnicodeAttribute(null=True)
    scheduled_change = MapAttribute(null=True)
    pause_at = UTCDateTimeAttribute(null=True)
    resume_at = UTCDateTimeAttribute(null=True)
    paused_at = UTCDateTimeAttribute(null=True)
    trial_extensions_used = NumberAttribute(default=0)
    dunning_attempts = NumberAttribute(default=0)
    next_retry_at = UTCDateTimeAttribute(null=True)
    unpaid_invoice_id = UnicodeAttribute(null=True)
    reference = UnicodeAttribute(default="")
    coupons_used = ListAttribute(null=True)           # coupon keys; absent on subscriptions stored before it
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute(null=True)
    due_partition = UnicodeAttribute(null=True)
    due_at = UTCDateTimeAttribute(null=True)
    claimed_until = UTCDateTimeAttribute(null=True)   # a job run holds the item until then
    version = VersionAttribute()

    by_status = SubscriptionsByStatus()
    due = DueSubscriptions()
    by_organization = SubscriptionsByOrganization()
