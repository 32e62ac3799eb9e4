"""How routes are declared: `Routes("portal", credential).route(...)` makes a route's view: request
parsing (declared pydantic models for body and query), the caller's identity, JSON answers, and the
one error mapping. Every declaration is recorded (ROUTES, VIEWS) for the app, which registers routes
without importing their modules (lazy_routes.py), the OpenAPI document and the route tests."""
from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable

from chalice import Response
from pydantic import BaseModel, ConfigDict, ValidationError

from .. import json_input, tracing
from ..domain import currencies
from ..domain.errors import FIELD_CODES, DomainError, InvalidInput, NotFound, TooLarge
from .errors import domain_error_response, unexpected_error_response

if TYPE_CHECKING:
    from ..domain.customers import Customer
    from ..domain.organization import Organization
    from ..services.access.actors import ApiKey, ConsoleUser

MAX_BODY_BYTES = 64 * 1024


class Body(BaseModel):
    """Base of request bodies: unknown fields are refused, strings are trimmed."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


@dataclass(frozen=True)
class Header:
    """A request header a route reads (`Routes.header`), declared so the API description names it."""
    name: str
    description: str
    required: bool = True
    max_length: int = 255
    example: str = ""        # when the route's recorded example does not send it


IDEMPOTENCY_KEY = Header("Idempotency-Key", "A unique key (1 to 255 printable characters) per attempt: a retry "
                                            "with the same key and body gets the first answer, never a second "
                                            "charge; the same key with another body is refused (422).")
STRIPE_SIGNATURE = Header("Stripe-Signature", "Stripe's signature of the raw body (verified with the webhook "
                                              "signing secret).", max_length=8192,
                          example="t=1764072000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd")


@dataclass(frozen=True)
class RouteSpec:
    path: str
    method: str
    auth: str                 # merchant | portal | public | stripe
    name: str
    summary: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    status: int
    content_type: str
    # the name of the answer's model in handlers/responses, resolved only when the OpenAPI
    # document is built, so declaring it costs a handler module's import nothing
    response: str | None = None
    headers: tuple[Header, ...] = ()
    description: str = ""     # the handler's docstring, whole
    reads_ahead: tuple[str, ...] = ()   # what the credential check reads for it (tables/read_ahead.py)
    reads_first: Callable | None = None   # a change's first read, read by the credential check (the same)


ROUTES: list[RouteSpec] = []     # as the modules imported so far declared them (lazy_routes.all_routes: every one)
VIEWS: dict[tuple[str, str], Callable] = {}    # (method, path) -> the view answering it
_serving: dict[str, Any] = {}    # "app": the Chalice app whose current request the views answer (serve)


def serve(app) -> None:
    """Views answer `app`'s requests (lazy_routes.register)."""
    _serving["app"] = app


def current_request():
    return _serving["app"].current_request


@dataclass(frozen=True)
class MerchantCaller:
    """The merchant: an API key (automation, every right) or a user signed in to the console."""
    org_id: str
    actor: ApiKey | ConsoleUser    # which of the two (a console user's as the session check read it)
    session_id: str = ""           # the console session's token hash
    login: str = ""

    @property
    def role(self) -> str:
        """admin | support (a key is admin)."""
        return self.actor.role

    @property
    def user_id(self) -> str:
        """Empty for an API key."""
        return self.actor.user_id

    @property
    def email(self) -> str:
        return self.actor.email


@dataclass(frozen=True)
class CustomerCaller:
    """A contact signed in to the portal, with their customer and its organization as the session
    check read them (services/access/sessions.py): what routes show or decide from is not read again."""
    org_id: str
    customer_id: str
    contact_id: str
    role: str           # owner | billing | viewer, as the customer's contacts say now (credentials.py `portal_may`)
    session_id: str
    org: Organization
    customer: Customer
    login: str = ""   # the account signed in (its session names it): a password change reads it by key


