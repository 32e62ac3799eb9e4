"""Subscriptions, with the due-work attributes kept in step with the domain."""
from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError

from ...config import settings
from ...domain.errors import ConcurrentUpdate, NotFound
from ...domain.subscription import CouponUse, Subscription, next_due_at
from ..base import owner_key
from ..mapping import from_item, to_item
from ..pages import Page, collect, decode_cursor
from ..subscriptions import SubscriptionItem
from ..transactions import condition_failed


def domain_of(item: SubscriptionItem) -> Subscription:
    """The subscription an item holds, upgraded from the shape items stored before billing days
    had anchors and coupons counted their cycles per subscription (issue-free to read twice)."""
    sub = from_item(Subscription, item)
    return _upgraded(sub, item) if sub.billing_anchor is None and sub.term_start is not None else sub


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


def get(org_id: str, customer_id: str, subscription_id: str) -> Subscription:
    try:
        item = SubscriptionItem.get(owner_key(org_id, customer_id), subscription_id)
    except DoesNotExist:
        raise NotFound("subscription") from None
    return domain_of(item)


def get_many(org_id: str, customer_id: str, subscription_ids) -> list[Subscription]:
    """The customer's subscriptions with these ids (one BatchGet; missing ones are absent)."""
    return [domain_of(item) for item in _items(org_id, customer_id, subscription_ids)]


def unclaimed(org_id: str, customer_id: str, subscription_ids, now: datetime) -> dict[str, Subscription]:
    """As `get_many`, less those a scheduled run holds at `now`: a held one is the run's to update."""
    items = _items(org_id, customer_id, subscription_ids)
    return {item.subscription_id: domain_of(item) for item in items
            if item.claimed_until is None or item.claimed_until <= now}


def _items(org_id: str, customer_id: str, subscription_ids) -> list[SubscriptionItem]:
    # consistent: what is read here is written back on the condition of its version
    owner = owner_key(org_id, customer_id)
    keys = [(owner, s) for s in dict.fromkeys(subscription_ids)]
    return list(SubscriptionItem.batch_get(keys, consistent_read=True)) if keys else []


def page(org_id: str, customer_id: str, *, status: str | None, limit: int,
         cursor: str | None) -> Page[Subscription]:
    owner = owner_key(org_id, customer_id)
    start = decode_cursor(cursor, hash_attribute="owner", hash_value=owner)
    if status:
        results = SubscriptionItem.by_status.query(
            owner, SubscriptionItem.status_key.startswith(f"{status}#"),
            limit=limit, last_evaluated_key=start, scan_index_forward=False)
    else:
        results = SubscriptionItem.query(owner, limit=limit, last_evaluated_key=start,
                                         scan_index_forward=False)
    return collect(results, lambda item: domain_of(item), limit)


def page_for_organization(org_id: str, *, limit: int, cursor: str | None) -> Page[Subscription]:
    start = decode_cursor(cursor, hash_attribute="org_id", hash_value=org_id)
    results = SubscriptionItem.by_organization.query(org_id, limit=limit, last_evaluated_key=start,
                                                     scan_index_forward=False)
    return collect(results, lambda item: domain_of(item), limit)


def item_for(org_id: str, sub: Subscription, *, clock: str) -> SubscriptionItem:
    """The item for `sub`, with its status key and due-work attributes; for saves and transactions."""
    item = to_item(SubscriptionItem, sub, owner=owner_key(org_id, sub.customer_id), org_id=org_id,
                   status_key=f"{sub.status.value}#{sub.subscription_id}")
    due_at = next_due_at(sub)
    if due_at is not None:
        shard = zlib.crc32(sub.subscription_id.encode()) % settings().due_work_shards
        item.due_partition, item.due_at = f"{clock}#{shard}", due_at
    return item


def add(org_id: str, sub: Subscription, *, clock: str) -> Subscription:
    item = item_for(org_id, sub, clock=clock)
    item.save(condition=SubscriptionItem.subscription_id.does_not_exist())
    return domain_of(item)


def save(org_id: str, sub: Subscription, *, clock: str) -> Subscription:
    """Write back a subscription read earlier; ConcurrentUpdate if it changed meanwhile."""
    item = item_for(org_id, sub, clock=clock)
    try:
        item.save()
    except PutError as error:
        if condition_failed(error):
            raise ConcurrentUpdate("subscription") from error
        raise
    return domain_of(item)


def saved(item: SubscriptionItem) -> Subscription:
    """The domain view of an item after it was written in a transaction (version bumped)."""
    return domain_of(item)
