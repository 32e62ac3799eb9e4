"""A value of every attribute type the tables use, for tests comparing our item reads and writes
with PynamoDB's own (tests/unit/test_item_reads.py, test_item_writes.py)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from pynamodb.attributes import (BinaryAttribute, BooleanAttribute, ListAttribute, MapAttribute, NumberAttribute,
                                 TTLAttribute, UnicodeAttribute, UnicodeSetAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)

from chalicelib.tables.dates import DateAttribute

WHEN = datetime(2026, 11, 25, 10, 30, 15, 123000, tzinfo=timezone.utc)
NESTED = {"name": "Zoë", "amount": 1200, "rate": 0.25, "on": True, "none": None, "tags": ["a", 2, {"x": []}],
          "inner": {"deeper": {"n": -3}}, "null": "a key named as an attribute argument"}


def a_value(attribute):
    """A value of the attribute's type, with nesting where it may have some."""
    if isinstance(attribute, VersionAttribute):
        return 7
    if isinstance(attribute, TTLAttribute):
        return WHEN.replace(microsecond=0)
    if isinstance(attribute, UTCDateTimeAttribute):
        return WHEN
    if isinstance(attribute, DateAttribute):
        return date(2026, 11, 25)
    if isinstance(attribute, BooleanAttribute):
        return True
    if isinstance(attribute, NumberAttribute):
        return 1234
    if isinstance(attribute, UnicodeSetAttribute):
        return {"a", "b"}
    if isinstance(attribute, BinaryAttribute):
        return b"%PDF-\x00\xff"
    if isinstance(attribute, MapAttribute):
        return dict(NESTED)
    if isinstance(attribute, ListAttribute):
        return ["one", "two"] if attribute.element_type else [dict(NESTED), "text", 5, [1, {"k": "v"}]]
    if isinstance(attribute, UnicodeAttribute):
        return "some text"
    raise AssertionError(f"no sample for {type(attribute).__name__}: add one")
