"""My details: the signed-in contact's name, phone and sign-in email, the customer's billing and
shipping addresses, and the custom fields the merchant shows in the portal. The merchant can
turn updates off (`update_customer_details`); every change is an activity record with what it
was before and after.

Changing the sign-in email needs the current password (checked, and failures counted, as
a password change does) and moves the portal account to its new key (`org#email`) in the
same transaction as the customer: the old account item is deleted, the new one created, and
the account's sessions follow it, so the one in use stays valid."""
from __future__ import annotations

import math
from dataclasses import asdict, replace
from datetime import datetime

from ...domain.customers import Contact, Customer, validate_custom_fields
from ...domain.engagement import ActivityRecord, Actor
from ...domain.errors import InvalidInput, Unauthenticated
from ...domain.ids import new_id
from ...domain.organization import Organization
from ...tables.portal_users import PortalUser, login_key
from ..access import portal_auth
from ..inputs import ProfileChanges
from . import outbox as mail

CONTACT_FIELDS = ("first_name", "last_name", "phone", "email")
SESSIONS_MOVED = 90        # with the customer, activity and two account items: within a transaction's 100
LARGEST_NUMBER = 10**15    # custom field numbers DynamoDB stores exactly


def contacts(adapters, org_id: str, customer_id: str) -> list[dict]:
    """The customer's contact persons (whom documents can be forwarded to)."""
    return [{"contact_id": c.contact_id, "name": c.name, "email": c.email, "is_primary": c.is_primary}
            for c in adapters.uow.customers.get(org_id, customer_id).contacts]


def profile(adapters, org_id: str, customer_id: str, contact_id: str) -> dict:
    org = adapters.uow.organizations.get(org_id)
    customer = adapters.uow.customers.get(org_id, customer_id)
    return _view(org, customer, _contact(customer, contact_id))


def update_profile(adapters, org_id: str, customer_id: str, contact_id: str, session_id: str, changes: ProfileChanges,
                   now: datetime) -> dict:
    org = adapters.uow.organizations.get(org_id)
    org.preferences.require("update_customer_details")
    customer = adapters.uow.customers.get(org_id, customer_id)
    contact = _contact(customer, contact_id)
    updated_contact = replace(contact, **(changes.contact or {}))
    updated = _changed_customer(org, customer, updated_contact, changes)
    before, after = _differences(customer, updated, contact, updated_contact)
    if not after:
        return _view(org, customer, contact)
    email_changed = updated_contact.email != contact.email
    account = _account_for_email_change(adapters, org, contact, updated_contact, changes,
                                        now) if email_changed else None
    left_behind: list[str] = []
    with adapters.uow.transaction("profile") as tx:
        adapters.uow.customers.put_in(tx, org_id, updated)
        if account is not None:
            left_behind = _move_account(adapters, tx, account, updated_contact.email, session_id)
        adapters.uow.activity.record(org_id, ActivityRecord(
            activity_id=new_id("activity", now), customer_id=customer_id, actor=Actor("customer", contact_id),
            action="profile.updated", subject_type="customer", subject_id=customer_id, at=now,
            summary="Changed " + ", ".join(sorted(after)), before=before, after=after), tx)
    if account is not None:
        adapters.uow.sessions.delete_many(left_behind)
        mail.queue(adapters, org_id, "sign_in_email_changed",
                   {"org_name": org.name, "contact_email": updated_contact.email},
                   [contact.email], now=now, customer_id=customer_id, reply_to=org.email)
    return _view(org, updated, updated_contact)


# --- the parts --------------------------------------------------------------------------------

def _contact(customer: Customer, contact_id: str) -> Contact:
    contact = customer.contact(contact_id)
    if contact is None:
        raise Unauthenticated("Sign in again.")
    return contact


def _changed_customer(org: Organization, customer: Customer, contact: Contact,
                      changes: ProfileChanges) -> Customer:
    emails = [c.email.strip().lower() for c in customer.contacts if c.contact_id != contact.contact_id]
    if contact.email.strip().lower() in emails:
        raise InvalidInput({"contact.email": "Another contact person of your account has this email address."})
    fields = dict(customer.custom_fields)
    if changes.custom_fields is not None:
        _storable_numbers(changes.custom_fields)
        fields.update(validate_custom_fields(changes.custom_fields, org.custom_fields, portal=True))
    return replace(
        customer, contacts=tuple(contact if c.contact_id == contact.contact_id else c for c in customer.contacts),
        billing_address=changes.billing_address or customer.billing_address,
        shipping_address=changes.shipping_address or customer.shipping_address,
        custom_fields={key: value for key, value in fields.items() if value is not None})


