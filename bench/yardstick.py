"""The bench's yardstick: a minimal Chalice app making the same DynamoDB calls as Portico, with
nothing else (no models, validation, logs, tracing): a boto3 client made at import, as a minimal
Lambda makes it, the calls, a JSON answer.

- `GET /one`: one GetItem of the first item Portico's requests read (the session, which Portico
  reads in one BatchGetItem with the customer and the organization), the floor of a route's warm
  CPU (bench/warm_cpu.py);
- `GET /first`: every call Portico's cold `GET /portal/me` makes (the session check included), in order
  (recorded by bench/cold_start.py), the floor of its cold start;
- `replaying_app`'s `GET /same/{index}`: the reads one Portico route makes, in order, with the same
  parameters: how much of a route's warm CPU any app making its calls spends (bench/warm_cpu.py).

    python -I -S -B bench/yardstick.py PACKAGE SDK CALLS.json

is the yardstick's cold start: Chalice from the same unzipped package, boto3 from the runtime's SDK,
`import` and the first `GET /first` (BENCH_IMPORT_ONLY=1: the import alone). Standard library only
until the package is on sys.path."""
from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def make_app(calls: list[dict]):
    """`calls`: [{"operation": "GetItem", "params": {...}}, ...] as botocore received them."""
    from botocore import xform_name
    from chalice import Chalice
    app = Chalice(app_name="yardstick")
    dynamodb = _client()
    bound = [(getattr(dynamodb, xform_name(call["operation"])), call["params"]) for call in calls]
    one_params = first_item(calls)

    @app.route("/one")
    def one():
        return {"item": dynamodb.get_item(**one_params).get("Item")}

    @app.route("/first")
    def first():
        return {"answers": [sorted(method(**params)) for method, params in bound]}

    return app


READS = frozenset({"GetItem", "BatchGetItem", "Query", "TransactGetItems"})


def replaying_app(replays: list[list[dict]]):
    """`GET /same/{index}` makes the reads among `replays[index]` (calls as `make_app` takes them), in
    order: the yardstick's floor for a route making those calls. Writes are left out: a route's
    conditional write would fail the second time."""
    from botocore import xform_name
    from chalice import Chalice
    app = Chalice(app_name="yardstick")
    dynamodb = _client()
    bound = [[(getattr(dynamodb, xform_name(call["operation"])), call["params"]) for call in calls
              if call["operation"] in READS] for calls in replays]

    @app.route("/same/{index}")
    def same(index):
        return {"answers": [sorted(method(**params)) for method, params in bound[int(index)]]}

    return app


def _client():
    import boto3
    return boto3.client("dynamodb", region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
                        endpoint_url=os.environ.get("PORTICO_AWS_ENDPOINT"))


def first_item(calls: list[dict]) -> dict:
    """GetItem's parameters for the first item the first of `calls` reads: the floor stays one GetItem
    of one item as PynamoDB asks for it (consumed capacity returned), whatever Portico reads along with it."""
    first = calls[0]
    if first["operation"] == "GetItem":
        return first["params"]
    table, asked = next(iter(first["params"]["RequestItems"].items()))
    return {"TableName": table, "Key": asked["Keys"][0], "ConsistentRead": asked.get("ConsistentRead", False),
            "ReturnConsumedCapacity": "TOTAL"}


def main(package: str, sdk: str, calls_path: str) -> None:
    sys.path[:0] = [package, sdk]
    sys.path.append(HERE)
    from gateway_events import proxy_event
    with open(calls_path) as recorded:
        app = make_app(json.load(recorded))
    if os.environ.get("BENCH_IMPORT_ONLY"):
        return
    answer = app(proxy_event("GET", "/first"), None)
    if answer["statusCode"] != 200:
        sys.exit(f"the yardstick answered {answer['statusCode']}: {answer['body']}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
