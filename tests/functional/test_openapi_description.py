"""The API description is enough for a generated client: every operation described, the headers
routes read, the statuses they answer (derived from how each route is declared), the example of
each route, the stage's base path, binary bodies the OpenAPI 3.1 way; and serving it is cheap."""
import ast
import inspect
import json
import textwrap

import pytest
from jsonschema import Draft202012Validator

from tests.support.api import Api, client
from tests.support.openapi import Conformance, Exchange


@pytest.fixture(scope="module")
def document():
    from chalicelib.handlers.openapi import document
    return document()


def operations(document):
    return [(method.upper(), path, operation) for path, methods in document["paths"].items()
            for method, operation in methods.items()]


def test_every_operation_has_a_summary_and_a_description_saying_who_may_call_it(document):
    for method, path, operation in operations(document):
        assert operation["summary"].strip(), (method, path)
        assert "**Who may call:**" in operation["description"], (method, path)


def headers_read_by(fn) -> set[str]:
    """The headers a handler reads with `<routes>.header("Name")`."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(fn))))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "header"
            and node.args and isinstance(node.args[0], ast.Constant)}


def test_every_header_a_route_reads_is_declared_and_the_idempotency_key_is_required(document):
    from chalicelib.handlers.http import VIEWS
    from chalicelib.handlers.lazy_routes import all_routes
    for spec in all_routes():
        view = VIEWS[(spec.method, spec.path)]
        assert headers_read_by(view) == {header.name for header in spec.headers}, (spec.method, spec.path)
    for path in ("/portal/payments", "/admin/payments/{payment_id}/refunds"):
        [key] = [p for p in document["paths"][path]["post"]["parameters"] if p["in"] == "header"]
        assert (key["name"], key["required"], key["schema"]["maxLength"]) == ("Idempotency-Key", True, 255)


def test_signing_in_and_the_emailed_links_declare_401_and_asking_for_a_link_does_not(document):
    statuses = lambda path: set(document["paths"][path]["post"]["responses"])  # noqa: E731
    assert "401" in statuses("/portal/auth/login")
    assert "401" in statuses("/portal/auth/accept-invite") and "401" in statuses("/portal/auth/reset-password")
    assert "401" not in statuses("/portal/auth/forgot-password")


def test_statuses_follow_from_who_may_call_the_route_its_method_and_what_it_takes(document):
    def statuses(method, path):
        return sorted(document["paths"][path][method]["responses"])

    assert statuses("get", "/portal/me") == ["200", "401", "403", "422", "429", "503"]
    assert statuses("post", "/portal/subscriptions/{subscription_id}/cancel") == [
        "200", "400", "401", "403", "404", "409", "413", "422", "429", "503"]
    assert statuses("get", "/") == ["200", "429"]
    assert statuses("get", "/assets/{asset_version}/{name}") == ["200", "404", "429"]
    assert statuses("post", "/webhooks/stripe") == ["200", "400", "409", "413", "429", "503"]


def test_throttled_and_busy_answers_declare_retry_after(document):
    for method, path, operation in operations(document):
        for status in ("429", "503"):
            if status in operation["responses"]:
                header = operation["responses"][status]["headers"]["Retry-After"]
                assert header["schema"] == {"type": "integer", "minimum": 1}
                assert header["required"] is (status == "503"), (method, path, status)


def walk(value):
    yield value
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        yield from walk(child)


def test_binary_answers_are_described_the_openapi_3_1_way(document):
    assert not [node for node in walk(document) if isinstance(node, dict) and node.get("format") == "binary"]
    pdf = document["paths"]["/portal/invoices/{invoice_id}/pdf"]["get"]["responses"]["200"]
    assert pdf["content"] == {"application/pdf": {"schema": {"contentMediaType": "application/pdf"}}}
    assert "Content-Disposition" in pdf["headers"]


def test_every_operation_carries_its_routes_example_and_each_example_fits_the_document(document):
    conformance = Conformance(document)
    problems = []
    for method, path, operation in operations(document):
        for parameter in operation["parameters"]:
            if parameter["in"] in ("path", "header") and "example" not in parameter:
                problems.append(f"{method} {path}: no example of {parameter['name']}")
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None:
            if "examples" not in body:
                problems.append(f"{method} {path}: no example request")
                continue
            validator = Draft202012Validator({"components": document["components"], **body["schema"]})
            problems += [f"{method} {path} request: {e.message[:200]}"
                         for e in validator.iter_errors(body["examples"]["demo"]["value"])]
        answered = [(status, answer["content"]["application/json"]["examples"]["demo"]["value"])
                    for status, answer in operation["responses"].items()
                    if "examples" in answer.get("content", {}).get("application/json", {})]
        json_answer = "application/json" in operation["responses"].get(next(iter(operation["responses"])),
                                                                          {}).get("content", {})
        if json_answer and not answered and path != "/openapi.json":
            problems.append(f"{method} {path}: no example answer")
        for status, value in answered:
            concrete = path.replace("{", "").replace("}", "")
            problems += conformance.problems(Exchange(method, concrete, int(status), json.dumps(value).encode(),
                                                      "application/json"))
    assert problems == []


def test_servers_name_the_base_path_the_caller_used_and_the_api_gateway_stage():
    from chalicelib.handlers.openapi import base_url, described_at

    at = lambda **context: base_url(context)  # noqa: E731
    assert at(domainName="abc123def4.execute-api.eu-west-1.amazonaws.com", path="/api/openapi.json", stage="api") \
        == "https://abc123def4.execute-api.eu-west-1.amazonaws.com/api"
    assert at(domainName="billing.example.com", path="/openapi.json", stage="api") == "https://billing.example.com"
    assert at(domainName="billing.example.com", path="/portal-api/openapi.json", stage="api") \
        == "https://billing.example.com/portal-api"
    assert at(path="/openapi.json") == "."          # chalice local, or behind another proxy: where it was served
    servers = json.loads(described_at("."))["servers"]
    assert servers[0]["url"] == "."
    assert servers[1]["url"].endswith("/{stage}") and servers[1]["variables"]["stage"]["default"] == "api"


def test_the_document_is_built_once_and_then_served_from_memory(aws, monkeypatch):
    from chalicelib.handlers import openapi, openapi_document
    openapi_document.document.cache_clear()
    openapi.described_at.cache_clear()
    built = []
    operation = openapi_document._operation
    monkeypatch.setattr(openapi_document, "_operation", lambda spec, schemas: built.append(spec) or
                        operation(spec, schemas))
    with client() as c:
        first, second = Api(c).get("/openapi.json"), Api(c).get("/openapi.json")

    assert first.status == second.status == 200 and first.json == second.json
    from chalicelib.handlers.lazy_routes import all_routes
    assert len(built) == len(all_routes())
    assert openapi.described_at.cache_info().hits >= 1
