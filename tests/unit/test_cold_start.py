"""`import app` (every Lambda's cold start) registers every route, schedule and authorizer, and
loads no service, table or gateway: those are imported by the first request that uses them
(chalicelib/lazy.py). Checked on what a fresh process imports, not on a clock."""
import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# (path, method) pairs when handlers became lazy (issue 9); routes may be added, never lost
ROUTES_AT_ISSUE_9 = 95
NEVER_AT_IMPORT = ("pynamodb", "botocore", "boto3", "fpdf", "stripe", "zxcvbn", "argon2", "aws_xray_sdk",
                   "chalicelib.tables", "chalicelib.gateways", "chalicelib.services.subscriptions.scheduled",
                   "chalicelib.domain.scheduling", "chalicelib.domain.subscription_actions")
SCRIPT = """
import json, sys
import app
from chalicelib.handlers.http import ROUTES
print(json.dumps({
    "modules": sorted(sys.modules),
    "registered": sorted([path, method] for path, methods in app.app.routes.items() for method in methods),
    "declared": sorted([spec.path, spec.method] for spec in ROUTES),
    "schedules": sorted(source.name for source in app.app.event_sources),
    "authorizers": sorted(auth.name for auth in app.app.builtin_auth_handlers),
}))
"""


def imported_by_app() -> dict:
    answer = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={"AWS_DEFAULT_REGION": "us-east-1", "AWS_XRAY_SDK_ENABLED": "false",
                                 "PYTHONDONTWRITEBYTECODE": "1"})
    return json.loads(answer.stdout)


def test_import_app_loads_no_service_table_gateway_or_heavy_library():
    modules = imported_by_app()["modules"]

    heavy = [m for m in modules if any(m == name or m.startswith(name + ".") for name in NEVER_AT_IMPORT)]
    services = [m for m in modules if m.startswith("chalicelib.services.")]

    assert heavy == []
    assert services == ["chalicelib.services.inputs"]   # the small values handlers build


def test_import_app_still_registers_every_route_schedule_and_authorizer():
    app = imported_by_app()

    assert app["registered"] == app["declared"]
    assert len(app["registered"]) >= ROUTES_AT_ISSUE_9
    assert app["schedules"] == ["run_due_work", "send_queued_email"]
    assert app["authorizers"] == ["merchant_key", "portal_session"]


def test_handlers_load_only_services_lazily_and_each_exists():
    """`lazy("...")` names escape the import-based layering check: they are checked here."""
    targets = {}
    for path in (ROOT / "chalicelib" / "handlers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy":
                targets[node.args[0].value] = path.relative_to(ROOT)

    wrong = {name: str(where) for name, where in targets.items()
             if not name.startswith("chalicelib.services.")
             or not (ROOT / (name.replace(".", "/") + ".py")).exists()}

    assert targets and wrong == {}
