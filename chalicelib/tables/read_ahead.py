"""Items a request reads with its session check, kept for the request's own first read of each.

The session check is one BatchGetItem (tables/sessions.py; a merchant's key check likewise,
tables/api_keys.py). The customer's items a GET route's path names (`/portal/invoices/{invoice_id}`:
the invoice) are read in that same call, keyed by the organization and customer the token names; so
is what a route declares (`reads_ahead=`: the dashboard's account summary, a kept PDF, keyed by the
path's well-formed ids or, for a statement, the query's days). The route's own read of such an item
(`Model.get` of every registered model: tables/base.py, or a key of `batch_reads.batch_get`) is then
answered from what was read ahead instead of a second call.

Rules that keep it the same as reading again:
- only within one GET request (`request()`, opened around each by the API's lifecycle,
  bootstrap.serving): never across requests, never in the scheduled jobs, which open none, and
  never for a change (POST, PUT, PATCH, DELETE), which reads what it needs itself, but for one
  that declares its first read ("A change's first read" below);
- once per key, the route's first read: a second read of the same key goes to DynamoDB. The items a
  GET writes (a kept PDF rendered again, the session's last use) are written after their one read,
  never read again in it;
- never weaker than asked: an item read ahead eventually consistent does not answer a consistent read;
- the items are only used if the session is live and names that organization and customer
  (services/access/sessions.py): another customer's id is read under this customer's key, so it is
  simply missing, a 404 as before.

A change's first read: a change may declare what its first read reads (`reads_first=` on the route,
a function of its parsed body (None for a change without one) and the token's organization and
customer: POST /portal/payments, services/payments/portal.first_read; a change of the saved cards,
the version of their mirror on the account summary, services/payments/mirror.first_read), within a scope of its own (`request()`, opened by the route:
bootstrap.reading_first). Its session check reads those items in its call, and the
change's first read takes them, under the same rules and these besides:
- only those items are kept, never the session, organization or customer read with them (a change
  reads those again itself where it needs them: a write of its own must not be followed by an older copy);
- each is read as the change's read asks (the payment's: consistently) and taken by its first read
  of it; the change's writes come after that read, and a read after them (a retry after a conflict)
  goes to DynamoDB;
- keyed under the token's organization and customer, from a body that parsed (the route's model:
  well-formed ids); a body that does not parse reads nothing ahead and is answered 4xx as before;
- the items are the change's first guess only, as a read of its own would be: every write it makes
  is conditional on what it read.
"""
from __future__ import annotations

import importlib
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Callable, Iterator

from pynamodb.models import Model

from .base import owner_key

NOT_HELD = object()
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# (table, hash key, range key) -> (the item as DynamoDB answered it, or None if missing; read consistently)
_held: ContextVar[dict | None] = ContextVar("read_ahead", default=None)


@dataclass(frozen=True)
class Ahead:
    """How to read one of the customer's items ahead: its model (module, class: imported only when
    a route asks for it), its key from the organization, the customer and the path's ids, and
    whether the repository's own read of it asks for a consistent read."""
    module: str
    model_name: str
    key: Callable[[str, str, dict[str, str], dict[str, str]], tuple]   # (org, customer, path ids, query)
    consistent: bool

    @property
    def model(self):
        return getattr(importlib.import_module(f"{__package__}.{self.module}"), self.model_name)


def _kept_statement(org_id: str, customer_id: str, _path_ids: dict[str, str], query: dict[str, str]) -> tuple:
    """The kept statement PDF of the range the query asks (services/documents/pdfs.py: `statement#from#to`)."""
    start, end = query.get("from", ""), query.get("to", "")
    if not all(_DAY.fullmatch(day) for day in (start, end) if day):
        raise KeyError("not a day")
    return owner_key(org_id, customer_id), f"statement#{start}#{end}"


def _named_by(parameter: str, prefix: str = "") -> Callable[[str, str, dict[str, str], dict[str, str]], tuple]:
    """The key of the customer's item whose range key is the path's `parameter` (after `prefix`): the
    path's well-formed id alone, never a value of the query."""
    return lambda org_id, customer_id, path_ids, _query: (owner_key(org_id, customer_id), prefix + path_ids[parameter])


