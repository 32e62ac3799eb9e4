"""DynamoDB tables, one module each with its PynamoDB model(s) and its repository (README.md). A
table module is imported when first used; `MODELS` (or `all_models()`) imports them all."""
import importlib

from .base import MODULES, all_models, configure, connection, create_all, owner_key  # noqa: F401


def __getattr__(name: str):
    if name == "MODELS":
        return all_models()
    if name in MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
