"""What each operation can answer, for the API description: its success, and the error statuses
derived from how it is declared (who may call it, its method, what it takes), each with the
envelope of DESIGN.md and the headers that come with it."""
from __future__ import annotations

import re

from .http import RouteSpec

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SIGNED_IN = frozenset({"portal", "merchant"})
CREDENTIAL_FIELDS = frozenset({"password", "current_password", "token", "challenge", "credential"})
# public sign-in routes of a way to sign in the merchant may switch off (a password, emailed links, passkeys)
SWITCHED_OFF_BY_THE_MERCHANT = frozenset({"/portal/auth/login", "/portal/auth/sign-in-links",
                                          "/portal/auth/sign-in-links/redeem", "/portal/auth/passkeys/sign-in/options",
                                          "/portal/auth/passkeys/sign-in"})

MEANINGS = {
    "400": "Invalid input: `details.fields` maps each field to what is wrong",
    "401": "No valid session or key, or wrong credentials",
    "403": "Feature disabled by the merchant, or not allowed to this caller",
    "404": "Not found, or not yours (never which)",
    "409": "State conflict (`details.current_status`), or the same request still running: retry",
    "410": "Gone: a link past its expiry",
    "413": "Body too large (64 KiB at most)",
    "422": "Business rule (`code` says which)",
    "429": "Throttled: this API's limits (with Retry-After), or the API Gateway stage's (without it)",
    "503": "Busy (DynamoDB still throttling after retries): retry after Retry-After",
}
RETRY_AFTER = {"description": "Seconds to wait before retrying", "schema": {"type": "integer", "minimum": 1}}


def _takes_credentials(spec: RouteSpec) -> bool:
    return spec.body is not None and bool(CREDENTIAL_FIELDS & set(spec.body.model_fields))


def _names_items(spec: RouteSpec) -> bool:
    return bool(re.search(r"{\w+}", spec.path)) or (spec.auth in SIGNED_IN and spec.body is not None)


def error_statuses(spec: RouteSpec) -> list[str]:
    """The error statuses `spec` can answer, from its auth, method, path and models."""
    signed_in, webhook = spec.auth in SIGNED_IN, spec.auth == "stripe"
    static = spec.auth == "public" and spec.method == "GET"      # the page, its files, this document
    candidates = {
        "400": spec.body is not None or spec.query is not None or webhook,
        "401": signed_in or _takes_credentials(spec),
        "403": signed_in or spec.path in SWITCHED_OFF_BY_THE_MERCHANT,
        "404": _names_items(spec),
        "409": (signed_in and spec.method in WRITES) or webhook,
        "410": signed_in and spec.body is not None and "token" in spec.body.model_fields,
        "413": spec.body is not None or webhook,
        "422": signed_in,
        "429": True,
        "503": not static,
    }
    return [status for status, answers in candidates.items() if answers]


def error_answer(status: str, spec: RouteSpec) -> dict:
    envelope = "InvalidInputError" if status == "400" and spec.auth != "stripe" else "Error"
    answer = {"description": MEANINGS[status],
              "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{envelope}"}}}}
    if status in ("429", "503"):
        answer["headers"] = {"Retry-After": {**RETRY_AFTER, "required": status == "503"}}
    return answer


def binary_content(content_type: str) -> dict:
    """A body that is not JSON, the OpenAPI 3.1 way: its media type, no `format: binary`."""
    if content_type == "*/*":
        return {"*/*": {"schema": {}}}
    return {content_type: {"schema": {"contentMediaType": content_type}}}


def download_headers(content_type: str) -> dict:
    example = {"application/pdf": "INV-000042.pdf", "text/csv": "statement-USD-2026-11-01-to-2026-11-30.csv"}
    if content_type not in example:
        return {}
    return {"Content-Disposition": {"description": f'An attachment and its name, e.g. `attachment; '
                                                   f'filename="{example[content_type]}"`',
                                    "schema": {"type": "string"}}}
