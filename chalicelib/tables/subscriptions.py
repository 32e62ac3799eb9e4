"""Subscriptions, per customer, with the due-work attributes kept in step with the domain: due work
is found through the sparse, sharded `due` index (a Query per shard, never a Scan), claimed with a
conditional write before a runner acts on it, and written back with the claim removed."""
from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Iterator

from pynamodb.attributes import (BooleanAttribute, ListAttribute, MapAttribute, NumberAttribute,
                                 UnicodeAttribute, UnicodeSetAttribute, UTCDateTimeAttribute, VersionAttribute)
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model

from ..config import settings
from ..domain import scheduling
from ..domain.account_summary import AccountSummary
from ..domain.errors import ConcurrentUpdate, NotFound
from ..domain.organization import Organization
from ..domain.subscription import CouponUse, Subscription, next_due_at
from .account_summaries import AccountSummaryItem, summary_of
from .base import OwnedByCustomer, owner_key, table
from .batch_reads import batch_get, get_together
from .customers import Parties, read_with_parties
from .dates import DateAttribute
from .mapping import from_item, from_raw, to_item
from .organizations import OrganizationItem, organization_of
from .pages import ListScope, Page, collect
from .sequences import SequenceItem, last_numbers_read, sequence_keys
from .transactions import Transaction, condition_failed


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
    coupon_uses = ListAttribute(default=list)
    auto_charge = BooleanAttribute(default=False)
    payment_method_id = UnicodeAttribute(null=True)
    time_zone = UnicodeAttribute(default="UTC")
    billing_anchor = DateAttribute(null=True)
    term_unbilled = BooleanAttribute(default=False)
    starts_at = DateAttribute(null=True)
    trial_start = DateAttribute(null=True)
    trial_end = DateAttribute(null=True)
    term_start = DateAttribute(null=True)
    term_end = DateAttribute(null=True)
    activated_at = UTCDateTimeAttribute(null=True)
    cancelled_at = UTCDateTimeAttribute(null=True)
    cancel_reason = UnicodeAttribute(null=True)
    expired_at = UTCDateTimeAttribute(null=True)
    expired_reason = UnicodeAttribute(null=True)
    scheduled_change = MapAttribute(null=True)
    pause_at = DateAttribute(null=True)
    pause_unused_time = UnicodeAttribute(null=True)     # credit | keep, while a pause is scheduled
    resume_at = DateAttribute(null=True)
    paused_at = DateAttribute(null=True)
    trial_extensions_used = NumberAttribute(default=0)
    dunning_attempts = NumberAttribute(default=0)
    charge_attempts = NumberAttribute(default=0)
    next_retry_at = UTCDateTimeAttribute(null=True)
    last_failure_code = UnicodeAttribute(null=True)
    unpaid_invoice_id = UnicodeAttribute(null=True)
    carried_invoice_ids = UnicodeSetAttribute(null=True)   # none carried: not stored (most subscriptions)
    reference = UnicodeAttribute(default="")
    retention_offer = UnicodeAttribute(null=True)
    undo = MapAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute(null=True)
    due_partition = UnicodeAttribute(null=True)
    due_at = UTCDateTimeAttribute(null=True)
    claimed_until = UTCDateTimeAttribute(null=True)   # a job run holds the item until then
    version = VersionAttribute()

    by_status = SubscriptionsByStatus()
    due = DueSubscriptions()
    by_organization = SubscriptionsByOrganization()


@dataclass(frozen=True)
class DueSubscription:
    org_id: str
    subscription: Subscription
    snapshot: dict | None = None    # the item as the index gave it, for `from_snapshot` (JSON as it is)


