"""Making an item and writing it for botocore faster than PynamoDB, with the same result.

PynamoDB sets and reads each attribute of an item through the attribute's descriptor, which looks
the name up in the model's map of stored names every time: most of what building and serializing
an item costs it, and a payment writes eighteen. Every model registered by `base.table` does both
through the item's `attribute_values` (where the descriptors keep the values) instead:

- `set_defaults`, `set_attributes`: a new item's defaults and given values stored directly, except
  for attributes whose descriptor converts what is set (a version, a TTL, a declared map), which are
  set through it as before (a dict set on a raw map is made the map that descriptor makes of it);
  an unknown attribute is refused as PynamoDB refuses it;
- `write_item`: each attribute serialized by its own attribute exactly as PynamoDB does (a raw map's
  or an untyped list's entries by the type of their value), nulls refused as PynamoDB refuses them;
- `put_item`, `update_item`, `delete_item`, `check_item`: a transaction's items as PynamoDB's
  TransactWrite makes them (versions included), from the serialized item and expressions.py.

tests/unit/test_item_writes.py and test_transact_items.py compare them with PynamoDB's own on every
model."""
from __future__ import annotations

import json
from typing import NamedTuple

from pynamodb.attributes import Attribute, ListAttribute, MapAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.constants import (RETURN_VALUES_ON_CONDITION_FAILURE, RETURN_VALUES_ON_CONDITION_FAILURE_VALUES,
                                RETURN_VALUES_VALUES)
from pynamodb.exceptions import AttributeNullError
from pynamodb.expressions.condition import Condition

from .expressions import condition_text, update_text


def write_item(item, null_check: bool = True) -> dict:
    """`item.serialize(null_check)`, as PynamoDB answers it: {stored name: {type: value}}."""
    values = item.attribute_values
    written = {}
    for name, attribute, stored_name, attr_type, kind in _attributes(type(item)):
        value = values.get(name)
        if value is not None:
            if kind is _UNDECLARED:
                value = _undeclared(attribute, value)
                if value is None:
                    value = _container(name, attribute, values.get(name), null_check)
            elif kind is _CONTAINER:
                value = _container(name, attribute, value, null_check)
            elif kind is not _AS_IS:
                value = attribute.serialize(value)
        if value is None:
            if null_check and not attribute.null:
                raise AttributeNullError(name)
            continue
        written[stored_name] = {attr_type: value}
    return written


def _container(name: str, attribute, value, null_check: bool):
    try:
        if isinstance(value, MapAttribute) and not value.validate(null_check=null_check):
            raise ValueError(f"Attribute '{name}' is not correctly typed")
        return attribute.serialize(value, null_check=null_check)
    except AttributeNullError as error:
        error.prepend_path(name)
        raise


def _undeclared(attribute, value) -> dict | list | None:
    """A raw map's or an untyped list's value as its attribute serializes it: each entry by the type of
    its value (text, number, boolean, null, map, list) without looking its serializer up. None where
    an entry is of another type: PynamoDB serializes that value (and raises what it raises)."""
    try:
        if type(attribute) is ListAttribute:
            return [_entry(inner) for inner in value] if type(value) is list else None
        held = value.attribute_values if type(value) is MapAttribute else value
        return {name: _entry(inner) for name, inner in held.items()} if type(held) is dict else None
    except _Declined:
        return None


def _entry(value) -> dict:
    kind = type(value)
    if kind is str:
        return {"S": value}
    if kind is int or kind is float:
        return {"N": json.dumps(value)}
    if kind is bool:
        return {"BOOL": value}
    if value is None:
        return {"NULL": True}
    if kind is dict:
        return {"M": {name: _entry(inner) for name, inner in value.items()}}
    if kind is list:
        return {"L": [_entry(inner) for inner in value]}
    raise _Declined


class _Declined(Exception):
    """A value `_entry` leaves to PynamoDB."""


def set_defaults(item, _user_instantiated: bool = True) -> None:
    """PynamoDB's `_set_defaults`: each attribute's default (for a new item, `default_for_new` first)."""
    values = item.attribute_values
    for name, stored, default_for_new, default in _construction(type(item)).values():
        chosen = default_for_new if _user_instantiated and default_for_new is not None else default
        value = chosen() if callable(chosen) else chosen
        if value is not None:
            _store(item, values, name, stored, value)


def set_attributes(item, **attributes) -> None:
    """PynamoDB's `_set_attributes`: the values given, by attribute name."""
    values, known = item.attribute_values, _construction(type(item))
    for name, value in attributes.items():
        plan = known.get(name)
        if plan is None:
            raise ValueError("Attribute {} specified does not exist".format(name))
        _store(item, values, name, plan[1], value)


