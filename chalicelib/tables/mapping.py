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

from pynamodb.attributes import MapAttribute
from pynamodb.models import Model


def to_attributes(obj, *, skip: tuple[str, ...] = ("version",)) -> dict:
    """Top-level fields of a dataclass as item attribute values."""
    return {f.name: _encode(getattr(obj, f.name), top=True)
            for f in dataclasses.fields(obj) if f.name not in skip}


def to_item(model: type[Model], obj, **keys) -> Model:
    item = model(**keys, **to_attributes(obj))
    version = getattr(obj, "version", None)
    if version is not None and hasattr(model, "version"):
        item.version = version
    return item


def from_item(cls, item: Model, **overrides):
    """Rebuild a dataclass from an item; attributes the class does not declare are ignored."""
    hints = _hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in overrides:
            values[f.name] = overrides[f.name]
            continue
        raw = getattr(item, f.name, None)
        if raw is None and (f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING):
            continue
        values[f.name] = _decode(hints[f.name], raw)
    return cls(**values)


def from_dict(cls, data: dict):
    hints = _hints(cls)
    return cls(**{f.name: _decode(hints[f.name], data[f.name])
                  for f in dataclasses.fields(cls) if f.name in data and data[f.name] is not None})


def as_plain(value):
    """A JSON-ready form of a domain value (API responses use this too)."""
    return _encode(value, top=False)


@lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _encode(value, *, top: bool):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value if top else value.isoformat()
    if isinstance(value, date):
        return value if top else value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name), top=False)
                for f in dataclasses.fields(value) if not f.name.startswith("_")}
    if isinstance(value, (list, tuple)):
        return [_encode(v, top=False) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v, top=False) for k, v in value.items()}
    return value


def _decode(hint, raw):
    if raw is None:
        return None
    if isinstance(raw, MapAttribute):
        raw = raw.as_dict()
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(inner[0], raw) if len(inner) == 1 else raw
    if origin is tuple:
        (item_hint, *_rest) = typing.get_args(hint)
        return tuple(_decode(item_hint, v) for v in raw)
    if origin is list:
        return [_decode(typing.get_args(hint)[0], v) for v in raw]
    if origin is dict or hint is dict:
        return {k: _plain_number(v) for k, v in dict(raw).items()}
    if origin is typing.Literal:
        return raw
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return from_dict(hint, dict(raw))
        if issubclass(hint, Enum):
            return hint(raw)
        if hint is datetime:
            return raw if isinstance(raw, datetime) else datetime.fromisoformat(raw)
        if hint is date:
            return raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
        if hint is int and not isinstance(raw, bool):
            return int(raw)
        if hint is bool:
            return bool(raw)
    return raw


def _plain_number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, MapAttribute):
        return value.as_dict()
    return value
