"""Due work fanned out over a queue: a discovery finds what is due on a clock and says it as one
message per subscription; workers then do each item exactly as the serial run does
(scheduled.py: claim with a conditional write, act, write back in one transaction).

A message is only a hint. It carries the subscription as the discovery read it (its version with
it), and the worker acts only if work is due on it and the claim succeeds, which it does only on
that version: so a message delivered twice, a message overtaken by another worker, one that a
later discovery sent again, or one whose subscription changed since, does nothing. A subscription
changed since it was found, or held by a worker that died mid-item (its claim expires after
scheduled.LEASE), stays in the `due` index, and the next discovery sends it again. That way a
worker makes the serial run's DynamoDB calls and no more: the subscription comes from the
discovery's Query, the organization is read once per batch.

Fairness: a discovery sends at most `per_org` items of one organization, and sends the
organizations' items interleaved (one of each in turn), so one organization's backlog of renewals
never stands in front of another's cancellation or trial end for more than one discovery cycle
(docs/deploy.md, "Due work at scale").

A discovery has a time budget of its own inside its Lambda's timeout: it reads the shards a page
of each in turn, earliest due first, and stops reading when the budget says so. What it did not
read is still due, and the next discovery reads it; nothing is marked as sent, so nothing is lost,
and a subscription sent twice is done once (the claim)."""
from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import islice, zip_longest
from typing import Callable, Iterator

from ...domain import scheduling
from ...domain.errors import NotFound
from .scheduled import WorkDone, _Job, _run_one

DISCOVERY_PAGE = 500      # due items read per Query: discovery reads, it does not act
# A subscription bigger than this goes without its snapshot (the worker reads it): ten messages
# must fit SQS's 256 KB a SendMessageBatch.
SNAPSHOT_MOST_BYTES = 20_000


@dataclass(frozen=True)
class DueItem:
    """One subscription's due work, as a queue message carries it."""
    clock: str
    org_id: str
    customer_id: str
    subscription_id: str
    work: str
    due_at: str          # ISO 8601: when the work fell due (how late the worker is, in its logs)
    subscription: dict | None = field(default=None, repr=False)   # as read (tables' snapshot); None: read it

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, body: dict) -> "DueItem":
        """The item a message body describes; KeyError or TypeError if it is not one."""
        snapshot = body.get("subscription")
        if snapshot is not None and not isinstance(snapshot, dict):
            raise TypeError("subscription")
        return cls(**{name: str(body[name]) for name in cls.__dataclass_fields__ if name != "subscription"},
                   subscription=snapshot)


@dataclass
class Discovery:
    items: list[DueItem]       # in the order to send them: organizations interleaved
    held_back: int = 0         # due items over an organization's share, left to the next discovery
    stopped_early: bool = False    # the budget ran out before every shard was read to its end

    @property
    def organizations(self) -> int:
        return len({item.org_id for item in self.items})


def discover_due(adapters, clock: str, now: datetime, *, per_org: int,
                 out_of_time: Callable[[], bool] = lambda: False) -> Discovery:
    """The due work on `clock` at `now`, the shards read a page of each in turn until every one is
    read or `out_of_time()`; at most `per_org` items per organization, earliest due first within one."""
    by_org: OrderedDict[str, list[DueItem]] = OrderedDict()
    held_back = 0
    for found in _shards_in_turn(adapters.uow.subscriptions, clock, now):
        if found is None:           # a page of each shard read: time to look at the clock
            if out_of_time():
                return Discovery(_interleaved(by_org), held_back, stopped_early=True)
            continue
        sub = found.subscription
        work = scheduling.work_due(sub, now)
        if work is None:
            continue    # the index lagged behind the item
        mine = by_org.setdefault(found.org_id, [])
        if len(mine) >= per_org:
            held_back += 1
            continue
        mine.append(DueItem(clock, found.org_id, sub.customer_id, sub.subscription_id, work.value,
                            (scheduling.due_at(sub) or now).isoformat(), _small(found.snapshot)))
    return Discovery(_interleaved(by_org), held_back)


def _shards_in_turn(subscriptions, clock: str, now: datetime) -> Iterator:
    """The due items of every shard, a page of each in turn, None after each round of pages (and
    before the first), until every shard is read to its end."""
    reading = [subscriptions.due(clock, shard, now, page=DISCOVERY_PAGE) for shard in subscriptions.shards()]
    while reading:
        yield None
        still_reading = []
        for shard in reading:
            page = list(islice(shard, DISCOVERY_PAGE))
            yield from page
            if len(page) == DISCOVERY_PAGE:
                still_reading.append(shard)
        reading = still_reading


def _interleaved(by_org: OrderedDict[str, list[DueItem]]) -> list[DueItem]:
    return [item for turn in zip_longest(*by_org.values()) for item in turn if item is not None]


def _small(snapshot: dict | None) -> dict | None:
    return snapshot if snapshot is not None and len(json.dumps(snapshot)) <= SNAPSHOT_MOST_BYTES else None


def run_due_item(adapters, item: DueItem, now: datetime, orgs: dict | None = None) -> WorkDone | None:
    """Do `item`'s work if it is due at `now` on the subscription the message carries (or, without
    one, as read now) and nobody holds it: what was done, or None
    when there was nothing (left) to do. `orgs`: the organizations read so far in this batch."""
    orgs = {} if orgs is None else orgs
    try:
        org = orgs.get(item.org_id) or orgs.setdefault(item.org_id, adapters.uow.organizations.get(item.org_id))
        sub = adapters.uow.subscriptions.from_snapshot(item.subscription) if item.subscription is not None \
            else adapters.uow.subscriptions.get(item.org_id, item.customer_id, item.subscription_id)
    except NotFound:
        return None     # deleted since it was found: nothing to do
    if (sub.subscription_id, sub.customer_id) != (item.subscription_id, item.customer_id):
        raise ValueError(f"the message's subscription is not {item.subscription_id}")
    return _run_one(adapters, _Job(org, item.clock, now), sub)
