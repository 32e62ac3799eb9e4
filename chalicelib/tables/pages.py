"""Cursor pagination over Queries. A cursor is the query's last key, encoded and signed (HMAC)
for the one list and partition that gave it out: a cursor edited, forged or carried to another
list or customer is refused (400) before it reaches DynamoDB, so no cursor can start a query in
someone else's partition or with a key of the wrong shape."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Callable, Generic, Iterator, TypeVar

from .. import config
from ..domain.errors import InvalidInput

T = TypeVar("T")
MAX_PAGE_SIZE = 100
NOT_OURS = {"cursor": "Not a cursor this list gave out."}


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def every(page_of: Callable[[str | None], Page[T]]) -> Iterator[T]:
    """Every item of a list, page after page (`page_of(cursor)`): for the operator's backfills."""
    cursor = None
    while True:
        page = page_of(cursor)
        yield from page.items
        cursor = page.next_cursor
        if not cursor:
            return


@dataclass(frozen=True)
class ListScope:
    """One list of one partition (`name` says which list, e.g. "invoices by owner"): the cursors
    it gives out are good for it alone."""
    name: str
    hash_attribute: str
    hash_value: str

    def signature(self, encoded_key: str) -> str:
        key = config.settings().cursor_signing_key
        if not key:
            raise RuntimeError("PORTICO_CURSOR_KEY is not set: the stage's template sets it")
        message = "\n".join((self.name, self.hash_attribute, self.hash_value, encoded_key)).encode()
        return _b64(hmac.new(key.encode(), message, hashlib.sha256).digest()[:16])

    def cursor_after(self, last_key: dict | None) -> str | None:
        if not last_key:
            return None
        encoded = _b64(json.dumps(last_key, sort_keys=True, separators=(",", ":")).encode())
        return f"{encoded}.{self.signature(encoded)}"

    def start(self, cursor: str | None) -> dict | None:
        """The key to start the query after, from a cursor this list gave out (None: the first page)."""
        if not cursor:
            return None
        encoded, _, signature = cursor.partition(".")
        if not signature or not hmac.compare_digest(signature, self.signature(encoded)):
            raise InvalidInput(NOT_OURS)
        try:
            key = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
            owner = key[self.hash_attribute]["S"]
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise InvalidInput(NOT_OURS) from None
        if owner != self.hash_value:   # only if the signing key leaked: still nobody else's list
            raise InvalidInput(NOT_OURS)
        return key


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def collect(results, make, limit: int, scope: ListScope) -> Page:
    """A page of a query's `results`: `make` makes each item's value from the item as DynamoDB
    answered it (mapping.from_raw), not from a model item made first; the query's pages are read as
    PynamoDB's result iterator reads them, and the cursor is the key it would give."""
    pages, items, last_key = results.page_iter, [], None
    for page in pages:
        found = page.get("Items") or []
        taken = found[:limit - len(items)]
        items += [make(raw) for raw in taken]
        if len(items) >= limit:
            # a page read to its end resumes where DynamoDB stopped; else after the last item taken
            last_key = pages.last_evaluated_key if len(taken) == page["Count"] else \
                {name: taken[-1][name] for name in pages.key_names}
            break
    return Page(items, scope.cursor_after(last_key) if len(items) >= limit else None)
