"""Records the example of every route for the API description: each request of exercise/examples.py
sent, in order, to the app on moto's in-memory AWS with the demo world (as the OpenAPI answers
test sends them), with the answer it got. Writes chalicelib/handlers/openapi_examples.json.

    python -m bench.openapi_examples

Run it again when a route or an example changes (a test fails when a route has no example, or
when an example no longer fits the document)."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from chalicelib.handlers.openapi_examples import RECORDED, key

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
SHOWN_ITEMS = 2                        # a list in an answer shows its first items only
SECRETS = {"token": "ses_demo_session_token", "client_secret": "seti_demo_secret_demo",
           "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",     # a second factor's, made fresh each run
           "otpauth_uri": "otpauth://totp/Northwind%20Software%3Aada%40acme-analytics.example?"
                          "secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Northwind%20Software"
                          "&algorithm=SHA1&digits=6&period=30",
           "url": "http://127.0.0.1:8000/?portal=northwind#/act/act_demo_link_token"}   # an action link's


def trimmed(value):
    """The answer as an example: short lists, no live secrets."""
    if isinstance(value, list):
        return [trimmed(item) for item in value[:SHOWN_ITEMS]]
    if isinstance(value, dict):
        return {name: SECRETS.get(name, trimmed(item)) if isinstance(item, str) and name in SECRETS
                else trimmed(item) for name, item in value.items()}
    return value


def path_values(template: str, path: str) -> dict:
    pattern = "^" + re.sub(r"{(\w+)}", r"(?P<\1>[^/?]+)", template) + "(?:\\?.*)?$"
    return re.match(pattern, path).groupdict()


def record(client, world) -> dict:
    from exercise.examples import examples, send
    from exercise.scenarios import token_for
    recorded = {}
    for example in examples(world):
        answer = send(client, example, token_for(world, example.spec))
        json_answer = answer.headers.get("Content-Type", "").startswith("application/json")
        recorded[key(example.spec)] = {
            "path": path_values(example.spec.path, example.path),
            "headers": {name: value for name, value in example.headers.items()},
            "body": trimmed(example.body) if example.body is not None else None,
            "status": answer.status_code,
            "answer": trimmed(json.loads(answer.body)) if json_answer and answer.body
            and example.spec.path != "/openapi.json" else None,
        }
    return recorded


def main() -> None:
    from chalice.test import Client
    from moto import mock_aws
    with mock_aws():
        from app import app
        from exercise.scenarios import build_world
        from chalicelib import bootstrap, tables
        bootstrap.reset()
        bootstrap.tables_ready()
        tables.create_all()
        bootstrap.set_clock(lambda: NOW)
        world = build_world(NOW)
        with Client(app) as client:
            recorded = record(client, world)
    RECORDED.write_text(json.dumps(recorded, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{RECORDED}: {len(recorded)} examples, {RECORDED.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
