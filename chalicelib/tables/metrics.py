"""Counting DynamoDB calls (for the bench and the call-budget tests), through a botocore event
hook on the shared client: what is counted is what reaches the wire."""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from .base import shared_client

READS = {"GetItem", "Query", "BatchGetItem", "TransactGetItems", "Scan"}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


@dataclass
class CallCount:
    operations: Counter = field(default_factory=Counter)

    @property
    def reads(self) -> int:
        return sum(n for op, n in self.operations.items() if op in READS)

    @property
    def writes(self) -> int:
        return sum(n for op, n in self.operations.items() if op in WRITES)


@contextmanager
def counting_calls():
    count = CallCount()
    client = shared_client()

    def record(model, **_):
        count.operations[model.name] += 1

    client.meta.events.register("before-call.dynamodb", record)
    try:
        yield count
    finally:
        client.meta.events.unregister("before-call.dynamodb", record)
