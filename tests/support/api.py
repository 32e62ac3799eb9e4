"""Builders for functional tests: an organization with its admin key, and a JSON client."""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

from chalice.test import Client

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


@dataclass
class Answer:
    status: int
    json: object
    headers: dict
    body: bytes


class Api:
    """chalice.test.Client with JSON in and out, and a bearer token."""

    def __init__(self, client: Client, token: str | None = None):
        self.client, self.token = client, token

    def as_(self, token: str | None) -> "Api":
        return Api(self.client, token)

    def call(self, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None):
        sent = {"Content-Type": "application/json", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
        response = self.client.http.request(method, path, headers=sent, body=payload)
        try:
            parsed = json.loads(response.body) if response.body else None
        except ValueError:
            parsed = None
        return Answer(response.status_code, parsed, dict(response.headers), response.body)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.call("PUT", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)


def new_organization(name: str = "Acme Cloud", currency: str = "USD", **extra):
    """An organization and its admin API key, created as the CLI does."""
    from chalicelib.bootstrap import services
    return services().access.create_organization(name=name, email=f"billing@{name.split()[0].lower()}.example",
                                                 currency=currency, now=NOW, **extra)


def client() -> Client:
    from app import app
    return Client(app)


@contextmanager
def from_address(ip: str):
    """Requests sent within come from `ip` (chalice's local gateway says 127.0.0.1 otherwise)."""
    from chalice.local import LambdaEventConverter
    before = LambdaEventConverter.LOCAL_SOURCE_IP
    LambdaEventConverter.LOCAL_SOURCE_IP = ip
    try:
        yield
    finally:
        LambdaEventConverter.LOCAL_SOURCE_IP = before