_STORED_AS_IS, _RAW_MAP, _THROUGH_DESCRIPTOR = "as is", "raw map", "through its descriptor"


def _store(item, values: dict, name: str, stored: str, value) -> None:
    if stored is _STORED_AS_IS:
        values[name] = value
    elif stored is _RAW_MAP and type(value) is dict and all(type(key) is str for key in value):
        values[name] = _raw_map(value)
    else:
        setattr(item, name, value)


def _raw_map(entries: dict) -> MapAttribute:
    """`MapAttribute(**entries)`, what a raw map attribute's descriptor stores of a dict, made without
    its constructor: an entry named as one of Attribute's arguments is set last, as it sets it."""
    held = object.__new__(MapAttribute)
    named_as_arguments = {arg: entries[arg] for arg in _ATTRIBUTE_ARGUMENTS if arg in entries}
    values = {name: value for name, value in entries.items() if name not in named_as_arguments} \
        if named_as_arguments else dict(entries)
    values.update(named_as_arguments)
    object.__setattr__(held, "attribute_kwargs", named_as_arguments)
    object.__setattr__(held, "attribute_values", values)
    return held


_ATTRIBUTE_ARGUMENTS = tuple(MapAttribute.attribute_args)


def _construction(model) -> dict:
    """name -> (name, how a value set is stored, default for new items, default), once per model. A
    value is stored as it is where the attribute's descriptor is PynamoDB's plain one; a dict set on a
    raw map attribute is made the map its descriptor makes of it (`_raw_map`)."""
    known = model.__dict__.get("_construction_plan")
    if known is None:
        known = {name: (name, _stored(attribute), attribute.default_for_new, attribute.default)
                 for name, attribute in model.get_attributes().items()}
        model._construction_plan = known
    return known


def _stored(attribute) -> str:
    if type(attribute).__set__ is Attribute.__set__:
        return _STORED_AS_IS
    if type(attribute) is MapAttribute:
        return _RAW_MAP
    return _THROUGH_DESCRIPTOR


_AS_IS, _CONTAINER, _UNDECLARED, _SCALAR = "as is", "container", "undeclared", "scalar"


def _attributes(model) -> list:
    """(name, attribute, stored name, DynamoDB type, how it serializes) of each of the model's
    attributes, worked out once per model. A plain UnicodeAttribute's serialized value is its value."""
    known = model.__dict__.get("_write_plan")
    if known is None:
        known = [(name, attribute, attribute.attr_name, attribute.attr_type, _kind(attribute))
                 for name, attribute in model.get_attributes().items()]
        model._write_plan = known
    return known


def _kind(attribute) -> str:
    if type(attribute) is UnicodeAttribute:
        return _AS_IS
    if type(attribute) is MapAttribute or (type(attribute) is ListAttribute and attribute.element_type is None):
        return _UNDECLARED
    if isinstance(attribute, (ListAttribute, MapAttribute)):
        return _CONTAINER
    return _SCALAR


# -- a transaction's items ---------------------------------------------------------------------
# What PynamoDB's TransactWrite adds for a put, an update, a delete and a condition check
# (`Model.get_save_kwargs_from_instance` and its kin, through `Connection.get_operation_kwargs`),
# made here straight from the item's serialized attributes: the table's keys and version attribute
# looked up once per model, the expressions written by tables/expressions.py.

def put_item(item, condition=None, return_values: str | None = None) -> dict:
    """A Put of `item` on `condition`; a versioned item is written with its next version, on the
    version it holds (or only if new), as PynamoDB's `save` writes it."""
    keys = _keys(type(item))
    attributes = item.serialize(null_check=True)
    written = {keys.hash_stored: {keys.hash_type: attributes.pop(keys.hash_stored, {}).get(keys.hash_type)}}
    if keys.range_stored is not None:
        range_key = attributes.pop(keys.range_stored, {}).get(keys.range_type)
        if range_key is not None:
            written[keys.range_stored] = {keys.range_type: range_key}
    if keys.version is not None:
        condition = _on_version(item, keys.version, condition, attributes=attributes)
    written.update(attributes)
    return _operation(type(item), "Item", written, condition, return_values)


def update_item(item, actions: list, condition=None, return_values: str | None = None, *,
                add_version_condition: bool = True) -> dict:
    """An Update of `item` (its keys) with `actions` on `condition`; a versioned item's version moves
    on (an action appended to `actions`, as PynamoDB appends it), checked unless told not to."""
    keys = _keys(type(item))
    if keys.version is not None:
        condition = _on_version(item, keys.version, condition, actions=actions, checked=add_version_condition)
    return _operation(type(item), "Key", _key_of(item, keys), condition, return_values, actions)