@dataclass(frozen=True)
class ReadAhead:
    """What a GET request's route reads that the session check may read in its own call
    (tables/read_ahead.py): the ids its path names, what the route declares, and the query a declared
    item's key may be made of. For a change that declares its first read (`reads_first`), that read
    instead: (org_id, customer_id) -> (model, key, consistent) of each item, keyed by the token's ids."""
    path_ids: dict[str, str]
    names: tuple[str, ...] = ()
    query: dict[str, str] = field(default_factory=dict)
    first_read: Callable[[str, str], list[tuple]] | None = None


NOTHING_AHEAD = ReadAhead({})


@dataclass
class Routes:
    auth_name: str
    credential: Any = None     # handlers/credentials.py: checked inside the function, before anything else

    def route(self, path: str, method: str = "GET", *, body: type[BaseModel] | None = None,
              query: type[BaseModel] | None = None, status: int = 200,
              content_type: str = "application/json", response: str | None = None,
              headers: tuple[Header, ...] = (), reads_ahead: tuple[str, ...] = (),
              reads_first: Callable[[BaseModel, str, str], list[tuple]] | None = None) -> Callable:
        """`reads_ahead`: what a GET route reads by the customer's key alone, for the session check to
        read in its own call (tables/read_ahead.py BY_NAME); the ids its path names are read so anyway.
        `reads_first`: a change's (body, org_id, customer_id) -> what its first read reads, for the
        session check to read the same way (tables/read_ahead.py "A change's first read"); the body
        is None for a change that has none."""
        def decorate(fn: Callable) -> Callable:
            doc = inspect.cleandoc(fn.__doc__ or "")
            ROUTES.append(RouteSpec(path, method, self.auth_name, fn.__name__, doc.split("\n")[0], body, query,
                                    status, content_type, response, headers, doc, reads_ahead, reads_first))

            @functools.wraps(fn)
            def view(**params):
                if reads_first is None:
                    return handle(params)
                from .. import bootstrap
                with bootstrap.reading_first():
                    return handle(params)

            def handle(params: dict):
                request = current_request()
                try:
                    parsed = None
                    if self.credential is not None:
                        ahead = _read_ahead(method, params, reads_ahead, request.query_params)
                        if reads_first is not None:
                            parsed = _parsed_or_none(request, body) if body is not None else None
                            if parsed is not None or body is None:   # one without a body: by the token's ids
                                ahead = ReadAhead({}, first_read=functools.partial(reads_first, parsed))
                        request.caller = self.credential.caller(request.headers.get("authorization"), ahead)
                        self.credential.admit(request.caller, method, path)
                    _well_formed_ids(params)
                    if body is not None:
                        params["body"] = parsed if parsed is not None else parse_body(request, body)
                    if query is not None:
                        params["query"] = parse_model(query, dict(request.query_params or {}), "query")
                    with tracing.subsegment(f"route:{fn.__name__}", route=path, method=method,
                                            org_id=_org_of(request)):
                        if self.credential is None:
                            return respond(fn(**params), status)
                        with self.credential.recording(request.caller, method, path, params) as record:
                            return record(respond(fn(**params), status))
                except DomainError as error:
                    return domain_error_response(error)
                except Exception as error:  # noqa: BLE001 - the envelope, never a bare 500
                    return unexpected_error_response(error)

            VIEWS[(method, path)] = view
            return view
        return decorate

    def merchant(self) -> MerchantCaller:
        caller = caller_of(current_request())
        return MerchantCaller(org_id=caller.org_id, actor=caller.actor)

    def merchant_user(self) -> MerchantCaller:
        """The merchant user a console session names (on a route whose credential is one)."""
        return caller_of(current_request())

    def customer(self) -> CustomerCaller:
        return caller_of(current_request())

    @property
    def request(self):
        return current_request()

    def header(self, name: str) -> str | None:
        headers = current_request().headers or {}
        return headers.get(name) or headers.get(name.lower())

    def source_ip(self) -> str:
        """The caller's address as API Gateway saw the connection (never X-Forwarded-For, which the
        caller writes); chalice local and chalice.test say 127.0.0.1."""
        identity = (current_request().context or {}).get("identity") or {}
        return identity.get("sourceIp") or "unknown"


