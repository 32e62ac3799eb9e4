"""The models of what routes answer: routes declare theirs by name (`response="SubscriptionDetail"`)
and `model(name)` finds it when the OpenAPI document is built. A route whose use case returns a typed
result builds its answer with the model too (`accounts.Dashboard.of`), importing it inside the route:
no handler module imports these (nor the domain enums they use) on a cold start."""
from __future__ import annotations

from pydantic import BaseModel


def model(name: str) -> type[BaseModel]:
    from . import accounts, catalog, console, documents, engagement, me, shared, subscriptions
    for module in (accounts, catalog, console, documents, engagement, me, shared, subscriptions):
        found = getattr(module, name, None)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    raise LookupError(f"no response model named {name!r} in chalicelib/handlers/responses")
