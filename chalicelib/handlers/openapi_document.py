"""The API description, built from the routes as declared (handlers/http.py): the same pydantic
models that validate requests, the response model each route names (handlers/responses), the
headers it reads, the statuses its declaration implies (openapi_answers.py) and the example of
each route (openapi_examples.py). Built once per process: nothing in it changes at run time."""
from __future__ import annotations

import re
from functools import lru_cache

from . import openapi_answers as answers
from . import openapi_examples as examples
from ..domain.errors import FIELD_CODES
from .http import RouteSpec
from .lazy_routes import all_routes

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message", "details"],
    "properties": {"code": {"type": "string", "description": "What went wrong, for programs (e.g. `feature_disabled`)"},
                   "message": {"type": "string", "description": "What went wrong, for people"},
                   "details": {"type": "object", "properties": {
                       "reason": {"type": "string", "description": "Which kind of 401: session, credentials, link "
                                                                   "or code"},
                       "rule": {"type": "string", "description": "Which rule a 403 or 422 applies"},
                       "current_status": {"type": "string", "description": "A 409's state the action does not accept"},
                       "retry_after_seconds": {"type": "integer", "description": "A 429's or 503's wait"}}}}}}}
SECURITY = {"merchant": [{"merchantKey": []}, {"consoleSession": []}], "portal": [{"portalSession": []}],
            "console": [{"consoleSession": []}]}
WHO_MAY_CALL = {
    "merchant": "The merchant's back office: `Authorization: Bearer <admin API key>`, or a merchant user's "
                "console session from `POST /console/auth/login` (role `support`: reads, and resending "
                "portal invitations; any other change is 403 `role_forbids`).",
    "console": "A signed-in merchant user: `Authorization: Bearer <console session token>` from "
               "`POST /console/auth/login`.",
    "portal": "A signed-in customer contact: `Authorization: Bearer <session token>` from `POST /portal/auth/login`.",
    "public": "Anyone: no credentials.",
    "stripe": "Stripe only: the body must carry a valid `Stripe-Signature`.",
}
STAGE_SERVER = {
    "url": "https://{api_id}.execute-api.{region}.amazonaws.com/{stage}",
    "description": "A deployment behind API Gateway (the stack's EndpointURL): every path is under the stage",
    "variables": {"api_id": {"default": "abc123def4", "description": "The REST API's id"},
                  "region": {"default": "us-east-1"},
                  "stage": {"default": "api", "description": "The API Gateway stage (Chalice's `api` by default)"}},
}


def _invalid_input() -> dict:
    error = ERROR["properties"]["error"]
    fields = {"type": "object", "required": ["fields", "field_codes"], "properties": {"fields": {
        "type": "object", "description": "What is wrong with each field, by its dotted path (`contact.email`, "
                                         "`query.limit`, `body` for the body as a whole)",
        "additionalProperties": {"type": "string"}}, "field_codes": {
        "type": "object", "description": "The same paths, each with a stable code of what is wrong (`required`, "
                                         "`too_long`, `password_rules`, ...) that a client words in its own language",
        "additionalProperties": {"type": "string", "enum": sorted(FIELD_CODES)}}}}
    return {**ERROR, "properties": {"error": {**error, "properties": {**error["properties"], "details": fields}}}}


@lru_cache(maxsize=1)
def document() -> dict:
    """The whole description but its `servers`, which depend on where it is asked for."""
    schemas: dict = {"Error": ERROR, "InvalidInputError": _invalid_input()}
    paths: dict = {}
    for spec in all_routes():
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Portico", "version": "1.0.0",
                 "description": "Self-service customer portal for subscription billing: the customer portal "
                                "(`/portal/...`), the merchant's back office (`/admin/...`) and Stripe's webhook. "
                                "Money is integer minor units with its ISO currency; errors are "
                                "`{\"error\": {\"code\", \"message\", \"details\"}}`."},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "merchantKey": {"type": "http", "scheme": "bearer", "description": "Merchant API key"},
            "portalSession": {"type": "http", "scheme": "bearer", "description": "Portal session token"},
            "consoleSession": {"type": "http", "scheme": "bearer", "description": "Console session token"}}},
    }


