"""Checking answers against the OpenAPI document: each JSON answer must match the schema the
document declares for its operation and status (refs resolved, Draft 2020-12 as OpenAPI 3.1),
and a recording client so every call a test makes, builders' included, is checked."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from jsonschema import Draft202012Validator, FormatChecker


@dataclass
class Exchange:
    method: str
    path: str
    status: int
    body: bytes
    content_type: str


class Conformance:
    """The document's declared answers, by route template."""

    def __init__(self, document: dict):
        self.document = document
        self.templates = [(re.compile("^" + re.sub(r"{\w+}", "[^/]+", path) + "$"), path)
                          for path in document["paths"]]

    def template_of(self, path: str) -> str | None:
        path = path.split("?", 1)[0]
        matches = [template for pattern, template in self.templates if pattern.match(path)]
        # a literal segment wins over a parameter (/portal/payment-methods/setup over /{id})
        return min(matches, key=lambda t: t.count("{"), default=None)

    def problems(self, exchange: Exchange) -> list[str]:
        """What is wrong with this answer according to the document (nothing: [])."""
        name = f"{exchange.method} {exchange.path} -> {exchange.status}"
        template = self.template_of(exchange.path)
        operation = self.document["paths"].get(template or "", {}).get(exchange.method.lower())
        if operation is None:
            return [f"{name}: not in the document"]
        declared = operation["responses"].get(str(exchange.status))
        if declared is None:
            return [f"{name}: status not declared"]
        content = declared.get("content")
        if content is None:
            return [] if not exchange.body else [f"{name}: declared without a body, answered {exchange.body[:80]!r}"]
        media = content.get("application/json")
        if media is None:
            return []   # binary or text answers: not JSON to check
        validator = Draft202012Validator({"components": self.document["components"], **media["schema"]},
                                         format_checker=FormatChecker())
        body = json.loads(exchange.body)
        return [f"{name}: {'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
                for error in validator.iter_errors(body)]


@dataclass
class RecordingClient:
    """A chalice.test.Client stand-in for `tests.support.api.Api`: every exchange is kept."""
    client: object
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def http(self) -> "RecordingClient":
        return self

    def request(self, method: str, path: str, headers=None, body=None):
        response = self.client.http.request(method, path, headers=headers, body=body)
        self.exchanges.append(Exchange(method, path, response.status_code, response.body,
                                       response.headers.get("Content-Type", "")))
        return response

    def routes_called(self, conformance: Conformance) -> set[tuple[str, str]]:
        return {(e.method, conformance.template_of(e.path)) for e in self.exchanges}