# by the path parameter naming the item: read ahead whenever a GET's path names one
BY_PATH_PARAMETER = {
    "invoice_id": Ahead("invoices", "InvoiceItem", _named_by("invoice_id"), consistent=True),
    "payment_id": Ahead("payments", "PaymentItem", _named_by("payment_id"), consistent=True),
    "subscription_id": Ahead("subscriptions", "SubscriptionItem", _named_by("subscription_id"), consistent=False),
    "estimate_id": Ahead("estimates", "EstimateItem", _named_by("estimate_id"), consistent=True),
    "timesheet_id": Ahead("timesheets", "TimesheetItem", _named_by("timesheet_id"), consistent=False),
}
# what a route declares it reads (`reads_ahead=` on the route)
BY_NAME = {
    "account_summary": Ahead("account_summaries", "AccountSummaryItem",
                             lambda org_id, customer_id, _, __: (owner_key(org_id, customer_id),), consistent=False),
    # the same item, for the saved payment methods it mirrors, read consistently as their list is
    "saved_payment_methods": Ahead("account_summaries", "AccountSummaryItem",
                                   lambda org_id, customer_id, _, __: (owner_key(org_id, customer_id),),
                                   consistent=True),
    # the PDF kept of the document the path names (tables/rendered_documents.py)
    "kept_invoice_pdf": Ahead("rendered_documents", "RenderedDocumentItem", _named_by("invoice_id", "invoice#"),
                              consistent=False),
    "kept_estimate_pdf": Ahead("rendered_documents", "RenderedDocumentItem", _named_by("estimate_id", "estimate#"),
                               consistent=False),
    "kept_receipt_pdf": Ahead("rendered_documents", "RenderedDocumentItem", _named_by("payment_id", "receipt#"),
                              consistent=False),
    "kept_statement_pdf": Ahead("rendered_documents", "RenderedDocumentItem", _kept_statement, consistent=False),
}


# what the merchant's GET routes read by their path (the customer they name) or declare (the organization)
BY_MERCHANT_PATH_PARAMETER = {
    "customer_id": Ahead("customers", "CustomerItem", lambda org_id, _, path_ids, __: (org_id, path_ids["customer_id"]),
                         consistent=False),
}
BY_MERCHANT_NAME = {
    "organization": Ahead("organizations", "OrganizationItem", lambda org_id, *_: (org_id,), consistent=False),
}


def wanted_by_merchant(org_id: str, ahead) -> list[tuple]:
    """As `wanted`, for a merchant's GET request of organization `org_id` (its API key names it)."""
    return [] if ahead is None else _keys(org_id, "", ahead, BY_MERCHANT_PATH_PARAMETER, BY_MERCHANT_NAME)


def wanted(org_id: str, customer_id: str, ahead) -> list[tuple]:
    """(model, key, consistent) of each item to read ahead for a request of `org_id`'s `customer_id`.
    `ahead` (handlers/http.py ReadAhead): the well-formed ids the path names, the names the route
    declares, and the query a declared key may be made of; a declared item whose key cannot be made
    (an id or a day not well formed: the route answers 4xx) is not read. A change's: what its first
    read reads."""
    if ahead.first_read is not None:
        return ahead.first_read(org_id, customer_id)
    return _keys(org_id, customer_id, ahead, BY_PATH_PARAMETER, BY_NAME)


def _keys(org_id: str, customer_id: str, ahead, by_path: dict[str, Ahead], by_name: dict[str, Ahead]) -> list[tuple]:
    found = [by_path[name] for name in ahead.path_ids if name in by_path]
    found += [by_name[name] for name in ahead.names if name in by_name]    # another audience's names: none
    keys = []
    for item in found:
        try:
            keys.append((item.model, item.key(org_id, customer_id, ahead.path_ids, ahead.query), item.consistent))
        except KeyError:
            continue
    return keys


def declared_names() -> frozenset[str]:
    """Every name a route may declare in `reads_ahead` (tests/unit/test_read_ahead.py holds the routes to it)."""
    return frozenset(BY_NAME) | frozenset(BY_MERCHANT_NAME)


@contextmanager
def request() -> Iterator[None]:
    """One request's scope: what is read ahead in it is forgotten when it ends."""
    token = _held.set({})
    try:
        yield
    finally:
        _held.reset(token)


def keep(table_name: str, key: tuple, raw: dict | None, *, consistent: bool) -> None:
    """Keep an item read ahead (None: it is missing) for the request's first read of `key`."""
    held = _held.get()
    if held is not None:
        held[(table_name, *key)] = (raw, consistent)


def take(table_name: str, key: tuple, *, consistent: bool):
    """The item read ahead for `key` (None: read ahead and missing), given up once taken; NOT_HELD if
    it was not read ahead in this request, or was read less consistently than now asked."""
    held = _held.get()
    if not held:
        return NOT_HELD
    found = held.pop((table_name, *key), None)
    if found is None or (consistent and not found[1]):
        return NOT_HELD
    return found[0]


def get(model, hash_key, range_key=None, consistent_read: bool = False, attributes_to_get=None):
    """`Model.get`, answered from what was read ahead where it may be (every registered model's
    `get`: tables/base.py). A read ahead holds the whole item, so a projection asked is answered by
    more than it asked for, never less."""
    raw = take(model.Meta.table_name, (hash_key,) if range_key is None else (hash_key, range_key),
               consistent=consistent_read)
    if raw is NOT_HELD:
        return Model.get.__func__(model, hash_key, range_key, consistent_read=consistent_read,
                                  attributes_to_get=attributes_to_get)
    if raw is None:
        raise model.DoesNotExist()
    return model.from_raw_data(raw)
