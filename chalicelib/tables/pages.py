"""Cursor pagination over Queries: the cursor is the last key, encoded, and checked on the
way back in so a tampered cursor cannot start a query in someone else's partition."""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..domain.errors import InvalidInput

T = TypeVar("T")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(last_key: dict | None) -> str | None:
    if not last_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(last_key, sort_keys=True).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, hash_attribute: str, hash_value: str) -> dict | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
        owner = key[hash_attribute]["S"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise InvalidInput({"cursor": "Not a cursor this list gave out."}) from None
    if owner != hash_value:
        raise InvalidInput({"cursor": "Not a cursor this list gave out."})
    return key


def collect(results, convert, limit: int) -> Page:
    items = [convert(item) for item in results]
    next_cursor = encode_cursor(results.last_evaluated_key) if len(items) >= limit else None
    return Page(items, next_cursor)