class Subscriptions:
    """The customers' subscriptions, each written on the version read."""

    def get(self, org_id: str, customer_id: str, subscription_id: str) -> Subscription:
        try:
            item = SubscriptionItem.get(owner_key(org_id, customer_id), subscription_id)
        except DoesNotExist:
            raise NotFound("subscription") from None
        return subscription_of(item)

    def get_many(self, org_id: str, customer_id: str, subscription_ids) -> list[Subscription]:
        """The customer's subscriptions with these ids (one BatchGet; missing ones are absent)."""
        return [subscription_of(item) for item in _items(org_id, customer_id, subscription_ids)]

    def unclaimed(self, org_id: str, customer_id: str, subscription_ids, now: datetime) -> dict[str, Subscription]:
        """As `get_many`, less those a scheduled run holds at `now`: a held one is the run's to update."""
        items = _items(org_id, customer_id, subscription_ids)
        return {item.subscription_id: subscription_of(item) for item in items
                if item.claimed_until is None or item.claimed_until <= now}

    def with_organization(self, org_id: str, customer_id: str, subscription_id: str, *,
                          consistent: bool = True) -> tuple[Organization, Subscription | None]:
        """The organization and one of the customer's subscriptions (None if it is not theirs), in one
        BatchGetItem (`batch_reads.get_together`: why not a transaction); `consistent` False for what
        is only shown."""
        org_item, sub_item = get_together((OrganizationItem, (org_id,)),
                                          (SubscriptionItem, (owner_key(org_id, customer_id), subscription_id)),
                                          consistent_read=consistent)
        if org_item is None:
            raise NotFound("organization")
        return organization_of(org_item), subscription_of(sub_item) if sub_item is not None else None

    def with_organization_and_summary(self, org_id: str, customer_id: str, subscription_id: str, *,
                                      consistent: bool = True, sequences: tuple[str, ...] = ()
                                      ) -> tuple[Organization, Subscription | None, AccountSummary | None,
                                                 dict[str, int]]:
        """As `with_organization`, with the account summary (None if the customer has none yet) and the
        last numbers of `sequences` (by name; 0 for none given yet) in the same BatchGetItem: what an
        action that bills with the customer's credits starts from, and numbers its documents from."""
        owner = owner_key(org_id, customer_id)
        numbered = sequence_keys(org_id, sequences)
        found = batch_get({OrganizationItem: [(org_id,)], SubscriptionItem: [(owner, subscription_id)],
                           AccountSummaryItem: [(owner,)], SequenceItem: [(key,) for key in numbered]},
                          consistent_read=consistent)
        if not found[OrganizationItem]:
            raise NotFound("organization")
        sub_items, summary_items = found[SubscriptionItem], found[AccountSummaryItem]
        return (organization_of(found[OrganizationItem][0]), subscription_of(sub_items[0]) if sub_items else None,
                summary_of(summary_items[0]) if summary_items else None,
                last_numbers_read(numbered, found[SequenceItem]))

    def with_parties(self, org_id: str, customer_id: str, subscription_id: str) -> Parties:
        """The subscription with its organization and customer, in one BatchGetItem; NotFound if
        any is missing."""
        return read_with_parties(org_id, customer_id, model=SubscriptionItem, item_id=subscription_id,
                                 to_domain=subscription_of, kind="subscription")

    def page(self, org_id: str, customer_id: str, *, status: str | None, limit: int,
             cursor: str | None) -> Page[Subscription]:
        owner = owner_key(org_id, customer_id)
        scope = ListScope(f"subscriptions:{status or 'all'}", "owner", owner)
        start = scope.start(cursor)
        if status:
            results = SubscriptionItem.by_status.query(
                owner, SubscriptionItem.status_key.startswith(f"{status}#"),
                limit=limit, last_evaluated_key=start, scan_index_forward=False)
        else:
            results = SubscriptionItem.query(owner, limit=limit, last_evaluated_key=start,
                                             scan_index_forward=False)
        return collect(results, _subscription_read, limit, scope)

    def page_for_organization(self, org_id: str, *, limit: int, cursor: str | None) -> Page[Subscription]:
        scope = ListScope("subscriptions of the organization", "org_id", org_id)
        start = scope.start(cursor)
        results = SubscriptionItem.by_organization.query(org_id, limit=limit, last_evaluated_key=start,
                                                         scan_index_forward=False)
        return collect(results, _subscription_read, limit, scope)

    def charged_to(self, org_id: str, customer_id: str, payment_method_id: str) -> list[Subscription]:
        """The customer's subscriptions charged to `payment_method_id` (a Query by owner)."""
        results = SubscriptionItem.query(owner_key(org_id, customer_id), consistent_read=True,
                                         filter_condition=SubscriptionItem.payment_method_id == payment_method_id)
        return [subscription_of(item) for item in results]

    def add(self, org_id: str, sub: Subscription, *, clock: str) -> Subscription:
        item = item_for(org_id, sub, clock=clock)
        item.save(condition=SubscriptionItem.subscription_id.does_not_exist())
        return subscription_of(item)

    def save(self, org_id: str, sub: Subscription, *, clock: str) -> Subscription:
        """Write back a subscription read earlier; ConcurrentUpdate if it changed meanwhile."""
        item = item_for(org_id, sub, clock=clock)
        try:
            item.save()
        except PutError as error:
            if condition_failed(error):
                raise ConcurrentUpdate("subscription") from error
            raise
        return subscription_of(item)

    # -- within the caller's transaction: each answers what `saved` reads back after the commit --

    def add_in(self, tx: Transaction, org_id: str, sub: Subscription, *, clock: str) -> SubscriptionItem:
        """A new subscription, written only if it does not exist yet."""
        item = item_for(org_id, sub, clock=clock)
        tx.save(item, condition=SubscriptionItem.subscription_id.does_not_exist())
        return item

    def put_in(self, tx: Transaction, org_id: str, sub: Subscription, *, clock: str,
               updated_at: datetime | None = None) -> SubscriptionItem:
        """A subscription read earlier, written back on the condition that it is still the version read."""
        item = item_for(org_id, sub, clock=clock)
        if updated_at is not None:
            item.updated_at = updated_at
        tx.save(item)
        return item

    def unchanged_in(self, tx: Transaction, org_id: str, sub: Subscription) -> None:
        """The transaction fails if the subscription changed since it was read (its version): a write
        judged on the subscription as read, that does not write the subscription itself."""
        tx.condition_check(SubscriptionItem, owner_key(org_id, sub.customer_id), sub.subscription_id,
                           condition=SubscriptionItem.version == sub.version)

    def charge_to_in(self, tx: Transaction, org_id: str, sub: Subscription, payment_method_id: str | None,
                     now: datetime, *, auto_charge: bool | None = None) -> None:
        """Point a subscription at another payment method, on the condition that it is unchanged
        since it was read (its version)."""
        item = SubscriptionItem(owner_key(org_id, sub.customer_id), sub.subscription_id)
        item.version = sub.version
        S = SubscriptionItem
        actions = [S.payment_method_id.set(payment_method_id) if payment_method_id else S.payment_method_id.remove(),
                   S.updated_at.set(now)]
        if auto_charge is not None:
            actions.append(S.auto_charge.set(auto_charge))
        tx.update(item, actions=actions)

    def written_version(self, sub: Subscription) -> int:
        """The version a write of `sub` (read at its version) gives the item: PynamoDB's version
        attribute moves on by one with every write (None, never written: 1)."""
        return (sub.version or 0) + 1

    def saved(self, item: SubscriptionItem) -> Subscription:
        """The domain view of an item after it was written in a transaction (version bumped)."""
        return subscription_of(item)

    # -- due work ------------------------------------------------------------------------------

    def shards(self) -> range:
        return range(settings().due_work_shards)

    def due(self, clock: str, shard: int, now: datetime, *, page: int) -> Iterator[DueSubscription]:
        """The subscriptions of `clock`'s shard whose work is due at `now`, earliest first, read
        `page` at a time as the caller goes on (it stops when its time budget runs out)."""
        results = SubscriptionItem.due.query(f"{clock}#{shard}", SubscriptionItem.due_at <= now, page_size=page)
        for item in results:
            yield DueSubscription(item.org_id, subscription_of(item), item.serialize())

    def from_snapshot(self, snapshot: dict) -> Subscription:
        """The subscription a `DueSubscription.snapshot` holds, as read then (its version with it):
        written back or claimed only if nothing changed it since."""
        return subscription_of(SubscriptionItem.from_raw_data(snapshot))

    def claim(self, org_id: str, sub: Subscription, now: datetime, lease: timedelta) -> Subscription | None:
        """Hold `sub` until now + lease, on the condition that it is the version read and nobody holds
        it; the claimed subscription (version bumped), or None if another runner has it or it changed."""
        item = SubscriptionItem(owner_key(org_id, sub.customer_id), sub.subscription_id)
        item.version = sub.version
        try:
            item.update(actions=[SubscriptionItem.claimed_until.set(now + lease)],
                        condition=SubscriptionItem.claimed_until.does_not_exist()
                        | (SubscriptionItem.claimed_until < now))
        except UpdateError as error:
            if condition_failed(error):
                return None
            raise
        return subscription_of(item)

    def put_claimed_in(self, tx: Transaction, org_id: str, sub: Subscription, *, clock: str, now: datetime,
                       hold_until: datetime | None = None) -> SubscriptionItem:
        """Finish a piece of work on a claimed subscription within the caller's transaction: written on
        the version the claim left, the due time kept in step with the work left, the claim removed
        (or, with `hold_until`, kept until then)."""
        item = item_for(org_id, sub, clock=clock)
        at = scheduling.due_at(sub)
        if at is None:
            item.due_partition, item.due_at = None, None
        else:
            shard = zlib.crc32(sub.subscription_id.encode()) % settings().due_work_shards
            item.due_partition, item.due_at = f"{clock}#{shard}", at
        item.claimed_until = hold_until
        item.updated_at = now
        tx.save(item)
        return item