_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")    # the whole id (fullmatch: not even a trailing newline)


def _read_ahead(method: str, path_params: dict, names: tuple[str, ...], query: dict | None) -> ReadAhead:
    """What the credential check may read for the route: a GET's well-formed path ids, and what it declares."""
    if method != "GET":
        return NOTHING_AHEAD
    return ReadAhead({name: value for name, value in path_params.items() if _ID.fullmatch(value or "")}, names,
                     dict(query or {}) if names else {})


def _parsed_or_none(request, model: type[BaseModel]) -> BaseModel | None:
    """The body, parsed before the credential check to read what the change reads first with it; None
    if it does not parse (its 4xx is answered after the credential check, as on every route)."""
    try:
        return parse_body(request, model)
    except DomainError:
        return None


def _well_formed_ids(path_params: dict) -> None:
    """An id no item could have is simply not found (and never reaches DynamoDB as a key)."""
    for name, value in path_params.items():
        if name.endswith("_id") and not _ID.fullmatch(value or ""):
            raise NotFound(name.removesuffix("_id").replace("_", " "))


def caller_of(request) -> CustomerCaller | MerchantCaller | None:
    """The caller the route's credential named (a customer's session, or a merchant's key); None
    before the check or on a public route."""
    return getattr(request, "caller", None)


def _org_of(request) -> str | None:
    return getattr(caller_of(request), "org_id", None)


def parse_body(request, model: type[BaseModel]) -> BaseModel:
    raw = request.raw_body or b""
    if len(raw) > MAX_BODY_BYTES:
        raise TooLarge(MAX_BODY_BYTES)
    if not raw.strip():
        data: Any = {}
    else:
        try:
            data = json_input.loads(raw)
        except json_input.UnacceptableJson as error:
            raise InvalidInput({"body": str(error)}, codes={"body": "not_json"}) from None
    if not isinstance(data, dict):
        raise InvalidInput({"body": "Must be a JSON object."}, codes={"body": "not_an_object"})
    return parse_model(model, data, None)


def parse_model(model: type[BaseModel], data: dict, prefix: str | None) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        fields, codes = field_errors(error, prefix)
        raise InvalidInput(fields, codes=codes) from None


# pydantic's error types -> the field codes a browser words (domain.errors.FIELD_CODES); a
# validator of schemas.py raises its own code as the type (PydanticCustomError)
PYDANTIC_CODES = {
    "missing": "required", "extra_forbidden": "unknown_field", "string_pattern_mismatch": "format",
    "string_too_long": "too_long", "string_too_short": "too_short", "too_long": "too_many", "too_short": "too_few",
    "less_than": "too_large", "less_than_equal": "too_large", "greater_than": "too_small",
    "greater_than_equal": "too_small", "int_parsing": "not_a_whole_number", "int_type": "not_a_whole_number",
    "int_from_float": "not_a_whole_number", "float_parsing": "not_a_number", "float_type": "not_a_number",
    "decimal_parsing": "not_a_number", "date_parsing": "not_a_date", "date_from_datetime_parsing": "not_a_date",
    "date_type": "not_a_date", "datetime_parsing": "not_a_date", "datetime_from_date_parsing": "not_a_date",
    "datetime_type": "not_a_date", "timezone_aware": "not_a_date", "date_from_datetime_inexact": "not_a_date",
    "literal_error": "not_a_choice", "enum": "not_a_choice", "bool_parsing": "not_true_false",
    "bool_type": "not_true_false", "string_type": "not_text", "list_type": "not_a_list",
    "model_type": "not_an_object", "dict_type": "not_an_object", "model_attributes_type": "not_an_object",
}