def _storable_numbers(values: dict) -> None:
    """JSON allows NaN, Infinity and numbers DynamoDB cannot hold; custom fields do not."""
    for key, value in values.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and \
                not (math.isfinite(value) and abs(value) < LARGEST_NUMBER):
            raise InvalidInput({f"custom_fields.{key}": f"Must be a number below {LARGEST_NUMBER:,}."})


def _differences(customer: Customer, updated: Customer, contact: Contact,
                 updated_contact: Contact) -> tuple[dict, dict]:
    """(before, after) of every field that changes, by path (`contact.phone`, `billing_address`, ...)."""
    pairs = {f"contact.{name}": (getattr(contact, name), getattr(updated_contact, name)) for name in CONTACT_FIELDS}
    for name in ("billing_address", "shipping_address"):
        pairs[name] = (asdict(getattr(customer, name)), asdict(getattr(updated, name)))
    for key in set(customer.custom_fields) | set(updated.custom_fields):
        pairs[f"custom_fields.{key}"] = (customer.custom_fields.get(key), updated.custom_fields.get(key))
    changed = {path: pair for path, pair in pairs.items() if pair[0] != pair[1]}
    return ({path: old for path, (old, _) in changed.items()},
            {path: new for path, (_, new) in changed.items()})


def _account_for_email_change(adapters, org: Organization, contact: Contact, updated_contact: Contact,
                              changes: ProfileChanges, now: datetime) -> PortalUser:
    """The signed-in account, once its current password is proven; its new key must be free."""
    if not changes.current_password:
        raise InvalidInput({"current_password": "Enter your current password to change your sign-in email."})
    account = adapters.uow.portal_users.find(login_key(org.org_id, contact.email))
    if account is None or not account.is_active or account.contact_id != contact.contact_id:
        raise Unauthenticated("Sign in again.")
    portal_auth.confirm_current_password(adapters, account, changes.current_password, now)
    new_login = login_key(org.org_id, updated_contact.email)
    if new_login != account.login and adapters.uow.portal_users.find(new_login) is not None:
        raise InvalidInput({"contact.email": "Another portal account signs in with this email address."})
    return account


def _move_account(adapters, tx, account: PortalUser, email: str, session_id: str) -> list[str]:
    """Within `tx`: the account under its new email (or just the new spelling), its sessions with it
    (the index of sessions is eventually consistent: the one in use is named, not looked up).
    A transaction holds at most 100 items: sessions beyond SESSIONS_MOVED are answered, to be ended."""
    new_login = login_key(account.org_id, email)
    if new_login == account.login:
        adapters.uow.portal_users.put_in(tx, replace(account, email=email))
        return []
    adapters.uow.portal_users.delete_in(tx, account)                             # on the version read
    adapters.uow.portal_users.add_in(tx, replace(account, login=new_login, email=email, version=None))
    sessions = list(dict.fromkeys([session_id, *adapters.uow.sessions.token_hashes_of(account.login)]))
    for token_hash in sessions[:SESSIONS_MOVED]:
        adapters.uow.sessions.move_in(tx, token_hash, new_login)
    return sessions[SESSIONS_MOVED:]


def _view(org: Organization, customer: Customer, contact: Contact) -> dict:
    shown = [d for d in org.custom_fields if d.show_in_portal]
    return {
        "contact": {"contact_id": contact.contact_id, "first_name": contact.first_name,
                    "last_name": contact.last_name, "name": contact.name, "email": contact.email,
                    "phone": contact.phone, "is_primary": contact.is_primary},
        "customer": {"customer_id": customer.customer_id, "display_name": customer.display_name,
                     "company_name": customer.company_name, "email": customer.email, "phone": customer.phone,
                     "billing_address": customer.billing_address, "shipping_address": customer.shipping_address},
        "custom_fields": [{"key": d.key, "label": d.label, "type": d.type, "options": d.options,
                           "required": d.required, "value": customer.custom_fields.get(d.key)} for d in shown],
        "editable": org.preferences.enabled_features()["update_customer_details"],
    }
