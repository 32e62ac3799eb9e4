"""The demo world the bench and the call-budget tests run routes against: the seeded demo
organization, its signed-in customer, and real ids for every path parameter."""
from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.handlers.http import ROUTES, RouteSpec
from chalicelib.tables.base import owner_key

# Reads <= 3 (including the session check), writes <= 4 (a transaction counts as one): issue 9.
READ_BUDGET, WRITE_BUDGET = 3, 4
# Known exceptions, each with its reason (none left: statements read the per-customer ledger).
READ_BUDGET_EXCEPTIONS: dict[str, int] = {}


def read_budget(path: str) -> int:
    return READ_BUDGET_EXCEPTIONS.get(path, READ_BUDGET)


@dataclass
class World:
    org_id: str
    customer_id: str
    admin_key: str
    portal_token: str
    ids: dict          # path parameter -> an id of the demo customer


def build_world(now) -> World:
    from chalicelib.services import portal_auth
    from devstack import seed
    result = seed.seed_demo(now)
    sign_in = result.portal_sign_in
    token = portal_auth.login(sign_in.org_id, sign_in.email, sign_in.password, now).token
    customer_id = result.customer_ids[0]
    return World(result.org_id, customer_id, result.api_key, token, _ids(result.org_id, customer_id))


def _ids(org_id: str, customer_id: str) -> dict:
    """One id per kind of the demo customer's items, found by Query on its partition."""
    from chalicelib.tables import (credit_notes, estimates, invoices, payment_methods, payments,
                                   subscriptions, timesheets)
    owner = owner_key(org_id, customer_id)
    ids = {"customer_id": customer_id}
    for name, model, attribute in (
            ("subscription_id", subscriptions.SubscriptionItem, "subscription_id"),
            ("invoice_id", invoices.InvoiceItem, "invoice_id"),
            ("credit_note_id", credit_notes.CreditNoteItem, "credit_note_id"),
            ("payment_id", payments.PaymentItem, "payment_id"),
            ("payment_method_id", payment_methods.PaymentMethodItem, "payment_method_id"),
            ("estimate_id", estimates.EstimateItem, "estimate_id"),
            ("timesheet_id", timesheets.TimesheetItem, "timesheet_id")):
        first = next(iter(model.query(owner, limit=1)), None)
        if first is not None:
            ids[name] = getattr(first, attribute)
    return ids


def readable_routes(world: World) -> list[tuple[RouteSpec, str]]:
    """Every GET route whose path parameters the demo world can fill, with its concrete path."""
    concrete = []
    for spec in ROUTES:
        if spec.method != "GET":
            continue
        names = re.findall(r"{(\w+)}", spec.path)
        if all(name in world.ids for name in names):
            concrete.append((spec, re.sub(r"{(\w+)}", lambda m: world.ids[m.group(1)], spec.path)))
    return concrete


def token_for(world: World, spec: RouteSpec) -> str | None:
    return {"merchant": world.admin_key, "portal": world.portal_token}.get(spec.auth)


def headers_for(world: World, spec: RouteSpec) -> dict:
    token = token_for(world, spec)
    headers = {"Accept": spec.content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers
