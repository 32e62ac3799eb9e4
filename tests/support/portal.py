"""Builders for portal tests: a verified SES sender, a pinned clock, customers invited and
signed in, and the emails SES (moto) accepted."""
from __future__ import annotations

import email
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy

from tests.support.api import NOW, Api, new_organization

PASSWORD = "velvet lantern orchard at dusk"
NEW_PASSWORD = "kestrels circle the quiet harbour"


class Clock:
    """The application's clock, pinned; tests move it forward."""

    def __init__(self, at: datetime = NOW):
        from chalicelib import bootstrap
        self.now = at
        bootstrap.set_clock(lambda: self.now)

    def advance(self, **duration) -> datetime:
        self.now += timedelta(**duration)
        return self.now


def verify_sender() -> None:
    """SES (moto) refuses mail from an unverified identity: verify the configured sender."""
    from chalicelib import bootstrap
    from chalicelib.config import settings
    bootstrap.adapters().client("ses").verify_email_identity(EmailAddress=settings().email_sender)


@dataclass
class PortalOrganization:
    org: object
    key: str
    admin: Api        # the merchant's API client


def portal_organization(api: Api, name: str = "Acme Cloud", **extra) -> PortalOrganization:
    """An organization whose emails go out (the sender is verified)."""
    verify_sender()
    org, key = new_organization(name, **extra)
    return PortalOrganization(org, key, api.as_(key))


def new_customer(admin: Api, *, display_name: str = "Globex", email: str = "zoe@globex.example",
                 contacts: list[dict] | None = None) -> dict:
    people = contacts or [{"first_name": "Zoë", "last_name": "Keller", "email": email}]
    answer = admin.post("/admin/customers", {"display_name": display_name, "email": email, "contacts": people})
    assert answer.status == 201, answer.json
    return answer.json


def contact_with(customer: dict, email: str) -> dict:
    return next(c for c in customer["contacts"] if c["email"] == email)


def invite(admin: Api, customer: dict, email: str) -> str:
    """Invite the customer's contact with `email`; answers the token from the email's link."""
    answer = admin.post(f"/admin/customers/{customer['customer_id']}/portal-invite",
                        {"contact_id": contact_with(customer, email)["contact_id"]})
    assert answer.status == 202, answer.json
    return link_token(emails_to(email)[-1])


def portal_signing_in_with(api: Api, sign_in_with: str) -> PortalOrganization:
    """An organization whose portal signs in with `sign_in_with` (password, link or both)."""
    acme = portal_organization(api)
    assert acme.admin.put("/admin/preferences", {"preferences": {"sign_in_with": sign_in_with}}).status == 200
    return acme


def a_passwordless_zoe(api: Api) -> tuple[PortalOrganization, Api]:
    """A link-only portal, and Zoë signed in: she accepted her invitation, so her account has no password."""
    acme = portal_signing_in_with(api, "link")
    token = invite(acme.admin, new_customer(acme.admin), "zoe@globex.example")
    accepted = api.as_(None).post("/portal/auth/accept-invite", {"organization": acme.org.org_id, "token": token})
    assert accepted.status == 201, accepted.json
    return acme, api.as_(accepted.json["token"])


@dataclass
class SignedInCustomer:
    customer: dict
    contact: dict
    email: str
    password: str
    token: str
    portal: Api       # an API client carrying this customer's session

    @property
    def customer_id(self) -> str:
        return self.customer["customer_id"]


def signed_in_customer(api: Api, org, key: str, *, email: str = "zoe@globex.example",
                       password: str = PASSWORD, display_name: str = "Globex",
                       contacts: list[dict] | None = None) -> SignedInCustomer:
    """A customer whose contact `email` accepted the portal invitation (one argon2 hash) and is
    signed in. `org` is the organization (its sender must be verified: `portal_organization`)."""
    admin = api.as_(key)
    customer = new_customer(admin, display_name=display_name, email=email, contacts=contacts)
    token = invite(admin, customer, email)
    answer = api.as_(None).post("/portal/auth/accept-invite",
                                {"organization": org.org_id, "token": token, "password": password})
    assert answer.status == 201, answer.json
    session = answer.json["token"]
    return SignedInCustomer(customer, contact_with(customer, email), email, password, session, api.as_(session))


def login(api: Api, org_id: str, email: str, password: str):
    return api.as_(None).post("/portal/auth/login", {"organization": org_id, "email": email, "password": password})


# --- what SES accepted ------------------------------------------------------------------------

def sent_emails() -> list[EmailMessage]:
    """What SES accepted once the outbox job has run (requests only queue their email)."""
    run_the_outbox_job()
    return accepted_by_ses()


def accepted_by_ses() -> list[EmailMessage]:
    """What SES accepted so far, without running the outbox job."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from chalicelib.config import settings
    backend = ses_backends[DEFAULT_ACCOUNT_ID][settings().region]
    return [email.message_from_string(sent.raw_data, policy=default_policy) for sent in backend.sent_messages]


def run_the_outbox_job() -> int:
    """The scheduled email job, at the application's clock: sends the email that is due."""
    from chalicelib import bootstrap
    return bootstrap.services().accounts.send_queued_email(bootstrap.now())


def emails_to(address: str) -> list[EmailMessage]:
    return [message for message in sent_emails() if address in message["To"]]


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def link_token(message: EmailMessage) -> str:
    match = re.search(r"[?&]token=([A-Za-z0-9_-]+)", text_of(message))
    assert match, text_of(message)
    return match.group(1)


def assert_refused(answer) -> None:
    """The request was stopped for want of a valid session (401), and nothing of the account leaked."""
    assert answer.status == 401, (answer.status, answer.json)
    assert "contact" not in (answer.json or {}), answer.json


# what storage, the payment service or the back office knows that the portal never shows
INTERNALS = frozenset({"version", "customer_id", "idempotency_key", "gateway", "gateway_payment_id",
                       "client_secret", "decided_by"})


def internals_in(body) -> set[str]:
    """The INTERNALS named anywhere in a JSON answer, but a client secret inside `next_action`
    (the browser finishes 3-D Secure with it)."""
    if isinstance(body, list):
        return set().union(*map(internals_in, body))
    if not isinstance(body, dict):
        return set()
    found = INTERNALS & (body.keys() - {"next_action"})
    return found.union(*(internals_in(value) for key, value in body.items() if key != "next_action"))


def invited_person(api: Api, acme: PortalOrganization, owner: SignedInCustomer, role: str, *,
                   first_name: str = "Alice", last_name: str = "Ng",
                   email: str = "alice@globex.example") -> tuple[str, Api]:
    """The owner invites someone with `role` (POST /portal/people), who accepts the emailed link:
    their contact id and a client carrying their session."""
    answer = owner.portal.post("/portal/people", {"first_name": first_name, "last_name": last_name,
                                                  "email": email, "role": role, "current_password": owner.password})
    assert answer.status == 201, answer.json
    accepted = api.as_(None).post("/portal/auth/accept-invite", {
        "organization": acme.org.org_id, "token": link_token(emails_to(email)[-1]), "password": PASSWORD})
    assert accepted.status == 201, accepted.json
    return answer.json["contact_id"], api.as_(accepted.json["token"])


def an_owner(api: Api, **customer) -> tuple[PortalOrganization, SignedInCustomer]:
    """A portal organization and its customer's owner (the primary contact), signed in; `customer`:
    what `signed_in_customer` takes (contacts=...)."""
    acme = portal_organization(api)
    return acme, signed_in_customer(api, acme.org, acme.key, **customer)
