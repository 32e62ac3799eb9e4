"""A stand-in for the Lambda Python runtime, for the deployment rehearsal.

Run as `python -I -S lambda_runtime.py SETUP.json` with nothing importable but the standard library:
it puts the unzipped package first on sys.path and the runtime's SDK (boto3, botocore and their
dependencies) after it, as Lambda does, and imports the function's handler (its "init"). Then it
takes invocations, one JSON line each on stdin, and answers each with one JSON line on the result
pipe, after flushing what the function printed (its logs) to stdout.

Like Lambda it gives the handler a context (request id, remaining time) and sets `_X_AMZN_TRACE_ID`
for each invocation. Unlike Lambda, it refuses any AWS call the function's role does not allow with
AccessDenied and reports it, and counts the calls made during init. The function's own environment
variables are set only after the import, as Chalice sets them only while a handler runs: a setting
read at import time reads nothing.

This file imports nothing outside the standard library at module level: the test process imports
`allows` from it, and the runtime process has nothing else.
"""
from __future__ import annotations

import fnmatch
import importlib
import json
import os
import sys
import time
import traceback
import uuid
from datetime import datetime, timedelta, timezone


# --- the role: which calls it allows ------------------------------------------------------------

def allows(statements: list[dict], action: str, resource: str, context: dict | None = None) -> bool:
    """Whether IAM `statements` allow `action` on `resource` (Allow wins unless a Deny matches;
    conditions: StringEquals and StringLike on the request's `context`)."""
    matching = [s for s in statements if _matches(s, action, resource, context or {})]
    return any(s["Effect"] == "Allow" for s in matching) and not any(s["Effect"] == "Deny" for s in matching)


def _matches(statement: dict, action: str, resource: str, context: dict) -> bool:
    actions, resources = _listed(statement.get("Action")), _listed(statement.get("Resource"))
    if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in actions):
        return False
    if not any(fnmatch.fnmatchcase(resource, r) for r in resources):
        return False
    for test, pairs in statement.get("Condition", {}).items():
        for key, expected in pairs.items():
            wanted, got = _listed(expected), context.get(key)
            compare = fnmatch.fnmatchcase if test == "StringLike" else str.__eq__
            if test not in ("StringEquals", "StringLike") or got is None or not any(compare(got, w) for w in wanted):
                return False
    return True


def _listed(value) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []


def requested(service: str, operation: str, params: dict, region: str, account: str) -> list[tuple]:
    """(action, resources any of which must be allowed, condition context) for an API call."""
    arn = f"arn:aws:{service}:{region}:{account}"
    if service == "dynamodb":
        return list(_dynamodb(operation, params, arn))
    if service == "ses" and operation in ("SendRawEmail", "SendEmail"):
        source = params.get("Source", "")
        address = source.rsplit("<", 1)[-1].rstrip(">")
        identities = [f"{arn}:identity/{address}", f"{arn}:identity/{address.rsplit('@', 1)[-1]}"]
        return [(f"ses:{operation}", identities, {"ses:FromAddress": address})]
    if service == "sqs" and "QueueUrl" in params:   # a batch is allowed by its single message's action
        return [(f"sqs:{operation.removesuffix('Batch')}", [f"{arn}:{params['QueueUrl'].rsplit('/', 1)[-1]}"], {})]
    if service == "ssm" and "Name" in params:
        return [(f"ssm:{operation}", [f"{arn}:parameter{params['Name']}"], {})]
    return [(f"{service}:{operation}", ["*"], {})]


def _dynamodb(operation: str, params: dict, arn: str):
    def table(name: str, index: str | None = None) -> list[str]:
        return [f"{arn}:table/{name}" + (f"/index/{index}" if index else "")]
    if "TableName" in params:
        yield f"dynamodb:{operation}", table(params["TableName"], params.get("IndexName")), {}
    for name in params.get("RequestItems", {}):
        yield f"dynamodb:{operation}", table(name), {}
    kinds = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem",
             "Get": "GetItem"}
    for item in params.get("TransactItems", []):
        for kind, body in item.items():
            yield f"dynamodb:{kinds[kind]}", table(body["TableName"]), {}


