"""moto's DynamoDB for the drain bench: transactions that back up only the items they name, and
answers written as the JSON they already are.

To roll a cancelled TransactWriteItems back, moto deep-copies every table the transaction writes
before each one: a cost that grows with the table (quadratically over a drain of many renewals,
each writing a few transactions), which DynamoDB does not have. Here a transaction saves the items
it names instead and puts them back if it is cancelled, which is all the rollback needs; every
other call is moto's own. The server serves DynamoDB one request at a time
(devstack/server.py), so nothing writes in between.

And moto writes every answer through a generic serializer that walks each attribute of each item
against the API's model: about half of moto's time per call in the drain, more than the call's
whole round trip on DynamoDB. Its item answers (GetItem, Query, the writes) are already
DynamoDB's JSON, so here they are written as they are; anything that does not encode as JSON as
it is (or any error) still goes through moto's serializer."""
from __future__ import annotations

import copy
import json
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Iterator


@contextmanager
def transactions_backing_up_items() -> Iterator[None]:
    """While open, moto's TransactWriteItems backs up the items it names, not whole tables."""
    import moto.dynamodb.models as models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    transact, tables_copied = DynamoDBBackend.transact_write_items, models.copy

    def with_item_backups(backend, transact_items):
        saved = [_saved(backend, op) for item in transact_items for op in item.values()]
        try:
            return transact(backend, transact_items)
        except Exception:
            for table, hash_key, range_key, before in saved:
                _put_back(table, hash_key, range_key, before)
            raise

    DynamoDBBackend.transact_write_items = with_item_backups
    models.copy = SimpleNamespace(deepcopy=lambda thing: thing if isinstance(thing, Table) else copy.deepcopy(thing))
    try:
        yield
    finally:
        DynamoDBBackend.transact_write_items, models.copy = transact, tables_copied


def _saved(backend, op: dict) -> tuple:
    """(table, hash key, range key, a copy of the item or None) of one operation of a transaction."""
    table = backend.get_table(op["TableName"])
    attributes = op.get("Key") or op["Item"]
    key = {table.hash_key_attr: attributes[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attributes[table.range_key_attr]
    hash_key, range_key = backend.get_keys_value(table, key)
    return table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))


def _put_back(table, hash_key, range_key, before) -> None:
    if range_key is None:
        if before is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = before
    elif before is None:
        table.items.get(hash_key, {}).pop(range_key, None)
    else:
        table.items[hash_key][range_key] = before


ITEM_OPERATIONS = {"GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem",
                   "TransactWriteItems", "TransactGetItems", "BatchWriteItem"}


@contextmanager
def item_answers_as_json() -> Iterator[None]:
    """While open, moto answers DynamoDB's item operations with their JSON as it is."""
    from moto.dynamodb.responses import DynamoResult

    serialized = DynamoResult.execute_result

    def as_json(result, context):
        if context.operation_model.name in ITEM_OPERATIONS:
            try:
                return 200, {"Content-Type": "application/x-amz-json-1.0"}, json.dumps(result.result)
            except (TypeError, ValueError):
                pass
        return serialized(result, context)

    DynamoResult.execute_result = as_json
    try:
        yield
    finally:
        DynamoResult.execute_result = serialized
