"""`import app` (every Lambda's cold start) registers every route, schedule and queue worker (and no
API Gateway authorizer: credentials are checked inside the API function), and
loads no route module, service, table or gateway: those are imported by the first request that uses
them (a route's module by its view, handlers/lazy_routes.py; each method of a capability's facade,
`bootstrap.services().<capability>`, imports its module when called).
Checked on what a fresh process imports, not on a clock."""
import ast
import json
import subprocess
import sys
from pathlib import Path

from chalicelib.handlers.route_table import MODULES as ROUTE_MODULES

ROOT = Path(__file__).resolve().parents[2]
FACADES = [f"chalicelib.services.{capability}" for capability in
           ("subscriptions", "payments", "documents", "accounts", "access")]

# (path, method) pairs when handlers became lazy; routes may be added, never lost
ROUTES_WHEN_HANDLERS_BECAME_LAZY = 95
NEVER_AT_IMPORT = ("pynamodb", "botocore", "boto3", "fpdf", "stripe", "zxcvbn", "argon2", "aws_xray_sdk",
                   "chalicelib.tables", "chalicelib.gateways", "chalicelib.services.subscriptions.scheduled",
                   "chalicelib.domain.scheduling", "chalicelib.domain.subscription_actions")
SCRIPT = """
import gc, json, sys
import app
modules = sorted(sys.modules)
from chalicelib.handlers.lazy_routes import all_routes
print(json.dumps({
    "modules": modules,
    "registered": sorted([path, method] for path, methods in app.app.routes.items() for method in methods),
    "declared": sorted([spec.path, spec.method] for spec in all_routes()),
    "schedules": sorted(source.name for source in app.app.event_sources),
    "authorizers": sorted(auth.name for auth in app.app.builtin_auth_handlers),
    "frozen": gc.get_freeze_count(),
}))
"""


def imported_by_app() -> dict:
    answer = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={"AWS_DEFAULT_REGION": "us-east-1", "AWS_XRAY_SDK_ENABLED": "false",
                                 "PYTHONDONTWRITEBYTECODE": "1"})
    return json.loads(answer.stdout)


def test_import_app_loads_no_route_module_service_table_gateway_or_heavy_library():
    modules = imported_by_app()["modules"]

    heavy = [m for m in modules if any(m == name or m.startswith(name + ".") for name in NEVER_AT_IMPORT)]
    # no capability: the facades, their use cases and the commands the bodies build load with a request
    capabilities = [m for m in modules if m.startswith("chalicelib.services.")]

    assert heavy == []
    assert capabilities == []
    assert [m for m in modules if m in ROUTE_MODULES] == []


def test_import_app_still_registers_every_route_and_schedule_and_no_authorizer():
    app = imported_by_app()

    assert app["registered"] == app["declared"]
    assert len(app["registered"]) >= ROUTES_WHEN_HANDLERS_BECAME_LAZY
    assert app["schedules"] == ["due_work_worker", "reconcile_payments", "run_due_work", "send_queued_email"]
    assert app["authorizers"] == []


def test_each_use_case_a_facade_names_exists_in_its_capability():
    """A facade imports each use case inside its method, out of the cold start's sight: each is checked
    here (its module in the capability's package, the function defined in it)."""
    named, wrong = [], []
    for facade in FACADES:
        package = ROOT / facade.replace(".", "/")
        methods = [m for c in ast.parse((package / "__init__.py").read_text()).body if isinstance(c, ast.ClassDef)
                   for m in c.body if isinstance(m, ast.FunctionDef)]
        for node in (n for method in methods for n in ast.walk(method)):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                named += [(node.module, alias.name) for alias in node.names]
                module = package / f"{node.module}.py"
                defined = {n.name for n in ast.parse(module.read_text()).body if isinstance(n, ast.FunctionDef)} \
                    if module.exists() else set()
                wrong += [(facade, node.module, alias.name) for alias in node.names if alias.name not in defined]

    assert len(named) > 90 and wrong == []


def test_import_app_leaves_what_it_made_out_of_the_collectors_scans():
    """The first request's full collections would walk every module, route and model again."""
    assert imported_by_app()["frozen"] > 10_000