def subscription_of(item: SubscriptionItem) -> Subscription:
    """The subscription an item holds, upgraded from the shape items stored before billing days
    had anchors and coupons counted their cycles per subscription (safe to read twice)."""
    sub = from_item(Subscription, item)
    return _upgraded(sub, item) if sub.billing_anchor is None and sub.term_start is not None else sub


def _subscription_read(raw: dict) -> Subscription:
    """`subscription_of` the item DynamoDB answered, made into a PynamoDB item only to be upgraded."""
    sub = from_raw(Subscription, SubscriptionItem, raw)
    return subscription_of(SubscriptionItem.from_raw_data(raw)) if sub.billing_anchor is None and \
        sub.term_start is not None else sub


def _upgraded(sub: Subscription, item: SubscriptionItem) -> Subscription:
    """A coupon stored with `cycles_remaining` (this term's cycle included) keeps the cycles it had
    left, counted from this term; one-time addons of a running term were billed with it."""
    stored = item.coupon.as_dict() if item.coupon is not None else {}
    if sub.coupon is not None and "cycles_remaining" in stored and stored.get("cycles") is None:
        left = stored["cycles_remaining"]
        sub = replace(sub, coupon=replace(sub.coupon, cycles=None if left is None else int(left)),
                      coupon_uses=sub.coupon_uses or ((CouponUse(sub.coupon.key, 1, sub.term_start),)
                                                      if left is not None else ()))
    return replace(sub, addons=tuple(a if a.recurring or a.billed_on else replace(a, billed_on=sub.term_start)
                                     for a in sub.addons))


def item_for(org_id: str, sub: Subscription, *, clock: str) -> SubscriptionItem:
    """The item for `sub`, with its status key and due-work attributes (the repository's writes; the
    bench writes items in batches)."""
    item = to_item(SubscriptionItem, sub, owner=owner_key(org_id, sub.customer_id), org_id=org_id,
                   status_key=f"{sub.status.value}#{sub.subscription_id}")
    due_at = next_due_at(sub)
    if due_at is not None:
        shard = zlib.crc32(sub.subscription_id.encode()) % settings().due_work_shards
        item.due_partition, item.due_at = f"{clock}#{shard}", due_at
    return item


def _items(org_id: str, customer_id: str, subscription_ids) -> list[SubscriptionItem]:
    # consistent: what is read here is written back on the condition of its version
    owner = owner_key(org_id, customer_id)
    keys = [(owner, s) for s in dict.fromkeys(subscription_ids)]
    return list(SubscriptionItem.batch_get(keys, consistent_read=True)) if keys else []
