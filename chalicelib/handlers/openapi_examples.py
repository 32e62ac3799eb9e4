"""One example per route for the API description: the request of exercise/examples.py (every route
has one, against the demo world) and the answer the route gave it, recorded into
openapi_examples.json by `python -m bench.openapi_examples`; tests hold both to the document."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .http import RouteSpec

RECORDED = Path(__file__).with_name("openapi_examples.json")


@lru_cache(maxsize=1)
def recorded() -> dict[str, dict]:
    """By "METHOD /path/{template}": {"path": {name: value}, "headers", "body", "status", "answer"}."""
    return json.loads(RECORDED.read_text(encoding="utf-8")) if RECORDED.exists() else {}


def key(spec: RouteSpec) -> str:
    return f"{spec.method} {spec.path}"


def of(spec: RouteSpec) -> dict | None:
    return recorded().get(key(spec))
