"""Due work: subscriptions found through the sparse, sharded `due` index (a Query per shard, never
a Scan), claimed with a conditional write before a runner acts on them, and written back with the
claim removed."""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator

from pynamodb.exceptions import UpdateError

from ...config import settings
from ...domain import scheduling
from ...domain.subscription import Subscription
from ..base import owner_key
from ..subscriptions import SubscriptionItem
from ..transactions import condition_failed
from . import subscriptions


@dataclass(frozen=True)
class DueSubscription:
    org_id: str
    subscription: Subscription


def shards() -> range:
    return range(settings().due_work_shards)


def due(clock: str, shard: int, now: datetime, *, page: int) -> Iterator[DueSubscription]:
    """The subscriptions of `clock`'s shard whose work is due at `now`, earliest first, read
    `page` at a time as the caller goes on (it stops when its time budget runs out)."""
    results = SubscriptionItem.due.query(f"{clock}#{shard}", SubscriptionItem.due_at <= now, page_size=page)
    for item in results:
        yield DueSubscription(item.org_id, subscriptions.domain_of(item))


def claim(org_id: str, sub: Subscription, now: datetime, lease: timedelta) -> Subscription | None:
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
    return subscriptions.domain_of(item)


def item_for(org_id: str, sub: Subscription, *, clock: str, now: datetime) -> SubscriptionItem:
    """The item that finishes a piece of work (claim removed, due time kept in step with the work
    left), written on the version the claim left: for the caller's transaction."""
    item = subscriptions.item_for(org_id, sub, clock=clock)
    at = scheduling.due_at(sub)
    if at is None:
        item.due_partition, item.due_at = None, None
    else:
        shard = zlib.crc32(sub.subscription_id.encode()) % settings().due_work_shards
        item.due_partition, item.due_at = f"{clock}#{shard}", at
    item.claimed_until = None
    item.updated_at = now
    return item
