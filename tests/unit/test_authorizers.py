"""Each authorizer is a Lambda of its own, so no request middleware runs before it: it points
the tables at their stage before it reads a session or a key."""
from chalicelib import bootstrap
from chalicelib.handlers import authorizers


def token_event(token: str) -> dict:
    return {"type": "TOKEN", "authorizationToken": f"Bearer {token}",
            "methodArn": "arn:aws:execute-api:us-east-1:000000000000:api/dev/GET/portal/me"}


def test_each_authorizer_readies_the_tables_before_it_looks_anything_up(monkeypatch):
    calls = []
    monkeypatch.setattr(bootstrap, "tables_ready", lambda: calls.append("tables ready"))
    access = bootstrap.services().access
    monkeypatch.setattr(access, "authenticate", lambda token: calls.append(f"session {token}"))
    monkeypatch.setattr(access, "org_for_api_key", lambda key: calls.append(f"key {key}"))

    authorizers.portal_session(token_event("t0k3n"), None)
    authorizers.merchant_key(token_event("k3y"), None)

    assert calls == ["tables ready", "session t0k3n", "tables ready", "key k3y"]
