"""Builders for tests of documents, statements and approvals: a signed-in customer with a
merchant, billing documents made through the admin API, strangers whose documents must stay
out of reach, and PDF text read back."""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from pypdf import PdfReader

from tests.support.api import Api, new_organization
from tests.support.portal import PASSWORD, Clock, PortalOrganization, SignedInCustomer, contact_with, new_customer, \
    portal_organization

PDF_HEADERS = {"Accept": "application/pdf"}
TWO_CONTACTS = [{"first_name": "Zoë", "last_name": "Keller", "email": "zoe@globex.example", "is_primary": True},
                {"first_name": "Hank", "last_name": "Scorpio", "email": "hank@globex.example"}]


@dataclass
class Scene:
    api: Api
    clock: Clock
    acme: PortalOrganization
    zoe: SignedInCustomer          # the primary contact of Globex, signed in

    @property
    def admin(self) -> Api:
        return self.acme.admin

    @property
    def customer_id(self) -> str:
        return self.zoe.customer_id

    def contact_id(self, email: str) -> str:
        return next(c["contact_id"] for c in self.zoe.customer["contacts"] if c["email"] == email)


def a_scene(api: Api, *, contacts: list[dict] | None = None, **org_extra) -> Scene:
    """Acme (whose emails go out) and Globex's primary contact Zoë, signed in."""
    clock = Clock()
    acme = portal_organization(api, **org_extra)
    customer = new_customer(acme.admin, display_name="Globex", email="zoe@globex.example",
                            contacts=contacts or TWO_CONTACTS)
    return Scene(api, clock, acme, signed_in(api, acme.org.org_id, customer, "zoe@globex.example"))


@lru_cache(maxsize=1)
def password_hash() -> str:
    """PASSWORD hashed once per test run: signing in is tested elsewhere, and argon2 is slow on purpose."""
    from chalicelib import bootstrap
    return bootstrap.adapters().password_hasher.hash(PASSWORD)


def signed_in(api: Api, org_id: str, customer: dict, email: str) -> SignedInCustomer:
    """The contact with `email` holds an active portal account (password PASSWORD) and a session,
    as if invited and signed in."""
    from chalicelib import bootstrap
    from chalicelib.bootstrap import adapters
    from chalicelib.services.access import sessions
    from chalicelib.tables.portal_users import PortalUser, login_key
    contact = contact_with(customer, email)
    role = "owner" if contact["is_primary"] else (contact.get("portal_role") or "billing")
    user = PortalUser(
        login=login_key(org_id, email), org_id=org_id, customer_id=customer["customer_id"],
        contact_id=contact["contact_id"], email=email, role=role, status="active", created_at=bootstrap.now(),
        password_hash=password_hash(), password_changed_at=bootstrap.now())
    from chalicelib.services.access.portal_accounts import with_account
    uow = adapters().uow
    stored = uow.customers.get(org_id, customer["customer_id"])
    with uow.transaction("portal user") as tx:   # as an accepted invitation writes it, with the customer
        uow.portal_users.add_in(tx, user)
        uow.customers.put_in(tx, org_id, with_account(adapters(), org_id, stored, contact["contact_id"], "active"))
    token = sessions.start(adapters(), user, role, bootstrap.now()).token
    return SignedInCustomer(customer, contact, email, PASSWORD, token, api.as_(token))


def turn(scene: Scene, preference: str, enabled: bool) -> None:
    answer = scene.admin.put("/admin/preferences", {"preferences": {preference: enabled}})
    assert answer.status == 200, answer.json


@dataclass
class Stranger:
    """A customer the signed-in one must never reach: its documents, made by its own merchant."""
    admin: Api
    customer_id: str


def same_org_stranger(scene: Scene) -> Stranger:
    other = new_customer(scene.admin, display_name="Initech", email="bill@initech.example")
    return Stranger(scene.admin, other["customer_id"])


def other_org_stranger(scene: Scene) -> Stranger:
    _org, key = new_organization("Umbrella Supplies")
    admin = scene.api.as_(key)
    other = new_customer(admin, display_name="Hooli", email="gavin@hooli.example")
    return Stranger(admin, other["customer_id"])


def strangers(scene: Scene) -> list[Stranger]:
    return [same_org_stranger(scene), other_org_stranger(scene)]


# --- documents, through the admin API -----------------------------------------------------------

def an_invoice(admin: Api, customer_id: str, *lines: tuple[str, int, int], due_days: int = 15,
               tax_rate_bp: int = 0) -> dict:
    """An invoice of `lines` (description, unit price in minor units, quantity)."""
    body = [{"description": d, "unit_price_minor": price, "quantity": qty}
            for d, price, qty in (lines or (("Pro plan", 10_000, 1),))]
    answer = admin.post("/admin/invoices", {"customer_id": customer_id, "lines": body, "due_days": due_days,
                                            "tax_rate_bp": tax_rate_bp})
    assert answer.status == 201, answer.json
    return answer.json


def a_payment(admin: Api, customer_id: str, invoice_id: str, amount_minor: int) -> dict:
    answer = admin.post("/admin/payments", {"customer_id": customer_id, "invoice_id": invoice_id,
                                            "amount_minor": amount_minor})
    assert answer.status == 201, answer.json
    return answer.json


def a_credit_note(admin: Api, customer_id: str, amount_minor: int, reason: str = "Goodwill") -> dict:
    answer = admin.post("/admin/credit-notes", {"customer_id": customer_id, "reason": reason, "lines": [
        {"description": reason, "unit_price_minor": amount_minor}]})
    assert answer.status == 201, answer.json
    return answer.json


def an_estimate(admin: Api, customer_id: str, amount_minor: int = 250_000, expires_in_days: int = 30) -> dict:
    answer = admin.post("/admin/estimates", {"customer_id": customer_id, "expires_in_days": expires_in_days,
                                             "lines": [{"description": "Data migration", "unit_price_minor":
                                                        amount_minor}]})
    assert answer.status == 201, answer.json
    return answer.json


def a_timesheet(admin: Api, customer_id: str, project: str = "Onboarding") -> dict:
    answer = admin.post("/admin/timesheets", {"customer_id": customer_id, "project": project,
                                              "period_start": "2026-11-01", "period_end": "2026-11-07",
                                              "entries": [{"date": "2026-11-02", "minutes": 90,
                                                           "description": "Kick-off"}]})
    assert answer.status == 201, answer.json
    return answer.json


# --- reading PDFs -----------------------------------------------------------------------------

def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-"), data[:40]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def sign_in_contact(scene: Scene, email: str) -> Api:
    """Another contact of Globex, signed in: an API client with its session."""
    return signed_in(scene.api, scene.acme.org.org_id, scene.zoe.customer, email).portal


def attachments_of(message) -> list[tuple[str, str, bytes]]:
    return [(part.get_filename(), part.get_content_type(), part.get_content()) for part in message.iter_attachments()]