def field_errors(error: ValidationError, prefix: str | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """What is wrong with each field, in English and as a field code."""
    fields, codes = {}, {}
    for problem in error.errors():
        path = ".".join(str(part) for part in problem["loc"]) or "body"
        if prefix:
            path = f"{prefix}.{path}"
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "Unknown field."
        elif problem["type"] == "string_pattern_mismatch":   # never show a regular expression
            message = "Not in the expected format."
        fields.setdefault(path, message.removeprefix("Value error, "))
        codes.setdefault(path, field_code(problem["type"], path))
    return fields, codes


def field_code(pydantic_type: str, path: str) -> str:
    if pydantic_type in FIELD_CODES:
        return pydantic_type
    if pydantic_type == "string_pattern_mismatch" and path.rsplit(".", 1)[-1].endswith("email"):
        return "not_an_email"
    return PYDANTIC_CODES.get(pydantic_type, "invalid")


def respond(result: Any, status: int) -> Response:
    if isinstance(result, Response):
        return result
    if status == 204:
        return Response(body="", status_code=204)
    return Response(body=json.dumps(answered(result)), status_code=status,
                    headers={"Content-Type": "application/json", "Cache-Control": "no-store"})


def answered(value: Any) -> Any:
    """`plain(value)` in one walk, where every object that names a `currency` also says how its
    amounts are shown: `currency_exponent`, the currency's decimals from the one table (null with no
    currency). The browser formats with it, never with its own guess (Intl shows IQD without decimals)."""
    kind = type(value)
    if kind in _AS_THEY_ARE:
        return value
    return (_ANSWERING.get(kind) or _answering(kind))(value)


def _answered_object(value: dict) -> dict:
    shaped = {}
    for key, item in value.items():
        if type(key) is not str:
            key = str(key)
        kind = type(item)
        if key in TEXT_MAPS and kind is dict:
            item = {str(k): v for k, v in item.items()}
        elif kind not in _AS_THEY_ARE:
            item = (_ANSWERING.get(kind) or _answering(kind))(item)
        shaped[key] = item
        if key == "currency" and (item is None or kind is str or isinstance(item, str)):
            shaped["currency_exponent"] = currencies.exponent(item) if currencies.is_supported(item or "") else None
    return shaped


def _answered_list(value) -> list:
    return [v if type(v) in _AS_THEY_ARE else answered(v) for v in value]


def _answered_dataclass(value) -> dict:
    return _answered_object({f.name: getattr(value, f.name) for f in dataclasses.fields(value)
                             if f.name not in NOT_ANSWERED})


def _answered_class_or_value(value) -> Any:
    # a class itself (a dataclass's class is not a dataclass value): as `plain` answers it
    return plain(value)


def _answering(kind: type) -> Callable[[Any], Any]:
    """How `answered` answers a value of exactly type `kind`, worked out once per type: which of its
    cases applies depends on the type alone (a class, whose type is a metaclass, is answered by
    `plain`)."""
    if kind is dict:
        how = _answered_object
    elif kind is list:
        how = _answered_list
    elif kind is datetime or kind is date:
        how = kind.isoformat
    elif issubclass(kind, type):
        how = _answered_class_or_value
    elif dataclasses.is_dataclass(kind):
        how = _answered_dataclass
    elif issubclass(kind, BaseModel):
        how = lambda model: _answered_object(model.model_dump(mode="json"))    # noqa: E731
    elif issubclass(kind, dict):
        how = _answered_object
    elif issubclass(kind, (list, tuple)):
        how = lambda values: [answered(v) for v in values]     # noqa: E731
    else:
        how = plain
    _ANSWERING[kind] = how
    return how


_ANSWERING: dict[type, Callable[[Any], Any]] = {}


# a stored item's version is the repositories' optimistic-concurrency token: no route takes one
# back, so no answer shows it; a customer's billing history is what its documents print
NOT_ANSWERED = frozenset({"version", "billing_history"})


# maps of text answered as they are, not objects of ours: an audit entry's `changes` (field path ->
# the value given) names a "currency" without being a priced object
TEXT_MAPS = frozenset({"changes"})

_AS_THEY_ARE = frozenset({str, int, float, bool, type(None)})   # exactly these: a str Enum is not one


def plain(value: Any) -> Any:
    """JSON-ready values: dataclasses (but their NOT_ANSWERED fields), enums, datetimes (ISO 8601
    UTC), tuples."""
    if type(value) in _AS_THEY_ARE:
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in NOT_ANSWERED}
    return value
