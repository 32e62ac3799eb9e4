"""Items of several tables by key in one BatchGetItem: PynamoDB's batch_get reads one model only,
and a route reading its catalog entries and its credit notes at once stays within its read budget."""
from __future__ import annotations

import time
from typing import Collection, Iterable

from pynamodb.models import Model

from ..domain.errors import Unavailable
from . import read_ahead, throttling
from .base import shared_client

PAGE = 100   # keys per BatchGetItem
# Keys DynamoDB leaves unprocessed (a partly throttled batch) are asked again, backing off; keys
# still unread after that are a 503, never an item silently missing (a 404, a wrong total).
ATTEMPTS = 8
FIRST_BACKOFF_SECONDS = 0.02


def batch_get(wanted: dict[type[Model], Iterable[tuple]], *, consistent_read: bool = True,
              eventually_consistent: Iterable[type[Model]] = (),
              keep_ahead: bool | Collection[type[Model]] = False,
              answered: Collection[type[Model]] | None = None,
              as_read: Iterable[type[Model]] = ()) -> dict[type[Model], list]:
    """{model: [(hash, range), ...]} -> {model: [item, ...]}; missing items are simply absent.
    One call for up to 100 keys; more only for the keys DynamoDB leaves unprocessed (Unavailable
    if some are still unread after ATTEMPTS calls). The tables of `eventually_consistent` are read
    so whatever `consistent_read` says (half the read units).

    A key read ahead in this request (tables/read_ahead.py) is answered from that read, and none
    is asked again; `keep_ahead`: what this call reads is kept so (the session check's call), or only
    the items of the models it names (a change's session check: what the change declared it reads).
    `answered`: the models whose items the caller uses (None: every one); the others' are only kept,
    not made into items here as well as where they are taken. The items of `as_read` are answered as
    DynamoDB gave them, for the caller to map (read_again.py)."""
    models = {model.Meta.table_name: model for model in wanted}
    made = set(models) if answered is None else {model.Meta.table_name for model in answered}
    kept = set(models) if keep_ahead is True else {model.Meta.table_name for model in keep_ahead or ()}
    eventually = {model.Meta.table_name for model in eventually_consistent}
    found: dict[type[Model], list] = {model: [] for model in wanted}
    raw_tables = {model.Meta.table_name for model in as_read}
    keys = []
    for model, some in wanted.items():
        name = model.Meta.table_name
        consistent = consistent_read and name not in eventually
        for key in dict.fromkeys(some):
            held = read_ahead.NOT_HELD if kept else read_ahead.take(name, key, consistent=consistent)
            if held is read_ahead.NOT_HELD:
                keys.append((name, _key(model, key)))
                if name in kept:
                    read_ahead.keep(name, key, None, consistent=consistent)    # missing, unless found below
            elif held is not None:
                found[model].append(held if name in raw_tables else model.from_raw_data(held))
    for start in range(0, len(keys), PAGE):
        request = _request(keys[start:start + PAGE], consistent_read, eventually)
        for attempt in range(ATTEMPTS):
            if attempt:
                time.sleep(FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1))
            response = shared_client().batch_get_item(RequestItems=request)
            for name, items in response.get("Responses", {}).items():
                model = models[name]
                for raw in items:
                    if name in raw_tables:
                        found[model].append(raw)
                    elif name in made:
                        found[model].append(model.from_raw_data(raw))
                    if name in kept:
                        read_ahead.keep(name, _raw_key(model, raw), raw,
                                        consistent=consistent_read and name not in eventually)
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
        if request:
            raise Unavailable(throttling.RETRY_AFTER_SECONDS)
    return found


def get_together(*wanted: tuple[type[Model], tuple], consistent_read: bool = True,
                 eventually_consistent: Iterable[type[Model]] = (), as_read: Iterable[type[Model]] = ()) -> list:
    """One item of each of several tables, by key, in one BatchGetItem: [item or None, ...] in
    the order asked (None: the model is None, or the item is missing); the items of `as_read` as
    DynamoDB answered them (`batch_get`).

    Not a TransactGetItems: no caller needs the items isolated from each other (every write is
    conditional on the versions it read, so a read that straddles a write ends in a conflict and a
    fresh read, never a wrong write), and a transactional read costs twice a consistent one, four
    times an eventually consistent one."""
    asked = {model: [key] for model, key in wanted if model is not None}
    assert len(asked) == len([model for model, _ in wanted if model is not None]), "one key per table"
    found = batch_get(asked, consistent_read=consistent_read, eventually_consistent=eventually_consistent,
                      as_read=as_read)
    return [found[model][0] if model is not None and found[model] else None for model, _ in wanted]


def _key(model: type[Model], key: tuple) -> dict:
    """A (hash[, range]) key as the wire has it: {"owner": {"S": "..."}, ...}."""
    attributes = [model._hash_key_attribute(), model._range_key_attribute()]
    return {attribute.attr_name: {attribute.attr_type: attribute.serialize(value)}
            for attribute, value in zip(attributes, key) if attribute is not None}


def _raw_key(model: type[Model], raw: dict) -> tuple:
    """An item's (hash[, range]) key, as `batch_get` is asked for it, from the item as DynamoDB answered it."""
    return tuple(attribute.deserialize(raw[attribute.attr_name][attribute.attr_type])
                 for attribute in (model._hash_key_attribute(), model._range_key_attribute()) if attribute is not None)


def _request(keys: list[tuple[str, dict]], consistent_read: bool, eventually: set[str]) -> dict:
    request: dict = {}
    for table_name, key in keys:
        request.setdefault(table_name, {"Keys": [], "ConsistentRead": consistent_read and table_name not in eventually}
                           )["Keys"].append(key)
    return request
