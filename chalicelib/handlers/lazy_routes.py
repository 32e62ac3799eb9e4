"""Every API route registered at `import app` without importing the module that answers it: a route's
module is imported by its first request (route_table.py says which module answers what). A cold start
therefore imports the modules of the one route it serves, not all 33 with their request
models and use cases (docs/architecture.md, "The composition root")."""
from __future__ import annotations

import importlib
from typing import Callable

from . import http
from .errors import unexpected_error_response
from .route_table import MODULES, ROUTES


def register(app) -> None:
    """Registers every route of route_table.py on `app`; their views answer its requests."""
    http.serve(app)
    for method, path, module, name in ROUTES:
        app.route(path, methods=[method], name=name)(_answered_by(module, method, path, name))


def _answered_by(module: str, method: str, path: str, name: str) -> Callable:
    def view(**params):
        declared = http.VIEWS.get((method, path))
        if declared is None:
            try:
                importlib.import_module(module)
                declared = http.VIEWS[(method, path)]
            except Exception as error:  # noqa: BLE001 - a module that fails to load answers the envelope
                return unexpected_error_response(error)
        return declared(**params)
    view.__name__ = view.__qualname__ = name
    return view


def all_routes() -> list[http.RouteSpec]:
    """Every route as its module declares it (the modules imported), in route_table.py's order."""
    for module in MODULES:
        importlib.import_module(module)
    order = {(method, path): at for at, (method, path, _, _) in enumerate(ROUTES)}
    return sorted(http.ROUTES, key=lambda spec: order.get((spec.method, spec.path), len(order)))
