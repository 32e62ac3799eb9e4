"""Modules imported on first use, so that `import app` registers every route without loading
every service, table and gateway behind them (the Lambda cold start, issue 9).

    portal_auth = lazy("chalicelib.services.access.portal_auth")
    ...
    portal_auth.me(...)        # the first attribute read imports the module

Every read goes through `importlib.import_module`, which holds the module's import lock while it
runs: threads racing the first request wait for one complete import and never see a half-run module.
It also means a test that swaps the module in `sys.modules` is honoured. Setting an attribute on the
stand-in (a test's monkeypatch) sets it on the stand-in alone, so undoing it leaves the real module
whole: pytest restores an instance's own `__dict__`, which would delete the real attribute if the
write had been passed through.
"""
from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule(ModuleType):
    """Stands in for the module named `name` until (and after) its first use."""

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self.__name__), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self.__name__!r}>"


def lazy(name: str) -> ModuleType:
    """The module `name` (absolute, e.g. "chalicelib.services.payments.portal"), imported on first use."""
    return LazyModule(name)
