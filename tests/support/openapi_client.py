"""A client generated from an OpenAPI document alone, as a code generator would make one: a method
per operationId, the base URL from the document's `servers` (resolved against where the document
was fetched), path, query and header parameters, bearer auth where the operation asks for it; it
refuses to send what the document says is wrong (a missing required header, a body that does not
match its schema) and refuses an answer the document does not describe (an undeclared status,
media type or header, a body off its schema)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote, urlencode, urljoin, urlsplit

from jsonschema import FormatChecker
from openapi_schema_validator import OAS31Validator

Transport = Callable[[str, str, dict, bytes | None], tuple[int, dict, bytes]]   # method, url, headers, body


class NotAsDocumented(AssertionError):
    """The request or its answer is not what the document describes."""


@dataclass
class Answer:
    status: int
    headers: dict
    content: bytes

    @property
    def json(self):
        return json.loads(self.content) if self.content else None


class GeneratedClient:
    def __init__(self, document_url: str, transport: Transport):
        self.transport = transport
        status, _headers, content = transport("GET", document_url, {"Accept": "application/json"}, None)
        assert status == 200, (status, content[:200])
        self.document = json.loads(content)
        self.base_url = urljoin(document_url, self.document["servers"][0]["url"]).rstrip("/")
        self.operations = {operation["operationId"]: (method.upper(), path, operation)
                           for path, methods in self.document["paths"].items()
                           for method, operation in methods.items()}
        self.token: str | None = None

    def __getattr__(self, operation_id: str) -> Callable[..., Answer]:
        if operation_id not in self.__dict__.get("operations", {}):
            raise AttributeError(operation_id)
        return lambda **given: self.call(operation_id, **given)

    def call(self, operation_id: str, *, path: dict | None = None, query: dict | None = None,
             headers: dict | None = None, body=None) -> Answer:
        method, template, operation = self.operations[operation_id]
        sent = {"Accept": "*/*", **(headers or {})}
        values = {"path": path or {}, "query": query or {}, "header": sent}
        for parameter in operation.get("parameters", []):
            given = values[parameter["in"]]
            if parameter["name"] not in given:
                if parameter.get("required"):
                    raise NotAsDocumented(f"{operation_id}: the {parameter['in']} parameter {parameter['name']} "
                                          f"is required")
                continue
            self._check(parameter["schema"], given[parameter["name"]], f"{operation_id} {parameter['name']}")
        content = None
        if "requestBody" in operation:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            self._check(schema, body if body is not None else {}, f"{operation_id} body")
            sent["Content-Type"] = "application/json"
            content = json.dumps(body if body is not None else {}).encode()
        if "security" in operation and self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        url = self.base_url + template.format(**{name: quote(str(value), safe="") for name, value in (path or {}).items()})
        if query:
            url += "?" + urlencode(query)
        status, answered_headers, answered = self.transport(method, url, sent, content)
        self._check_answer(operation_id, operation, status, answered_headers, answered)
        return Answer(status, answered_headers, answered)

    def _check_answer(self, operation_id: str, operation: dict, status: int, headers: dict, content: bytes) -> None:
        declared = operation["responses"].get(str(status))
        if declared is None:
            raise NotAsDocumented(f"{operation_id}: answered {status}, which the document does not declare: "
                                  f"{content[:200]!r}")
        for name, header in declared.get("headers", {}).items():
            if header.get("required") and name not in headers:
                raise NotAsDocumented(f"{operation_id}: {status} without its required {name} header")
        if "content" not in declared:
            if content:
                raise NotAsDocumented(f"{operation_id}: {status} declared without a body, answered {content[:80]!r}")
            return
        media_type = headers.get("Content-Type", "").split(";")[0]
        media = declared["content"].get(media_type) or declared["content"].get("*/*")
        if media is None:
            raise NotAsDocumented(f"{operation_id}: {status} answered {media_type}, declared "
                                  f"{list(declared['content'])}")
        if media_type == "application/json":
            self._check(media["schema"], json.loads(content), f"{operation_id} {status} answer")

    def _check(self, schema: dict, value, what: str) -> None:
        validator = OAS31Validator({"components": self.document["components"], **schema},
                                   format_checker=FormatChecker())
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(value)]
        if problems:
            raise NotAsDocumented(f"{what}: {problems}")


def behind_a_stage(chalice_client, stage_url: str) -> Transport:
    """chalice.test.Client as API Gateway serves it at `stage_url` (e.g. https://x/api): paths
    under the stage reach the app without the stage's prefix; anything else is 403."""
    stage = urlsplit(stage_url)

    def send(method: str, url: str, headers: dict, body: bytes | None) -> tuple[int, dict, bytes]:
        target = urlsplit(url)
        if (target.scheme, target.netloc) != (stage.scheme, stage.netloc) or \
                not target.path.startswith(stage.path.rstrip("/") + "/"):
            return 403, {"Content-Type": "application/json"}, b'{"message":"Missing Authentication Token"}'
        inner = target.path[len(stage.path.rstrip("/")):] + (f"?{target.query}" if target.query else "")
        answer = chalice_client.http.request(method, inner, headers=headers, body=body)
        return answer.status_code, dict(answer.headers), answer.body

    return send
