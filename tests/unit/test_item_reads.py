"""Every table's items read by tables/items.py come out as PynamoDB's own `from_raw_data` gives them:
the same values, of the same types, with defaults where the item has no value."""
from __future__ import annotations

import json

import pytest
from pynamodb.attributes import MapAttribute

from chalicelib.tables.base import all_models
from chalicelib.tables.items import number, plain, read_item
from tests.support.item_values import a_value

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