# --- the runtime ---------------------------------------------------------------------------------

class Context:
    """What Lambda passes as the handler's second argument."""

    def __init__(self, setup: dict, request_id: str):
        self.aws_request_id = request_id
        self.function_name = setup["environment"]["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = int(setup["environment"]["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"])
        self.invoked_function_arn = f"arn:aws:lambda:{setup['region']}:{setup['account']}:function:{self.function_name}"
        self.log_group_name = setup["environment"]["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = "rehearsal"
        self._deadline = time.monotonic() + setup["timeout"]

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class Guard:
    """Checks every AWS call against the role; counts them."""

    def __init__(self, setup: dict):
        self.setup, self.calls, self.denied = setup, [], []

    def install(self) -> None:
        from botocore.client import BaseClient
        from botocore.exceptions import ClientError
        original, guard = BaseClient._make_api_call, self

        def checked(client, operation_name, api_params):
            service = client.meta.service_model.service_name
            for action, resources, context in requested(service, operation_name, api_params,
                                                        guard.setup["region"], guard.setup["account"]):
                guard.calls.append([action, resources[0]])
                if not any(allows(guard.setup["statements"], action, r, context) for r in resources):
                    guard.denied.append([action, resources[0]])
                    raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": (
                        f"{guard.setup['function']} is not authorized to perform {action} on {resources[0]}")}},
                        operation_name)
            return original(client, operation_name, api_params)
        BaseClient._make_api_call = checked

    def taken(self) -> tuple[list, list]:
        calls, denied = self.calls, self.denied
        self.calls, self.denied = [], []
        return calls, denied


def main(setup_path: str) -> None:
    setup = json.loads(open(setup_path).read())
    results = os.fdopen(int(setup["results_fd"]), "w")
    sys.path[:0] = [setup["package"], setup["sdk"]]
    os.environ.clear()
    os.environ.update(setup["environment"])
    guard = Guard(setup)
    guard.install()
    module_name, handler_name = setup["handler"].rsplit(".", 1)
    started = time.monotonic()
    try:
        handler = getattr(importlib.import_module(module_name), handler_name)
        failure = None
    except Exception:  # noqa: BLE001 - reported as Lambda reports an init error
        handler, failure = None, traceback.format_exc()
    os.environ.update(setup["variables"])
    calls, denied = guard.taken()
    _answer(results, {"ready": failure is None, "init_error": failure, "init_seconds": time.monotonic() - started,
                      "calls": calls, "denied": denied})
    for line in sys.stdin:
        _answer(results, _invoke(handler, json.loads(line), setup, guard))


def _invoke(handler, request: dict, setup: dict, guard: Guard) -> dict:
    request_id = request.get("request_id") or str(uuid.uuid4())
    os.environ["_X_AMZN_TRACE_ID"] = f"Root={request['trace_id']};Parent={uuid.uuid4().hex[:16]};Sampled=1"
    if request.get("clock_offset_seconds"):
        _shift_clock(request["clock_offset_seconds"])
    try:
        answer = {"result": handler(request["event"], Context(setup, request_id))}
    except Exception as error:  # noqa: BLE001 - Lambda reports a function error
        answer = {"error": type(error).__name__, "message": str(error), "trace": traceback.format_exc()}
    finally:
        _shift_clock(None)
    answer["calls"], answer["denied"] = guard.taken()
    return answer


def _shift_clock(offset_seconds: float | None) -> None:
    """The package's clock moved ahead (a job run later than now): tests pin time the same way."""
    bootstrap = sys.modules.get("chalicelib.bootstrap")
    if bootstrap is not None:
        bootstrap.set_clock(None if offset_seconds is None else
                            (lambda: datetime.now(timezone.utc) + timedelta(seconds=offset_seconds)))


def _answer(results, answer: dict) -> None:
    sys.stdout.flush()
    results.write(json.dumps(answer, default=str) + "\n")
    results.flush()


if __name__ == "__main__":
    main(sys.argv[1])
