"""Generic translation between domain dataclasses and PynamoDB items.

Domain fields and item attributes share names, so a repository only states the keys.
Nested dataclasses are stored as DynamoDB maps, with datetimes as ISO 8601 text.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any, Callable

from pynamodb.attributes import MapAttribute, UnicodeAttribute
from pynamodb.models import Model

from .items import plain_map, read_plan


def to_attributes(obj, *, skip: tuple[str, ...] = ("version",)) -> dict:
    """Top-level fields of a dataclass as item attribute values."""
    attributes = {}
    for name in _field_names(type(obj), skip):
        value = getattr(obj, name)
        attributes[name] = value if type(value) in _PLAIN else _encode(value, top=True)
    return attributes


def to_item(model: type[Model], obj, **keys) -> Model:
    item = model(**keys, **to_attributes(obj))
    version = getattr(obj, "version", None)
    if version is not None and hasattr(model, "version"):
        item.version = version
    return item


def from_item(cls, item: Model, **overrides):
    """Rebuild a dataclass from an item; attributes the class does not declare are ignored."""
    values = {}
    stored = item.attribute_values
    for name, declared, convert, has_default in _reading(cls, type(item)):
        if overrides and name in overrides:
            values[name] = overrides[name]
            continue
        # an attribute's value as its descriptor answers it, without the descriptor's lookups
        raw = stored.get(name) if declared else getattr(item, name, None)
        if raw is None:
            if not has_default:
                values[name] = None
        else:
            values[name] = convert(raw) if convert else raw
    return cls(**values)


def from_raw(cls, model: type[Model], raw: dict):
    """`from_item(cls, model.from_raw_data(raw))` without making the item: each field of `cls` read
    from its stored value as `items.read_item` decodes it (its default where it is missing or null),
    then converted as `from_item` converts it. A list's rows are read so (pages.collect)."""
    make = _row_maker(cls, model)
    return make(raw) if make is not None else from_item(cls, model.from_raw_data(raw))


@lru_cache(maxsize=None)
def _row_maker(cls, model: type[Model]) -> Callable[[dict], Any] | None:
    """The function `from_raw` makes a `cls` with from an item of `model`, written out field by field
    once per class (as `dataclasses` writes a class's `__init__`): a row of a list is read with no
    loop over a plan, a text taken where it is and a missing value without a call. None where
    `_raw_reading` has no plan (the item is made first)."""
    plan = _raw_reading(cls, model)
    if plan is None:
        return None
    field_defaults = _field_defaults(cls)
    lines, names = ["def make(raw):", "    values = {}"], {"cls": cls, "new_instance": object.__new__}
    for i, (name, stored_name, decode, default, convert, has_default, text, no_default) in enumerate(plan):
        names[f"decode{i}"], names[f"default{i}"], names[f"convert{i}"] = decode, default, convert
        read = "held['S']" if text else f"decode{i}(held)"
        missing = "None" if no_default else f"default{i}()"
        converted = f"convert{i}(value)" if convert else "value"
        lines += [f"    held = raw.get({stored_name!r})",
                  "    if held and 'NULL' not in held:",
                  f"        value = {read}",
                  "    else:",
                  f"        value = {missing}",
                  "    if value is not None:",
                  f"        values[{name!r}] = {converted}"]
        if not has_default:
            lines += ["    else:", f"        values[{name!r}] = None"]
        elif field_defaults is not None:    # the field's default, as its __init__ would give it
            names[f"field_default{i}"] = field_defaults[name]
            lines += ["    else:", f"        values[{name!r}] = field_default{i}()"]
    if field_defaults is None:
        lines.append("    return cls(**values)")
    else:
        lines += ["    made = new_instance(cls)", "    made.__dict__.update(values)", "    return made"]
    exec("\n".join(lines), names)     # noqa: S102 - the text is made above of names the model declares
    return names["make"]


