"""Routes are registered at `import app` from route_table.py, and each route's module is imported by
its first request only (chalicelib/handlers/lazy_routes.py): what a cold start loads is what its
one request needs (that `import app` loads none: tests/unit/test_cold_start.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from chalicelib.handlers.route_table import MODULES, ROUTES
from infra.route_table import declared

ROOT = Path(__file__).resolve().parents[2]


def modules_loaded_by(script: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", script + "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
                          cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "AWS_XRAY_SDK_ENABLED": "false", "AWS_DEFAULT_REGION": "us-east-1"})
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_route_table_is_what_the_route_modules_declare():
    assert declared(MODULES) == ROUTES, "a route was added, removed or renamed: run `python -m infra.route_table`"


def test_every_module_that_declares_routes_is_in_the_table():
    handlers = ROOT / "chalicelib" / "handlers"
    declaring = {".".join(path.relative_to(ROOT).with_suffix("").parts) for path in handlers.rglob("*.py")
                 if "= Routes(" in path.read_text()}
    assert declaring == set(MODULES), "a module declaring routes is missing from route_table.MODULES"


def test_the_app_registers_every_route_of_the_table_by_its_view_name():
    from app import app
    registered = {(method, path, entry.view_name) for path, entries in app.routes.items()
                  for method, entry in entries.items()}
    assert registered == {(method, path, name) for method, path, _, name in ROUTES}


def test_a_request_imports_the_module_of_its_own_route_and_no_other():
    loaded = modules_loaded_by(
        "from app import app\nfrom chalice.test import Client\n"
        "assert Client(app).http.get('/portal/auth/password-rules').status_code == 200")
    assert loaded & set(MODULES) == {"chalicelib.handlers.portal.auth"}


def test_a_route_whose_module_fails_to_load_answers_the_error_envelope(monkeypatch):
    from chalice.test import Client

    from app import app
    from chalicelib.handlers import http
    # Given a route whose module cannot be imported (its view not yet declared)
    monkeypatch.delitem(http.VIEWS, ("GET", "/portal/auth/password-rules"))
    monkeypatch.setitem(sys.modules, "chalicelib.handlers.portal.auth", None)

    # When it is asked for
    answer = Client(app).http.get("/portal/auth/password-rules")

    # Then it is a 500 in the API's own envelope, not the framework's
    assert answer.status_code == 500
    assert json.loads(answer.body)["error"]["code"] == "internal_error"
