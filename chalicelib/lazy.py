"""Modules imported on first use, so that `import app` registers every route without loading
every service, table and gateway behind them (the Lambda cold start, issue 9).

    portal_auth = lazy("chalicelib.services.portal_auth")
    ...
    portal_auth.me(...)        # the first attribute read imports the module

Every read goes through `importlib.import_module`, which holds the module's import lock while it
runs: threads racing the first request wait for one complete import and never see a half-run module.
It also means a test that swaps the module in `sys.modules` is honoured.
"""
from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule(ModuleType):
    """Stands in for the module named `name` until (and after) its first use."""

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self.__name__), attribute)

    def __setattr__(self, attribute: str, value) -> None:   # e.g. a test's monkeypatch
        setattr(importlib.import_module(self.__name__), attribute, value)

    def __delattr__(self, attribute: str) -> None:
        delattr(importlib.import_module(self.__name__), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self.__name__!r}>"


def lazy(name: str) -> ModuleType:
    """The module `name` (absolute, e.g. "chalicelib.services.payments"), imported on first use."""
    return LazyModule(name)