@lru_cache(maxsize=None)
def _field_defaults(cls) -> dict[str, Callable[[], Any]] | None:
    """Where a row may be made without `cls.__init__`: each field's default as a function (its
    default_factory, or its default); None where the class's `__init__` does more than set each field
    to the value given or its default (a `__post_init__`, slots, a field not in `__init__`). A frozen
    dataclass's `__init__` sets each field through `object.__setattr__`: a page of rows made with its
    fields set at once costs a quarter less (tests/unit/test_mapping.py holds them equal)."""
    fields = dataclasses.fields(cls)
    if (hasattr(cls, "__post_init__") or hasattr(cls, "__slots__") or "__init__" not in cls.__dict__
            or any(not f.init for f in fields)):
        return None
    return {f.name: f.default_factory if f.default_factory is not dataclasses.MISSING
            else (lambda value=f.default: value)
            for f in fields if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING}


@lru_cache(maxsize=None)
def _raw_reading(cls, model: type[Model]) -> tuple | None:
    """How `from_raw` reads each field of `cls` from an item of `model` as DynamoDB answers it: (name,
    name stored under, decoder, default, conversion, has a default, is a text taken as it is, has no
    default value), worked out once. None where a field is not one of the model's attributes, or an
    attribute's value goes through its own setter (a TTL, a declared map; a version's only when it has
    a value: it has no default): those are read through the item. An undeclared map is read as the
    dict of its values (its field's conversion makes the same value of that dict as of the map
    attribute, `_decoder`)."""
    attributes = model.get_attributes()
    stored = {}
    for name, stored_name, decode, decoded_as_is, default, default_as_is in read_plan(model):
        attribute = attributes[name]
        if type(attribute) is MapAttribute:
            # the map's values as a dict, which the field's conversion reads as it reads the map's
            stored[name] = (stored_name, plain_map, default if attribute.default is None
                            else lambda default=default: dict(default()), False, attribute.default is None)
        elif decoded_as_is and (default_as_is or attribute.default is None):
            # a text's decoder takes its "S" as it is (items._decoder)
            stored[name] = (stored_name, decode, default, type(attribute) is UnicodeAttribute,
                            attribute.default is None)
    plan = []
    hints = typing.get_type_hints(cls)
    for name, declared, convert, has_default in _reading(cls, model):
        if not declared or name not in stored:
            return None
        stored_name, decode, default, text, no_default = stored[name]
        if decode is plain_map and (hints[name] is dict or typing.get_origin(hints[name]) is dict):
            convert = _whole_numbers_made_int
        plan.append((name, stored_name, decode, default, convert, has_default, text, no_default))
    return tuple(plan)


def _whole_numbers_made_int(values: dict) -> dict:
    """A dict field's conversion (`_direct`: each whole float an int) of a map `plain_map` decoded: its
    values are plain already (no map attribute), and the dict is the row's own, so one without a
    float is the value as it is, not copied."""
    if float in set(map(type, values.values())):
        return {k: _plain_number(v) for k, v in values.items()}
    return values


def from_dict(cls, data: dict):
    values = {}
    for name, _, _, direct in _fields(cls):
        raw = data.get(name)
        if raw is not None:
            if isinstance(raw, MapAttribute):
                raw = raw.as_dict()
            values[name] = raw if direct is None else direct(raw)
    return cls(**values)


def as_plain(value):
    """A JSON-ready form of a domain value (API responses use this too)."""
    return _encode(value, top=False)


@lru_cache(maxsize=None)
def _reading(cls, model: type[Model]) -> tuple[tuple[str, bool, Callable[[Any], Any] | None, bool], ...]:
    """How `from_item` reads each field of dataclass `cls` from an item of `model`, worked out once:
    (name, whether it is one of the model's attributes, the conversion of a value that is not None
    (None: the value as it is), has a default). A model's attribute is read from `attribute_values`
    (a version's getter casts a float to int: it is stored as an int already); any other name (a
    property of the item) through `getattr`, with the field's whole decoder."""
    attributes = model.get_attributes()
    plan = []
    for name, decode, has_default, direct in _fields(cls):
        attribute = attributes.get(name)
        if attribute is None or isinstance(attribute, MapAttribute):
            plan.append((name, attribute is not None, decode, has_default))
        else:   # never None here, and a MapAttribute only inside a list (its decoder reads it)
            plan.append((name, True, direct, has_default))
    return tuple(plan)


