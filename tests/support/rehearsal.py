"""The packaged stack, run as AWS would run it, against moto's server:

- each function of the template is a process of its own (`lambda_runtime.py`) with the unzipped
  package, the runtime's SDK and nothing else, the template's handler, timeout and environment
  (parameters resolved), and its own role's policy enforced;
- `Gateway` is API Gateway's REST API in front of them: it routes by the template's own API
  definition (which puts no authorizer in front of any route: the function checks sessions and
  keys itself) to the one function each method integrates, and sends the REST proxy event with the stage in the path, answering what the
  template's GatewayResponses declare (AWS's defaults where it declares none) for a path the API
  does not have;
- tables come from the template's table resources, the SES sender identity is verified, and the
  Stripe webhook secret is an SSM parameter, as the deployment guide says.
"""
from __future__ import annotations

import base64
import json
import os
import re
import socket
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.template import ACCOUNT, REGION, Template

RUNTIME = Path(__file__).with_name("lambda_runtime.py")
# What the Lambda Python runtime provides besides the standard library.
RUNTIME_SDK = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")
STAGE = "api"
API_ID = "rehearsal1"
HOST = f"{API_ID}.execute-api.{REGION}.amazonaws.com"


def runtime_sdk(into: Path) -> Path:
    """A folder holding only the runtime's SDK (links to this interpreter's copies)."""
    import importlib
    into.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_SDK:
        module = importlib.import_module(name)
        source = Path(module.__file__)
        source = source.parent if source.name == "__init__.py" else source
        (into / source.name).symlink_to(source)
    return into


@dataclass
class Invocation:
    answer: dict
    logs: list[str]

    @property
    def result(self):
        assert "error" not in self.answer, self.answer.get("trace")
        return self.answer["result"]

    @property
    def denied(self) -> list:
        return self.answer["denied"]

    def records(self) -> list[dict]:
        """The JSON lines the function printed (its logs and metrics)."""
        found = []
        for line in self.logs:
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
        return [r for r in found if isinstance(r, dict)]

    def metrics(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for record in self.records():
            for declared in record.get("_aws", {}).get("CloudWatchMetrics", []):
                for metric in declared["Metrics"]:
                    totals[metric["Name"]] = totals.get(metric["Name"], 0) + record[metric["Name"]]
        return totals


class Function:
    """One Lambda function: a process that keeps running between invocations (a warm container)."""

    def __init__(self, template: Template, logical_id: str, *, package: Path, sdk: Path, work: Path,
                 environment: dict[str, str]):
        properties = template.functions()[logical_id]
        self.name, self.lock, self.invocations = logical_id, threading.Lock(), 0
        self.denied: list = []   # calls its role refused, since it started
        self.log_path = work / f"{logical_id}.log"
        name = f"portico-rehearsal-{logical_id}"
        setup = {
            "function": logical_id, "handler": properties["Handler"], "package": str(package), "sdk": str(sdk),
            "timeout": properties["Timeout"], "region": REGION, "account": ACCOUNT,
            "statements": template.statements(template.role_of(logical_id)),
            "variables": template.environment(logical_id),
            "environment": {**environment, "AWS_LAMBDA_FUNCTION_NAME": name, "_HANDLER": properties["Handler"],
                            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(properties["MemorySize"]),
                            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}", "LAMBDA_TASK_ROOT": str(package)},
        }
        reading, writing = os.pipe()
        setup["results_fd"] = writing
        setup_path = work / f"{logical_id}.json"
        setup_path.write_text(json.dumps(setup))
        self.log = open(self.log_path, "w+")
        self.process = subprocess.Popen([sys.executable, "-I", "-S", str(RUNTIME), str(setup_path)],
                                        stdin=subprocess.PIPE, stdout=self.log, stderr=subprocess.STDOUT,
                                        text=True, pass_fds=(writing,), env=setup["environment"], cwd=package)
        os.close(writing)
        self.results = os.fdopen(reading)
        self._init: dict | None = None

    @property
    def init(self) -> dict:
        """What the import (Lambda's init phase) did: ready or its error, the AWS calls it made."""
        if self._init is None:
            self._init = self._read_answer()
        return self._init

    def invoke(self, event: dict, *, clock_offset_seconds: float = 0) -> Invocation:
        assert self.init["ready"], self.init["init_error"]
        with self.lock:
            start = self.log_path.stat().st_size
            request = {"event": event, "request_id": str(uuid.uuid4()), "trace_id": trace_id(),
                       "clock_offset_seconds": clock_offset_seconds}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = {**self._read_answer(), "trace_id": request["trace_id"]}
            self.invocations += 1
            self.denied += answer["denied"]
            with open(self.log_path) as printed:
                printed.seek(start)
                return Invocation(answer, printed.read().splitlines())

    def _read_answer(self) -> dict:
        line = self.results.readline()
        if not line:
            raise AssertionError(f"{self.name} died:\n{self.log_path.read_text()}")
        return json.loads(line)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)
        self.log.close()
        self.results.close()


def trace_id() -> str:
    return f"1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]}"


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    handler: Invocation | None = None

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Route:
    pattern: re.Pattern
    resource: str
    function: str        # the logical id of the function its integration invokes


