"""`GET /openapi.json`: the API description (built once per process by openapi_document.py from
the routes as declared, so it cannot drift from what the code accepts; tests hold the answers to
it). Each answer is the cached text of that document with its `servers`: the base URL this
request came through on API Gateway (stage or custom domain base path included), or "." (the
folder the document was served from) where that is not known, e.g. behind another proxy."""
from __future__ import annotations

import json
from functools import lru_cache

from chalice import Response

from .http import Routes

api = Routes("public")
ROUTE = "/openapi.json"


@api.route(ROUTE, response="ApiDescription")
def openapi():
    """This API's OpenAPI 3.1 description."""
    return Response(body=described_at(base_url(api.request.context or {})), status_code=200,
                    headers={"Content-Type": "application/json", "Cache-Control": "public, max-age=300"})


def base_url(context: dict) -> str:
    """Where the API answers, as the caller reached it: API Gateway says its domain and the path
    with the stage (or a custom domain's base path) in front of this route's."""
    domain, path = context.get("domainName"), context.get("path") or ""
    if domain and path.endswith(ROUTE) and "/" not in domain:
        return f"https://{domain}{path[:-len(ROUTE)]}"
    return "."


@lru_cache(maxsize=8)
def described_at(here: str) -> str:
    from . import openapi_document
    return json.dumps({**openapi_document.document(), "servers": openapi_document.servers(here)})


def document() -> dict:
    from . import openapi_document
    return {**openapi_document.document(), "servers": openapi_document.servers(".")}


def response_model(name: str):
    from . import openapi_document
    return openapi_document.response_model(name)