@lru_cache(maxsize=None)
def _fields(cls) -> tuple[tuple[str, Callable[[Any], Any], bool, Callable[[Any], Any] | None], ...]:
    """(name, decoder, has a default, conversion of a value neither None nor a map attribute) of each
    field of a dataclass: the type hints are read, and each field's decoder built, once per class,
    not per item."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _decoder(hints[f.name]),
                  f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING,
                  _direct(hints[f.name]))
                 for f in dataclasses.fields(cls))


# values that encode as they are (exactly these types: an Enum deriving from str or int is encoded)
_PLAIN = frozenset({str, int, float, bool, type(None)})


@lru_cache(maxsize=None)
def _field_names(cls, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The names of a dataclass's fields but those in `skip`, read once per class."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in skip)


@lru_cache(maxsize=None)
def _nested_names(cls) -> tuple[str, ...]:
    """The fields a dataclass nested in a value is stored with (not those named with a leading _)."""
    return tuple(f.name for f in dataclasses.fields(cls) if not f.name.startswith("_"))


def _encode(value, *, top: bool):
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list or kind is tuple:
        return [v if type(v) in _PLAIN else _encode(v, top=False) for v in value]
    if kind is dict:
        return {k: v if type(v) in _PLAIN else _encode(v, top=False) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value if top else value.isoformat()
    if isinstance(value, date):
        return value if top else value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _encode(getattr(value, name), top=False) for name in _nested_names(kind)}
    if isinstance(value, (list, tuple)):
        return [_encode(v, top=False) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v, top=False) for k, v in value.items()}
    return value


@lru_cache(maxsize=None)
def _decoder(hint) -> Callable[[Any], Any]:
    """The function that makes a stored value (None, a map, a list, text, a number) a value of `hint`."""
    direct, in_place = _direct(hint), _from_mapping(hint)

    def decode(raw):
        if raw is None:
            return None
        if isinstance(raw, MapAttribute):
            if in_place is not None:
                return in_place(raw.attribute_values)
            raw = raw.as_dict()
        return raw if direct is None else direct(raw)
    return decode


@lru_cache(maxsize=None)
def _from_mapping(hint) -> Callable[[Any], Any] | None:
    """For a dataclass or a dict: the value read from a mapping left as it is (a map attribute's values:
    both read each value as `as_dict` would give it, so the map needs no copy first); else None."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _from_mapping(inner[0]) if len(inner) == 1 else None
    if origin is dict or hint is dict:
        return lambda values: {k: _plain_number(v) for k, v in values.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda values: from_dict(hint, values)
    return None


@lru_cache(maxsize=None)
def _direct(hint) -> Callable[[Any], Any] | None:
    """The function that makes a stored value that is neither None nor a map attribute a value of
    `hint`; None where that is the value as it is."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _direct(inner[0]) if len(inner) == 1 else None
    if origin is tuple:
        each = _decoder(typing.get_args(hint)[0])
        return lambda raw: tuple([each(v) for v in raw])
    if origin is list:
        each = _decoder(typing.get_args(hint)[0])
        return lambda raw: [each(v) for v in raw]
    if origin is dict or hint is dict:
        return lambda raw: {k: _plain_number(v) for k, v in (raw if type(raw) is dict else dict(raw)).items()}
    if origin is typing.Literal or not isinstance(hint, type):
        return None
    if dataclasses.is_dataclass(hint):   # from_dict only reads the dict
        return lambda raw: from_dict(hint, raw if type(raw) is dict else dict(raw))
    if issubclass(hint, Enum):
        return _member_of(hint)
    if hint is datetime:
        return lambda raw: raw if isinstance(raw, datetime) else datetime.fromisoformat(raw)
    if hint is date:
        return lambda raw: raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
    if hint is int:
        return lambda raw: raw if isinstance(raw, bool) else int(raw)
    if hint is bool:
        return bool
    return None


def _member_of(enum: type[Enum]) -> Callable[[Any], Enum]:
    """`enum(raw)`, a stored value found in the members' values without the Enum machinery's call."""
    members = enum._value2member_map_

    def member(raw):
        try:
            return members[raw]
        except (KeyError, TypeError):
            return enum(raw)
    return member


def _plain_number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, MapAttribute):
        return value.as_dict()
    return value