@dataclass
class Gateway:
    """API Gateway's REST API in front of the functions (the `api` stage)."""
    template: Template
    functions: dict[str, Function]
    routes: dict[tuple[str, str], Route] = field(default_factory=dict)

    def __post_init__(self) -> None:
        api = self.template.resources["RestAPI"]["Properties"]["DefinitionBody"]
        assert not api.get("securityDefinitions"), "an authorizer in front of a route: the rehearsal plays none"
        for path, methods in api["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(path)) + "$")
            for method, operation in methods.items():
                uri = operation["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
                function = re.search(r"/functions/\$\{(\w+)\.Arn\}/invocations$", uri).group(1)
                self.routes[(method.upper(), path)] = Route(pattern, path, function)

    def request(self, method: str, url_path: str, *, headers: dict | None = None, body: bytes | str | None = None,
                query: dict | None = None) -> Answer:
        """`url_path` as the browser sends it: with the stage, e.g. /api/portal/me."""
        headers = {"Host": HOST, "User-Agent": "rehearsal", **(headers or {})}
        if not url_path.startswith(f"/{STAGE}/") and url_path != f"/{STAGE}":
            return self.answered_by_gateway("MISSING_AUTHENTICATION_TOKEN")
        path = url_path[len(STAGE) + 1:] or "/"
        found = [(r, r.pattern.match(path)) for (m, _), r in self.routes.items() if m == method]
        found = sorted(((r, match) for r, match in found if match), key=lambda rm: rm[0].resource.count("{"))
        if not found:
            return self.answered_by_gateway("MISSING_AUTHENTICATION_TOKEN")
        route, match = found[0]
        names = re.findall(r"\{([^}]+)\}", route.resource)
        raw = body.encode() if isinstance(body, str) else body
        binary = raw is not None and not _is_text(_header(headers, "Content-Type"))
        event = {
            "resource": route.resource, "path": url_path, "httpMethod": method,
            "headers": headers, "multiValueHeaders": {k: [v] for k, v in headers.items()},
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
            "pathParameters": dict(zip(names, match.groups())) or None, "stageVariables": None,
            "body": (base64.b64encode(raw).decode() if binary else raw.decode()) if raw is not None else None,
            "isBase64Encoded": binary,
            "requestContext": {"resourcePath": route.resource, "httpMethod": method, "path": url_path,
                               "stage": STAGE, "requestId": str(uuid.uuid4()), "apiId": API_ID,
                               "accountId": ACCOUNT, "domainName": HOST, "protocol": "HTTP/1.1",
                               "identity": {"sourceIp": "203.0.113.7", "userAgent": "rehearsal"},
                               "authorizer": None},
        }
        handled = self.functions[route.function].invoke(event)
        answer = handled.result
        payload = answer.get("body") or ""
        data = base64.b64decode(payload) if answer.get("isBase64Encoded") else payload.encode()
        merged = {**answer.get("headers", {}), **{k: v[-1] for k, v in (answer.get("multiValueHeaders") or {}).items()}}
        return Answer(answer["statusCode"], merged, data, handled)

    def answered_by_gateway(self, response_type: str) -> Answer:
        """What API Gateway answers itself: the template's GatewayResponse of that type, else AWS's default."""
        declared = next((r["Properties"] for r in self.template.of_type("AWS::ApiGateway::GatewayResponse").values()
                         if r["Properties"]["ResponseType"] == response_type), None)
        status, body = AWS_DEFAULT_ANSWERS[response_type]
        if declared is None:
            return Answer(status, {"x-amzn-ErrorType": response_type}, body)
        headers = {name.removeprefix("gatewayresponse.header."): value.strip("'")
                   for name, value in declared.get("ResponseParameters", {}).items()}
        return Answer(int(declared.get("StatusCode", status)), headers,
                      declared["ResponseTemplates"]["application/json"].encode())

    def page_url(self, path: str = "/") -> str:
        return f"https://{HOST}/{STAGE}{path}"

    def fetch(self, url: str, **kwargs) -> Answer:
        """A URL the browser would fetch: only this API's host serves anything."""
        parts = urlsplit(url)
        assert parts.netloc == HOST, f"{url} is not on the API's host"
        return self.request("GET", parts.path, **kwargs)


AWS_DEFAULT_ANSWERS = {   # API Gateway's answers where the template declares none
    "MISSING_AUTHENTICATION_TOKEN": (403, b'{"message":"Missing Authentication Token"}'),
}


def _header(headers: dict, name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


def _is_text(content_type: str | None) -> bool:
    return content_type is None or content_type.split(";")[0].strip() in ("application/json", "text/plain")


class TraceDaemon:
    """Where the functions' X-Ray SDK sends its segments (AWS_XRAY_DAEMON_ADDRESS)."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.segments: list[dict] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        return "127.0.0.1:%d" % self.socket.getsockname()[1]

    def _receive(self) -> None:
        while not self._stopping.is_set():
            try:
                data = self.socket.recv(65536)
            except OSError:
                continue
            header, _, body = data.partition(b"\n")
            try:
                self.segments.append(json.loads(body))
            except ValueError:
                continue

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=2)
        self.socket.close()


def scheduled_event(rule: str) -> dict:
    """What EventBridge sends a scheduled function."""
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events",
            "account": ACCOUNT, "time": "2026-12-06T12:00:00Z", "region": REGION,
            "resources": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{rule}"], "detail": {}}

