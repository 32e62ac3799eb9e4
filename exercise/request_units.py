"""DynamoDB request units (on-demand billing) of what reaches the wire, from each call's parameters
and answer, by DynamoDB's rules: a read is 0.5 unit per 4 KB eventually consistent, 1 strongly
consistent, 2 in a transaction; a write 1 unit per KB, 2 in a transaction, once more for each
index the written item is in. moto reports fixed units, so the bench counts them itself.

Approximations (stated in RESULTS.md): an update is taken as one KB and as touching an index when
its expression names one of the index's keys; a Query's filtered-out items weigh as the returned ones."""
from __future__ import annotations

import math
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

READ_BLOCK, WRITE_BLOCK = 4096, 1024


@dataclass
class Units:
    read: float = 0.0
    write: float = 0.0
    by_operation: Counter = field(default_factory=Counter)
    items_put: Counter = field(default_factory=Counter)      # table name -> items put
    items_read: int = 0      # items DynamoDB looked at (a Query's filtered-out ones too)


def item_size(item: dict) -> int:
    """Bytes DynamoDB counts for an item in its wire format ({"name": {"S": "..."}}): names and values."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: dict) -> int:
    (kind, data), = value.items()
    if kind == "S":
        return len(data.encode())
    if kind == "N":
        return len(data.strip("-").lstrip("0").replace(".", "")) // 2 + 2
    if kind == "B":
        return len(data)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + item_size(data)
    if kind == "L":
        return 3 + sum(_value_size(element) + 1 for element in data)
    return sum(_value_size({kind[0]: element}) for element in data)   # SS, NS, BS


def items_read(operation: str, answer: dict) -> int:
    """Items a read looked at: a Query's scanned ones, a filter's left-outs included."""
    if operation == "GetItem":
        return int("Item" in answer)
    if operation in ("Query", "Scan"):
        return max(answer.get("ScannedCount", 0), answer.get("Count", 0))
    if operation == "BatchGetItem":
        return sum(len(items) for items in answer.get("Responses", {}).values())
    if operation == "TransactGetItems":
        return sum("Item" in r for r in answer.get("Responses", []))
    return 0


def read_units(operation: str, params: dict, answer: dict) -> float:
    if operation == "GetItem":
        return _blocks(item_size(answer.get("Item", {})), READ_BLOCK) * _consistency(params)
    if operation == "Query":
        returned = sum(item_size(item) for item in answer.get("Items", []))
        scanned = max(answer.get("ScannedCount", 0), answer.get("Count", 0))
        weight = returned * scanned / answer["Count"] if answer.get("Count") else scanned * 100
        return _blocks(weight, READ_BLOCK) * _consistency(params)
    if operation == "BatchGetItem":
        found = answer.get("Responses", {})
        units = 0.0
        for table, request in params["RequestItems"].items():
            items = found.get(table, [])
            units += (sum(_blocks(item_size(i), READ_BLOCK) for i in items)
                      + max(0, len(request["Keys"]) - len(items))) * _consistency(request)
        return units
    if operation == "TransactGetItems":
        return sum(2 * _blocks(item_size(r.get("Item", {})), READ_BLOCK) for r in answer.get("Responses", []))
    return 0.0


def write_units(operation: str, params: dict, index_keys: dict[str, list[set[str]]]) -> float:
    """`index_keys`: table name -> the key attributes of each of its indexes."""
    if operation == "TransactWriteItems":
        return sum(2 * _one_write(kind, body, index_keys) for entry in params["TransactItems"]
                   for kind, body in entry.items())
    if operation == "BatchWriteItem":
        return sum(_one_write(kind.replace("Request", ""), {"TableName": table, **body}, index_keys)
                   for table, requests in params["RequestItems"].items() for request in requests
                   for kind, body in request.items())
    kind = {"PutItem": "Put", "UpdateItem": "Update", "DeleteItem": "Delete"}.get(operation)
    return _one_write(kind, params, index_keys) if kind else 0.0


def tables_put_into(operation: str, params: dict) -> list[str]:
    """The table of each item a write puts (a new item or a whole replacement)."""
    if operation == "PutItem":
        return [params["TableName"]]
    if operation == "TransactWriteItems":
        return [entry["Put"]["TableName"] for entry in params["TransactItems"] if "Put" in entry]
    if operation == "BatchWriteItem":
        return [table for table, requests in params["RequestItems"].items() for request in requests
                if "PutRequest" in request]
    return []


def _one_write(kind: str, body: dict, index_keys: dict[str, list[set[str]]]) -> float:
    indexes = index_keys.get(body.get("TableName", ""), [])
    if kind == "Put":
        units = _blocks(item_size(body["Item"]), WRITE_BLOCK)
        return units * (1 + sum(1 for keys in indexes if keys <= set(body["Item"])))
    if kind == "Update":
        names = set((body.get("ExpressionAttributeNames") or {}).values())
        return 1 + sum(1 for keys in indexes if keys & names)
    return 1.0   # Delete, ConditionCheck (an item of up to 1 KB)


def _blocks(size: float, block: int) -> int:
    return max(1, math.ceil(size / block))


def _consistency(params: dict) -> float:
    return 1.0 if params.get("ConsistentRead") else 0.5


def index_keys_of_tables() -> dict[str, list[set[str]]]:
    from chalicelib.tables import MODELS
    return {model.Meta.table_name: [{k["AttributeName"] for k in index._get_schema()["key_schema"]}
                                    for index in model._indexes.values()] for model in MODELS}


@contextmanager
def measuring_units():
    """Units of the DynamoDB calls made while open, through the tables' shared client."""
    from chalicelib.tables.base import shared_client
    units, client, indexes = Units(), shared_client(), index_keys_of_tables()

    def keep_params(params, context, **_):
        context["bench_params"] = params

    def count(parsed, model, context, **_):
        params = context.get("bench_params", {})
        units.read += read_units(model.name, params, parsed)
        units.items_read += items_read(model.name, parsed)
        units.write += write_units(model.name, params, indexes)
        units.items_put.update(tables_put_into(model.name, params))
        units.by_operation[model.name] += 1

    client.meta.events.register("before-parameter-build.dynamodb", keep_params)
    client.meta.events.register("after-call.dynamodb", count)
    try:
        yield units
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb", keep_params)
        client.meta.events.unregister("after-call.dynamodb", count)