def delete_item(item, condition=None, *, add_version_condition: bool = True) -> dict:
    """A Delete of `item` (its keys) on `condition`, and on the version it holds unless told not to."""
    keys = _keys(type(item))
    if keys.version is not None:
        condition = _on_version(item, keys.version, condition, checked=add_version_condition)
    return _operation(type(item), "Key", _key_of(item, keys), condition, None)


def check_item(model, hash_key, range_key=None, condition=None) -> dict:
    """A ConditionCheck of `model`'s item with these keys."""
    keys = _keys(model)
    key = {keys.hash_stored: {keys.hash_type: None if hash_key is None else keys.hash_attribute.serialize(hash_key)}}
    if range_key is not None and keys.range_stored is not None:
        key[keys.range_stored] = {keys.range_type: keys.range_attribute.serialize(range_key)}
    return _operation(model, "Key", key, condition, None)


class _Keys(NamedTuple):
    hash_name: str
    hash_attribute: Attribute
    hash_stored: str
    hash_type: str
    range_name: str | None
    range_attribute: Attribute | None
    range_stored: str | None
    range_type: str | None
    version: tuple[str, VersionAttribute] | None       # its name, the attribute


def _keys(model) -> _Keys:
    """The model's key attributes and version attribute, worked out once per model."""
    known = model.__dict__.get("_transact_plan")
    if known is None:
        attributes = model.get_attributes()
        hash_name = next(name for name, attribute in attributes.items() if attribute.is_hash_key)
        range_name = next((name for name, attribute in attributes.items() if attribute.is_range_key), None)
        version = next(((name, attribute) for name, attribute in attributes.items()
                        if isinstance(attribute, VersionAttribute)), None)
        hashed, ranged = attributes[hash_name], attributes.get(range_name)
        known = _Keys(hash_name, hashed, hashed.attr_name, hashed.attr_type, range_name, ranged,
                      ranged.attr_name if ranged else None, ranged.attr_type if ranged else None, version)
        model._transact_plan = known
    return known


def _key_of(item, keys: _Keys) -> dict:
    key = {keys.hash_stored: {keys.hash_type: keys.hash_attribute.serialize(getattr(item, keys.hash_name))}}
    if keys.range_name is not None:
        range_key = getattr(item, keys.range_name)
        if range_key is not None:
            key[keys.range_stored] = {keys.range_type: keys.range_attribute.serialize(range_key)}
    return key


def _on_version(item, version: tuple, condition, *, attributes: dict | None = None, actions: list | None = None,
                checked: bool = True):
    """PynamoDB's `_handle_version_attribute`: the next version written (into `attributes` or as an
    action), and `condition` with the version held (or its absence) added if `checked`."""
    name, attribute = version
    held = getattr(item, name)
    if held is not None:
        held_condition = attribute == held
        if attributes is not None:
            attributes[attribute.attr_name] = {attribute.attr_type: attribute.serialize(held + 1)}
        if actions is not None:
            actions.append(attribute.add(1))
    else:
        held_condition = attribute.does_not_exist()
        if attributes is not None:
            attributes[attribute.attr_name] = {attribute.attr_type: attribute.serialize(1)}
        if actions is not None:
            actions.append(attribute.set(1))
    if checked:
        condition &= held_condition
    return condition


def _operation(model, key_name: str, key: dict, condition, return_values: str | None, actions=None) -> dict:
    """`Connection.get_operation_kwargs`, its entries in its order."""
    if condition is not None and not isinstance(condition, Condition):
        raise ValueError("'condition' must be an instance of Condition")
    operation = {"TableName": model.Meta.table_name, key_name: key}
    names: dict = {}
    values: dict = {}
    if condition is not None:
        operation["ConditionExpression"] = condition_text(condition, names, values)
    if return_values is not None:
        if return_values.upper() not in RETURN_VALUES_VALUES:
            raise ValueError("{} must be one of {}".format(RETURN_VALUES_ON_CONDITION_FAILURE,
                                                           RETURN_VALUES_ON_CONDITION_FAILURE_VALUES))
        operation["ReturnValuesOnConditionCheckFailure"] = str(return_values).upper()
    if actions is not None:
        operation["UpdateExpression"] = update_text(actions, names, values)
    if names:
        operation["ExpressionAttributeNames"] = {placeholder: name for name, placeholder in names.items()}
    if values:
        operation["ExpressionAttributeValues"] = values
    return operation
