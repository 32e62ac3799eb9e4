"""JSON from strangers, bounded before it is parsed: Python's parser recurses once per nesting
level, so a body of 20,000 `[` would raise RecursionError deep inside `json.loads` (a 500).
The nesting is counted first, over the brackets outside strings, and a body deeper than any
request of ours (or any Stripe event) is refused as not acceptable JSON."""
from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32   # our deepest body nests 4 levels, Stripe's events about 8

_STRING_OR_BRACKET = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class UnacceptableJson(ValueError):
    """Not JSON, or nested deeper than MAX_DEPTH."""


def nesting_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in `raw` (brackets inside strings do not count)."""
    depth = deepest = 0
    for match in _STRING_OR_BRACKET.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest   # no need to read further
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def loads(raw: bytes | str) -> Any:
    """`json.loads`, refusing (UnacceptableJson) what is not JSON or nests deeper than MAX_DEPTH."""
    data = raw.encode() if isinstance(raw, str) else raw
    if nesting_depth(data) > MAX_DEPTH:
        raise UnacceptableJson(f"JSON nested deeper than {MAX_DEPTH} levels.")
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise UnacceptableJson("Not valid JSON.") from error