def servers(here: str) -> list[dict]:
    """Where this API answers: `here` (the base this document was asked at, or "." for the folder
    it was served from), then a deployment's API Gateway stage in general."""
    return [{"url": here, "description": "Where this document was served from"}, STAGE_SERVER]


def _operation(spec: RouteSpec, schemas: dict) -> dict:
    example = examples.of(spec)
    operation = {"operationId": spec.name, "summary": spec.summary, "description": _description(spec),
                 "tags": [spec.path.strip("/").split("/")[0] or "portal page"],
                 "parameters": _path_parameters(spec, example) + _query_parameters(spec) + _headers(spec, example),
                 "responses": _responses(spec, schemas, example)}
    if spec.auth in SECURITY:
        operation["security"] = SECURITY[spec.auth]
    if spec.body is not None:
        media = {"schema": _component(spec.body, schemas)}
        if example and example.get("body") is not None:
            media["examples"] = {"demo": {"summary": "The demo world's example", "value": example["body"]}}
        operation["requestBody"] = {"required": True, "content": {"application/json": media}}
    return operation


def _description(spec: RouteSpec) -> str:
    lines = [spec.description or spec.summary, "", f"**Who may call:** {WHO_MAY_CALL[spec.auth]}"]
    lines += [f"**`{header.name}` header:** {header.description}" for header in spec.headers]
    return "\n".join(lines)


def _path_parameters(spec: RouteSpec, example: dict | None) -> list[dict]:
    values = (example or {}).get("path", {})
    parameters = []
    for name in re.findall(r"{(\w+)}", spec.path):
        parameter = {"name": name, "in": "path", "required": True, "schema": {"type": "string"},
                     "description": f"The {name.removesuffix('_id').replace('_', ' ')}'s id" if name.endswith("_id")
                     else f"The {name.replace('_', ' ')}"}
        if name in values:
            parameter["example"] = values[name]
        parameters.append(parameter)
    return parameters


def _query_parameters(spec: RouteSpec) -> list[dict]:
    if spec.query is None:
        return []
    schema = spec.query.model_json_schema()
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": _inline(prop),
             **({"description": prop["description"]} if "description" in prop else {})}
            for name, prop in schema["properties"].items()]


def _headers(spec: RouteSpec, example: dict | None) -> list[dict]:
    sent = (example or {}).get("headers", {})
    return [{"name": header.name, "in": "header", "required": header.required, "description": header.description,
             "schema": {"type": "string", "minLength": 1, "maxLength": header.max_length},
             **({"example": sent.get(header.name) or header.example} if header.name in sent or header.example
                else {})}
            for header in spec.headers]


def response_model(name: str):
    """The model a route declared by name (imported here, never when the handlers are)."""
    from .responses import model
    return model(name)


def _responses(spec: RouteSpec, schemas: dict, example: dict | None) -> dict:
    if spec.status == 204:
        ok = {"description": "Done (no body)"}
    elif spec.content_type == "application/json":
        schema = _component(response_model(spec.response), schemas, "serialization") if spec.response else {}
        ok = {"description": "OK", "content": {"application/json": {"schema": schema}}}
    else:
        ok = {"description": "OK", "content": answers.binary_content(spec.content_type)}
        if headers := answers.download_headers(spec.content_type):
            ok["headers"] = headers
    responses = {str(spec.status): ok, **{status: answers.error_answer(status, spec)
                                          for status in answers.error_statuses(spec)}}
    if example and example.get("answer") is not None and str(example["status"]) in responses:
        media = responses[str(example["status"])].get("content", {}).get("application/json")
        if media is not None:
            media["examples"] = {"demo": {"summary": "The answer to the demo world's example",
                                          "value": example["answer"]}}
    return responses


def _component(model, schemas: dict, mode: str = "validation") -> dict:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
    for name, definition in [*schema.pop("$defs", {}).items(), (model.__name__, schema)]:
        if schemas.setdefault(name, definition) != definition:   # two shapes under one name: rename one
            raise ValueError(f"two different schemas are named {name!r} in the OpenAPI document")
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _inline(prop: dict) -> dict:
    if "anyOf" in prop:   # optional parameters: the non-null alternative
        prop = next((p for p in prop["anyOf"] if p.get("type") != "null"), prop)
    return {k: v for k, v in prop.items() if k not in ("title", "description")}
