"""Reading an item into its model faster than PynamoDB's `from_raw_data`, with the same result.

PynamoDB builds a read item as a new one is built (its constructor sets every default, then the
read sets them all again) and decodes an undeclared map or list value by value through an
attribute instance per type. Every model registered by `base.table` reads with `read_item`
instead: each declared attribute decoded once (the read value, else its default), and the plain
maps and lists a table keeps (preferences, lines, contacts) decoded by `plain`. The item is the
same model instance, with the same values, as PynamoDB's own would be (tests/unit/test_item_reads.py)."""
from __future__ import annotations

import json
from operator import itemgetter
from typing import Any, Callable

from pynamodb.attributes import (Attribute, ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute,
                                 VersionAttribute)
from pynamodb.constants import STRING

_AS_IS = frozenset({"S", "BOOL", "B"})


def read_item(model, data: dict):
    """`model.from_raw_data(data)`, as PynamoDB answers it."""
    if data is None:
        raise ValueError("Received no data to construct object")
    item = model.__new__(model)
    values = item.attribute_values = {}
    for name, stored_name, decode, decoded_as_is, default, default_as_is in read_plan(model):
        raw = data.get(stored_name)
        if raw and "NULL" not in raw:
            value = decode(raw)
            if decoded_as_is:
                values[name] = value
                continue
        else:
            value = default()
            if value is None:
                continue
            if default_as_is:
                values[name] = value
                continue
        if value is not None:
            setattr(item, name, value)
    return item


def plain(value: dict):
    """An attribute value of an undeclared map or list, as PynamoDB's raw attributes decode it."""
    (kind, held), = value.items()
    if kind in _AS_IS:
        return held
    if kind == "N":
        return number(held)
    if kind == "M":
        return _map(held)
    if kind == "L":
        return _list(held)
    if kind == "NULL":
        return None
    if kind == "NS":
        return {json.loads(v) for v in held}
    return set(held)     # SS, BS


def plain_map(value: dict) -> dict:
    """An undeclared map attribute's value (`{"M": {...}}`) as the dict of its values."""
    return _map(value["M"])


def _map(held: dict) -> dict:
    # a text, the most common value of a map or list, taken without a call of `plain`
    return {name: v["S"] if "S" in v else plain(v) for name, v in held.items()}


def _list(held: list) -> list:
    return [v["S"] if "S" in v else plain(v) for v in held]


def number(text: str) -> int | float:
    """A DynamoDB number as PynamoDB decodes it (`json.loads`), a whole one by `int`: a page of
    invoices holds dozens, and `int` reads one in a fifteenth of the time."""
    try:
        return int(text)
    except ValueError:
        return json.loads(text)


def read_plan(model) -> list:
    """(name, name stored under, decoder, whether the value decoded is stored as it is, default, whether
    the default is stored as it is) of each of the model's attributes, worked out once per model. A
    value is stored as it is where setting the attribute would store it unchanged (PynamoDB's
    `Attribute.__set__`); a TTL and a declared map go through their own setter. The default is a
    function either way."""
    known = model.__dict__.get("_read_plan")
    if known is None:
        known = [(name, attribute.attr_name, *_decoder(attribute), _default(attribute),
                  type(attribute).__set__ is Attribute.__set__)
                 for name, attribute in model.get_attributes().items()]
        model._read_plan = known
    return known


def _default(attribute) -> Callable[[], Any]:
    default = attribute.default
    return default if callable(default) else (lambda: default)


def _decoder(attribute) -> tuple:
    kind = type(attribute)
    if kind is MapAttribute:
        return (lambda raw: _raw_map(_map(raw["M"]))), True
    if kind is ListAttribute and attribute.element_type is None:
        return (lambda raw: _list(raw["L"])), True
    if kind is NumberAttribute:
        return (lambda raw: number(raw["N"])), True
    if kind is VersionAttribute:    # its setter stores `int(value)`
        return (lambda raw: int(number(raw["N"]))), True
    if kind is UnicodeAttribute:    # its `deserialize` gives the text as it is
        return itemgetter(STRING), True
    # `attribute.deserialize(attribute.get_value(raw))`, without looking up either on each value
    deserialize, attr_type = attribute.deserialize, attribute.attr_type
    return (lambda raw: deserialize(raw[attr_type])), kind.__set__ is Attribute.__set__


def _raw_map(values: dict) -> MapAttribute:
    """The undeclared map holding `values`, as `MapAttribute(**values)` builds it when the map is set."""
    held = MapAttribute.__new__(MapAttribute)
    held.__dict__.update(attribute_kwargs={}, attribute_values=values)
    return held
