"""Making an item and writing it for botocore faster than PynamoDB, with the same result.

PynamoDB sets and reads each attribute of an item through the attribute's descriptor, which looks
the name up in the model's map of stored names every time: most of what building and serializing
an item costs it, and a payment writes eighteen. Every model registered by `base.table` does both
through the item's `attribute_values` (where the descriptors keep the values) instead:

- `set_defaults`, `set_attributes`: a new item's defaults and given values stored directly, except
  for attributes whose descriptor converts what is set (a version, a TTL, a declared map), which are
  set through it as before; an unknown attribute is refused as PynamoDB refuses it;
- `write_item`: each attribute serialized by its own attribute exactly as PynamoDB does, nulls
  refused as PynamoDB refuses them.

tests/unit/test_item_writes.py compares both with PynamoDB's own on every model."""
from __future__ import annotations

from pynamodb.attributes import Attribute, ListAttribute, MapAttribute, UnicodeAttribute
from pynamodb.exceptions import AttributeNullError


def write_item(item, null_check: bool = True) -> dict:
    """`item.serialize(null_check)`, as PynamoDB answers it: {stored name: {type: value}}."""
    values = item.attribute_values
    written = {}
    for name, attribute, stored_name, attr_type, kind in _attributes(type(item)):
        value = values.get(name)
        if value is not None:
            if kind is _CONTAINER:
                try:
                    if isinstance(value, MapAttribute) and not value.validate(null_check=null_check):
                        raise ValueError(f"Attribute '{name}' is not correctly typed")
                    value = attribute.serialize(value, null_check=null_check)
                except AttributeNullError as error:
                    error.prepend_path(name)
                    raise
            elif kind is not _AS_IS:
                value = attribute.serialize(value)
        if value is None:
            if null_check and not attribute.null:
                raise AttributeNullError(name)
            continue
        written[stored_name] = {attr_type: value}
    return written


def set_defaults(item, _user_instantiated: bool = True) -> None:
    """PynamoDB's `_set_defaults`: each attribute's default (for a new item, `default_for_new` first)."""
    values = item.attribute_values
    for name, stored_as_is, default_for_new, default in _construction(type(item)).values():
        chosen = default_for_new if _user_instantiated and default_for_new is not None else default
        value = chosen() if callable(chosen) else chosen
        if value is not None:
            if stored_as_is:
                values[name] = value
            else:
                setattr(item, name, value)


def set_attributes(item, **attributes) -> None:
    """PynamoDB's `_set_attributes`: the values given, by attribute name."""
    values, known = item.attribute_values, _construction(type(item))
    for name, value in attributes.items():
        plan = known.get(name)
        if plan is None:
            raise ValueError("Attribute {} specified does not exist".format(name))
        if plan[1]:
            values[name] = value
        else:
            setattr(item, name, value)


def _construction(model) -> dict:
    """name -> (name, whether a value set is stored as it is, default for new items, default), once per
    model. A value is stored as it is where the attribute's descriptor is PynamoDB's plain one."""
    known = model.__dict__.get("_construction_plan")
    if known is None:
        known = {name: (name, type(attribute).__set__ is Attribute.__set__, attribute.default_for_new,
                        attribute.default)
                 for name, attribute in model.get_attributes().items()}
        model._construction_plan = known
    return known


_AS_IS, _CONTAINER, _SCALAR = "as is", "container", "scalar"


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
    if isinstance(attribute, (ListAttribute, MapAttribute)):
        return _CONTAINER
    return _SCALAR
