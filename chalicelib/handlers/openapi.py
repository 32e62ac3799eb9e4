"""`GET /openapi.json`: the API description, generated from the routes as declared (the same
pydantic models that validate requests, and the response models each route names from
handlers/responses), so it cannot drift from what the code accepts; tests hold the answers to it."""
from __future__ import annotations

import re
from functools import lru_cache

from chalice import Blueprint

from .http import ROUTES, Routes, RouteSpec

bp = Blueprint(__name__)
api = Routes(bp, "public")


def _envelope(details: dict) -> dict:
    return {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message", "details"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": details}}}}


ERROR = _envelope({"type": "object"})
INVALID_INPUT = _envelope({"type": "object", "required": ["fields"], "properties": {"fields": {
    "type": "object", "description": "What is wrong with each field, by its dotted path (`contact.email`, "
                                     "`query.limit`, `body` for the body as a whole)",
    "additionalProperties": {"type": "string"}}}})
ERRORS = {"400": "Invalid input: `details.fields` maps each field to what is wrong",
          "401": "No valid session or key", "403": "Feature disabled or not allowed",
          "404": "Not found, or not yours", "409": "State conflict (e.g. `current_status`)",
          "413": "Body too large", "422": "Business rule", "429": "Throttled (see Retry-After)",
          "503": "Busy (DynamoDB throttling): retry after Retry-After"}
SECURITY = {"merchant": [{"merchantKey": []}], "portal": [{"portalSession": []}]}


@api.route("/openapi.json", response="ApiDescription")
def openapi():
    """This API's OpenAPI 3.1 description."""
    return document()


@lru_cache(maxsize=1)
def document() -> dict:
    schemas: dict = {"Error": ERROR, "InvalidInputError": INVALID_INPUT}
    paths: dict = {}
    for spec in ROUTES:
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Portico", "version": "1.0.0",
                 "description": "Self-service customer portal for subscription billing."},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "merchantKey": {"type": "http", "scheme": "bearer", "description": "Merchant API key"},
            "portalSession": {"type": "http", "scheme": "bearer", "description": "Portal session token"}}},
    }


def _operation(spec: RouteSpec, schemas: dict) -> dict:
    operation = {"operationId": spec.name, "summary": spec.summary or spec.name.replace("_", " "),
                 "tags": [spec.path.strip("/").split("/")[0]],
                 "parameters": [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                                for name in re.findall(r"{(\w+)}", spec.path)],
                 "responses": _responses(spec, schemas)}
    if spec.auth in SECURITY:
        operation["security"] = SECURITY[spec.auth]
    if spec.query is not None:
        schema = spec.query.model_json_schema()
        required = set(schema.get("required", []))
        operation["parameters"] += [{"name": name, "in": "query", "required": name in required,
                                     "schema": _inline(prop)} for name, prop in schema["properties"].items()]
    if spec.body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": _component(spec.body, schemas)}}}
    return operation


def response_model(name: str):
    """The model a route declared by name (imported here, never when the handlers are)."""
    from .responses import model
    return model(name)


def _responses(spec: RouteSpec, schemas: dict) -> dict:
    if spec.status == 204:
        ok = {"description": "Done"}
    elif spec.content_type == "application/json":
        schema = _component(response_model(spec.response), schemas, "serialization") if spec.response else {}
        ok = {"description": "OK", "content": {"application/json": {"schema": schema}}}
    else:
        ok = {"description": "OK", "content": {spec.content_type: {"schema": {"type": "string",
                                                                           "format": "binary"}}}}
    answers = {str(spec.status): ok}
    for status, description in ERRORS.items():
        verified_raw_body = spec.auth == "stripe"   # 400: a missing or bad signature, not field errors
        if status == "400" and spec.body is None and spec.query is None and not verified_raw_body:
            continue
        if status in ("401", "403") and spec.auth == "public":
            continue
        envelope = "InvalidInputError" if status == "400" and not verified_raw_body else "Error"
        answers[status] = {"description": description,
                           "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{envelope}"}}}}
    return answers


def _component(model, schemas: dict, mode: str = "validation") -> dict:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
    for name, definition in [*schema.pop("$defs", {}).items(), (model.__name__, schema)]:
        if schemas.setdefault(name, definition) != definition:   # two shapes under one name: rename one
            raise ValueError(f"two different schemas are named {name!r} in the OpenAPI document")
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _inline(prop: dict) -> dict:
    if "anyOf" in prop:   # optional parameters: the non-null alternative
        prop = next((p for p in prop["anyOf"] if p.get("type") != "null"), prop)
    return {k: v for k, v in prop.items() if k not in ("title",)}
