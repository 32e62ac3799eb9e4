"""Every table's items read by tables/items.py come out as PynamoDB's own `from_raw_data` gives them:
the same values, of the same types, with defaults where the item has no value."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from pynamodb.attributes import (BinaryAttribute, BooleanAttribute, ListAttribute, MapAttribute, NumberAttribute,
                                 TTLAttribute, UnicodeAttribute, UnicodeSetAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)

from chalicelib.tables.base import all_models
from chalicelib.tables.dates import DateAttribute
from chalicelib.tables.items import number, plain, read_item

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


def shown(item) -> dict:
    """An item's values as comparable plain values (a map attribute as its dict), with their types."""
    values = {}
    for name, value in item.attribute_values.items():
        as_plain = value.as_dict() if isinstance(value, MapAttribute) else value
        values[name] = (type(value), as_plain)
    return values


MODELS = all_models()


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_an_item_with_every_attribute_reads_as_pynamodb_reads_it(model):
    # Given an item of the table with a value in every attribute, as DynamoDB sends it
    raw = model(**{name: a_value(a) for name, a in model.get_attributes().items()}).serialize()
    # When it is read both ways, Then the items hold the same values
    ours, theirs = read_item(model, raw), model._instantiate(raw)
    assert type(ours) is model
    assert shown(ours) == shown(theirs)
    assert ours.serialize() == theirs.serialize()


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_an_item_with_only_its_keys_reads_with_the_same_defaults(model):
    # Given an item holding its keys alone (a projection, or an item written before its other attributes)
    keys = {name: a_value(a) for name, a in model.get_attributes().items() if a.is_hash_key or a.is_range_key}
    raw = {name: value for name, value in model(**keys).serialize(null_check=False).items()
           if name in {a.attr_name for a in model.get_attributes().values() if a.is_hash_key or a.is_range_key}}
    # When it is read both ways, Then the defaults are the same
    assert shown(read_item(model, raw)) == shown(model._instantiate(raw))


def test_a_plain_value_decodes_every_dynamodb_type():
    assert plain({"M": {"n": {"N": "1.5"}, "s": {"SS": ["a"]}, "ns": {"NS": ["1", "2"]}, "b": {"B": b"x"},
                        "nothing": {"NULL": True}, "l": {"L": [{"BOOL": False}, {"BS": [b"y"]}]}}}) == \
        {"n": 1.5, "s": {"a"}, "ns": {1, 2}, "b": b"x", "nothing": None, "l": [False, {b"y"}]}


@pytest.mark.parametrize("text", ["0", "1200", "-3", "0.25", "-0.5", "1E+3", "1e-7", "12345678901234567890",
                                  "1.0", "-0"])
def test_a_number_reads_as_pynamodb_reads_it(text):
    assert number(text) == json.loads(text) and type(number(text)) is type(json.loads(text))
