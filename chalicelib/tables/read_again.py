"""Items read again unchanged, mapped once: the domain value last made of an item, answered again
while the item DynamoDB answers is equal to the one it was made of.

Nearly every portal request reads its organization (one per deployment) and its customer with
the session, and a document's page or PDF reads them again with the document (customers.py
`organization_read`, `customer_read`); mapping them each time (PynamoDB's item, then the
dataclasses, the preferences' rules) cost about a tenth of a warm request. The value is kept by the
item's whole value, not its version or a time: an item that differs in any attribute is mapped
afresh on the request that reads it, so nothing is answered that the item does not say now.

Only values no code changes in place are kept (frozen dataclasses: the requests that read the same
item share one; a customer's custom fields, a dict, are copied before any change), for at most
`LIMIT` items per kind, in this process alone."""
from __future__ import annotations

from typing import Callable, Generic, Hashable, TypeVar

V = TypeVar("V")
LIMIT = 512   # items per kind: a Lambda serves one organization and the customers signed in lately


class ReadAgain(Generic[V]):
    """Values of one kind (`make`: an item as DynamoDB answers it -> its immutable domain value)."""

    def __init__(self, make: Callable[[dict], V]):
        self._make = make
        self._kept: dict[Hashable, tuple[dict, V]] = {}

    def value(self, key: Hashable, raw: dict) -> V:
        """The value of item `raw` (its table key `key`): the one kept if it was made of an equal item."""
        kept = self._kept.get(key)
        if kept is not None and kept[0] == raw:
            return kept[1]
        value = self._make(raw)
        if len(self._kept) >= LIMIT:
            self._kept.clear()
        self._kept[key] = (raw, value)
        return value
