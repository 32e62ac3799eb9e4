"""Writes chalicelib/handlers/route_table.py: every route the modules it lists declare, in their
order, with the module answering it and the view's name (chalicelib/handlers/lazy_routes.py
registers them without importing those modules).

    python -m infra.route_table

after adding, removing or renaming a route; a new route module goes into MODULES there first.
tests/functional/test_lazy_routes.py fails while the file differs from what the modules declare."""
from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "chalicelib" / "handlers" / "route_table.py"

HEADER = '''"""Written by `python -m infra.route_table` (infra/route_table.py) from what the modules in MODULES
declare: every API route (method, path), the module answering it and its view's name, for
lazy_routes.py. Add a new route module to MODULES by hand, then run the command."""

'''


def declared(modules: tuple[str, ...]) -> tuple[tuple[str, str, str, str], ...]:
    """(method, path, module, view name) of every route the modules declare, module by module."""
    from chalicelib.handlers import http
    rows = []
    for module in modules:
        importlib.import_module(module)
        rows += [(method, path, module, view.__name__) for (method, path), view in http.VIEWS.items()
                 if view.__module__ == module]
    return tuple(rows)


def text(modules: tuple[str, ...], routes: tuple[tuple[str, str, str, str], ...]) -> str:
    quoted = json.dumps
    return "".join([HEADER, "MODULES = (\n", *(f"    {quoted(module)},\n" for module in modules), ")\n\n",
                    "ROUTES = (\n", *(f"    ({', '.join(map(quoted, row))}),\n" for row in routes), ")\n"])


def main() -> None:
    from chalicelib.handlers.route_table import MODULES
    TABLE.write_text(text(MODULES, declared(MODULES)))
    print(f"wrote {TABLE.relative_to(Path.cwd()) if TABLE.is_relative_to(Path.cwd()) else TABLE}", file=sys.stderr)


if __name__ == "__main__":
    main()
