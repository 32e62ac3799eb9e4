"""A cold start of the most common route, as Lambda runs it: `import app`, then GET /portal/me with
the event API Gateway sends (one invocation: the function checks the session itself).

    python -I -S -B bench/first_request.py PACKAGE SDK

runs it from an unzipped Lambda package beside the runtime's SDK only (bench/cold_start.py), in a
fresh process that writes no bytecode, against the local AWS and session of BENCH_PORTAL_TOKEN.
Without arguments it runs from the working tree. Files to write to: BENCH_MODULES_TO, the modules
it loaded; BENCH_CALLS_TO, the DynamoDB calls it made (the yardstick makes the same ones);
BENCH_IMPORT_ONLY=1 stops after `import app`. Standard library only until the package is on sys.path."""
from __future__ import annotations

import json
import os
import sys

PATH = "/portal/me"


HERE = os.path.dirname(os.path.abspath(__file__))


def main(package: str | None = None, sdk: str | None = None) -> None:
    sys.path[:0] = [package, sdk] if package else [os.path.dirname(HERE)]
    sys.path.append(HERE)
    from gateway_events import proxy_event
    calls = _recording_calls() if os.environ.get("BENCH_CALLS_TO") else None

    from app import app
    if os.environ.get("BENCH_IMPORT_ONLY"):
        return
    answer = app(proxy_event("GET", PATH, token=os.environ["BENCH_PORTAL_TOKEN"]), None)
    if answer["statusCode"] != 200:
        sys.exit(f"GET {PATH} answered {answer['statusCode']}: {answer['body']}")
    if os.environ.get("BENCH_MODULES_TO"):
        with open(os.environ["BENCH_MODULES_TO"], "w") as modules:
            json.dump(sorted(sys.modules), modules)
    if calls is not None:
        with open(os.environ["BENCH_CALLS_TO"], "w") as recorded:
            json.dump(calls, recorded)


def _recording_calls() -> list[dict]:
    """Every DynamoDB call this process makes, as botocore receives it, appended to the list answered."""
    from botocore.client import BaseClient
    calls, make_call = [], BaseClient._make_api_call

    def recorded(client, operation: str, params: dict):
        if client.meta.service_model.service_name == "dynamodb":
            calls.append({"operation": operation, "params": json.loads(json.dumps(params))})
        return make_call(client, operation, params)

    BaseClient._make_api_call = recorded
    return calls


if __name__ == "__main__":
    main(*sys.argv[1:3])
