"""Schemathesis against /openapi.json on the app served locally (devstack: chalice local + moto):
a bounded, deterministic number of generated requests per operation. No answer is a 5xx, every
error is in the documented envelope, and every answer matches the schema the document declares
for its status (schemathesis' response_schema_conformance)."""
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import response_schema_conformance

from devstack.seed import DEMO_PASSWORD
from devstack.launcher import start_devstack

pytestmark = pytest.mark.slow   # left out of `make check`: a live stack

CASES_PER_OPERATION = 12


@pytest.fixture(scope="module")
def live_stack():
    stack = start_devstack("fuzz-")
    try:
        admin_key = stack.printed("Admin API key")
        login = requests.post(f"{stack.api_url}/portal/auth/login", timeout=10, json={
            "organization": "org_demo", "email": "ada@acme-analytics.example", "password": DEMO_PASSWORD})
        assert login.status_code == 200, login.text
        yield stack, {"/admin": admin_key, "/portal": login.json()["token"]}
    finally:
        stack.interrupt()


@pytest.fixture(scope="module")
def live_schema(live_stack):
    stack, _tokens = live_stack
    return schemathesis.openapi.from_url(f"{stack.api_url}/openapi.json")


def credentials_for(path: str, tokens: dict) -> dict:
    if path.startswith("/portal/auth/") and not path.endswith(("logout", "change-password")):
        return {}
    for prefix, token in tokens.items():
        if path.startswith(prefix):
            return {"Authorization": f"Bearer {token}"}
    return {}


def test_no_generated_request_gets_a_server_error_or_an_undocumented_error(live_stack, live_schema):
    # schemathesis' pytest plugin does not run under pytest 9: each operation's strategy is driven here
    stack, tokens = live_stack
    problems, operations = [], 0
    for result in live_schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/auth/logout"):
            continue   # signing the fuzzing session out would turn every later case into a 401
        operations += 1

        @settings(max_examples=CASES_PER_OPERATION, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(operation.as_strategy())
        def send(case):
            response = case.call(base_url=stack.api_url, headers=credentials_for(case.path, tokens), timeout=10)
            if response.status_code >= 500:
                problems.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}")
            elif response.status_code >= 400:
                error = response.json().get("error") if response.content else None
                if not (isinstance(error, dict) and {"code", "message", "details"} <= set(error)):
                    problems.append(f"{case.method} {case.formatted_path}: undocumented {response.text[:300]}")
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except Exception as failure:  # noqa: BLE001 - schemathesis raises its failures as exceptions
                problems.append(f"{case.method} {case.formatted_path}: {response.status_code} not as "
                                f"documented: {str(failure)[:300]}")

        send()
    assert operations >= 20
    server_log = "\n".join(line for line in stack.output if "Error" in line or "error" in line)
    assert problems == [], "\n".join(sorted(set(p[:160] for p in problems))) + "\n\nserver log:\n" + server_log


def test_hostile_bodies_and_forged_cursors_to_every_operation_are_refused_in_the_envelope(live_stack, live_schema):
    # Given every documented operation, its path ids filled in with well-formed ids
    stack, tokens = live_stack
    deep = b"[" * 20_000
    forged_cursor = "eyJvd25lciI6eyJTIjoib3JnX2RlbW8jY3VzIn0sImludm9pY2VfaWQiOnsiTiI6IjcifX0"
    problems, sent = [], 0
    for result in live_schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/auth/logout"):
            continue
        url = stack.api_url + operation.path.replace("{", "x_").replace("}", "")
        headers = {**credentials_for(operation.path, tokens), "Content-Type": "application/json",
                   "Idempotency-Key": "hostile-1"}
        query_names = {p.name for p in operation.query}
        attempts = []
        # When a body nested 20,000 deep goes to each that takes a body, and a forged cursor to each list
        if operation.body:
            attempts.append(("body", requests.request(operation.method.upper(), url, data=deep, headers=headers,
                                                      timeout=10)))
        if "cursor" in query_names:
            attempts.append(("cursor", requests.get(url, params={"cursor": forged_cursor}, headers=headers,
                                                    timeout=10)))
        for field, answer in attempts:
            sent += 1
            error = answer.json().get("error") if answer.content else None
            # Then each is refused with a 4xx in the envelope, never a 5xx
            if answer.status_code >= 500 or not isinstance(error, dict):
                problems.append(f"{operation.method} {operation.path} ({field}): {answer.status_code} {answer.text[:200]}")
            elif answer.status_code == 400 and field not in error["details"].get("fields", {}):
                problems.append(f"{operation.method} {operation.path} ({field}): 400 for {error}")
    assert sent >= 20
    assert problems == [], "\n".join(problems)
