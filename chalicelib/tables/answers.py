"""Reading DynamoDB's answers. botocore parses a JSON answer by walking the service model shape by
shape, and an item's attribute values are the bulk of every answer: each one a structure of ten
members tried one by one. An item arrives already in DynamoDB's own form (`{"S": "..."}`), so the
parser here takes attribute values as they come and only decodes what botocore would change
(binary values, base64 on the wire); a map or list is walked only if the answer's text names a
binary type at all, and is otherwise taken whole (an item's contacts, preferences and lines are most
of its values). Anything it does not recognise goes the library's way, so the answer is the same
dicts botocore would give."""
from __future__ import annotations

import threading
from base64 import b64decode

from botocore.parsers import JSONParser, ResponseParserFactory

_AS_SENT = frozenset({"S", "N", "SS", "NS", "BOOL", "NULL"})
_NESTED = frozenset({"M", "L"})
# whether the answer being read (on this thread) may hold a binary value: an answer that never
# names the type ("B" or "BS" in its text) has none, and its maps and lists are taken as they came
_reading = threading.local()


class DynamoDBParsers(ResponseParserFactory):
    """botocore's parsers, but a JSON one that reads attribute values directly."""

    def create_parser(self, protocol_name):
        if protocol_name == "json":
            return _AttributeValueParser(**self._defaults)
        return super().create_parser(protocol_name)


class _AttributeValueParser(JSONParser):
    def _handle_json_body(self, raw_body, shape):
        as_bytes = isinstance(raw_body, (bytes, bytearray))
        named = (b'"B"', b'"BS"') if as_bytes else ('"B"', '"BS"')
        _reading.may_hold_binary = raw_body is None or any(name in raw_body for name in named)
        _reading.may_hold_null = raw_body is None or (b"null" if as_bytes else "null") in raw_body
        return super()._handle_json_body(raw_body, shape)

    def _handle_map(self, shape, value):
        if shape.value.name == "AttributeValue" and value is not None:
            if not getattr(_reading, "may_hold_binary", True) and _as_it_came(value):
                return value   # an item as it came: every value of one type, none binary
            return {name: self._attribute(shape.value, attribute) for name, attribute in value.items()}
        return super()._handle_map(shape, value)

    def _handle_structure(self, shape, value):
        if shape.name == "AttributeValue" and value is not None:
            return self._attribute(shape, value)
        return super()._handle_structure(shape, value)

    def _attribute(self, shape, value: dict) -> dict:
        if len(value) == 1:
            (kind, held), = value.items()
            if held is not None:
                if kind in _AS_SENT or (kind in _NESTED and not getattr(_reading, "may_hold_binary", True)):
                    return value
                if kind == "M":
                    return {"M": {name: self._attribute(shape, v) for name, v in held.items()}}
                if kind == "L":
                    return {"L": [None if v is None else self._attribute(shape, v) for v in held]}
                if kind == "B":
                    return {"B": b64decode(held)}
                if kind == "BS":
                    return {"BS": [b64decode(v) for v in held]}
        return super()._handle_structure(shape, value)


_ONE_TYPE = {1}


def _as_it_came(item: dict) -> bool:
    """Whether every attribute value of `item` names one type and holds a value (an answer whose text
    has no `null` holds none without one), as DynamoDB always sends them: lengths taken in one pass."""
    values = item.values()
    return set(map(len, values)) <= _ONE_TYPE and (
        not getattr(_reading, "may_hold_null", True) or all(None not in attribute.values() for attribute in values))
