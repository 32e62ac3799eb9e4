"""My details: the signed-in contact's name, phone and sign-in email, the customer's billing and
shipping addresses, and the custom fields the merchant shows in the portal. The merchant can
turn updates off (`update_customer_details`); every change is an activity record with what it
was before and after.

Changing the sign-in email needs the current password (checked, and failures counted, as
a password change does) and then proof of the new mailbox: the change is only requested, and the
new address receives a single-use link (1 h) made as the outbox sends it. An address that is
taken (another account, or a contact the merchant invited) receives nothing, and the request
answers the same either way; a password reset or change takes back a change asked for before it
(docs/security.md). Confirming (`confirm_email_change`) moves the portal account to its
new key (`org#email`) in the same transaction as the customer: the old account item is deleted,
the new one created, and the account's sessions follow it; the old address is told.
A new spelling of the same address (its case) needs no link.

The answers are typed results (`Details`, the customer's `Contact`s); their wire shapes are written
once, by the response models that build them (`handlers/responses/accounts.py`: `Profile.of`,
`ContactList.of`)."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from ...domain.customers import Contact, Customer, CustomFieldDefinition, validate_custom_fields
from ...domain.engagement import ActivityRecord, contact_actor
from ...domain.errors import ConcurrentUpdate, InvalidInput, NotFound, RoleForbids, Unauthenticated
from ...domain.ids import new_id
from ...domain.organization import Organization
from ...domain.tokens import TOKEN_TTL
from ...tables.portal_users import PortalUser, login_key
from ..access import mailed_links, portal_auth
from . import outbox as mail
from .commands import ProfileChanges, given

CONTACT_FIELDS = ("first_name", "last_name", "phone", "email")
SESSIONS_MOVED = 90        # with the customer, activity, token and two account items: within a transaction's 100
LARGEST_NUMBER = 10**15    # custom field numbers DynamoDB stores exactly
EMAIL_CHANGE_MINUTES = int(TOKEN_TTL["email_change"] // timedelta(minutes=1))   # as the email says it


@dataclass(frozen=True)
class Details:
    """My details as the profile shows them: the customer, the signed-in contact, the custom fields the
    merchant shows in the portal, whether the merchant lets customers change them, and the new sign-in
    email a confirmation link was sent to (None: no change pending)."""
    customer: Customer
    contact: Contact
    fields: tuple[CustomFieldDefinition, ...]
    editable: bool
    pending_email: str | None = None


def contacts(adapters, customer: Customer) -> tuple[Contact, ...]:
    """The customer's contact persons whom documents can be forwarded to, as the session check read them."""
    return customer.document_recipients


def profile(adapters, org: Organization, customer: Customer, contact_id: str) -> Details:
    """As the organization and the customer the session check read them: no read here."""
    return _details(org, customer, _contact(customer, contact_id))


def update_profile(adapters, org: Organization, customer_id: str, contact_id: str, session_id: str,
                   changes: ProfileChanges, now: datetime, *, role: str = "owner") -> Details:
    """Apply the changes; a new sign-in address is only requested (`pending_email` in the answer).
    Everyone changes their own contact details; the account's addresses and custom fields are the
    owner's (`role`: the caller's portal role; docs/security.md "Roles"). `org` is the session
    check's (its preferences and custom field definitions); the customer is read again here, as the
    version the change is written on."""
    if role != "owner" and changes.changes_the_account:
        raise RoleForbids(role, portal=True)
    org_id = org.org_id
    org.preferences.require("update_customer_details")
    customer = adapters.uow.customers.get(org_id, customer_id)
    contact = _contact(customer, contact_id)
    updated_contact = replace(contact, **given(changes.contact)) if changes.contact else contact
    updated = _changed_customer(org, customer, updated_contact, changes)
    email_changed = updated_contact.email != contact.email
    account = _account_for_email_change(adapters, org, contact, changes, session_id, now) if email_changed else None
    new_email = None
    if account is not None and login_key(org_id, updated_contact.email) != account.login:
        new_email, updated_contact = updated_contact.email, replace(updated_contact, email=contact.email)
        updated = _changed_customer(org, customer, updated_contact, changes)
        account_moved = None
    else:
        account_moved = account
    before, after = _differences(customer, updated, contact, updated_contact)
    if not after and new_email is None:
        return _details(org, customer, contact)
    left_behind: list[str] = []
    with adapters.uow.transaction("profile") as tx:
        if after:
            adapters.uow.customers.put_in(tx, org_id, updated.keeping_billing_history(customer, now))
            if account_moved is not None:
                left_behind = _move_account(adapters, tx, account_moved, updated_contact.email, session_id)
            adapters.uow.activity.record(org_id, _profile_updated(customer, contact_id, before, after, now), tx)
        if new_email is not None:
            adapters.uow.emails.put_in(tx, mail.new_record(
                org_id, "confirm_sign_in_email", {"org_name": org.name, "contact_email": contact.email,
                                                  "expires_minutes": EMAIL_CHANGE_MINUTES},
                [new_email], now=now, customer_id=customer_id, reply_to=org.email, send_after=now,
                link=mailed_links.link_for("email_change", account.login, new_email=new_email)))
    adapters.uow.sessions.delete_many(left_behind)
    return _details(org, updated, updated_contact, new_email)


def confirm_email_change(adapters, org_id: str, token: str, now: datetime) -> None:
    """Switch the sign-in email with the link sent to the new address (once, within the hour): the
    contact and the account move to it, the account's sessions with it, and the old address is told."""
    one_time = portal_auth.usable_token(adapters, token, "email_change", org_id, now)
    try:
        found = adapters.uow.portal_users.with_organization(one_time.login, org_id, customer_id=one_time.customer_id)
    except NotFound:
        raise Unauthenticated(portal_auth.INVALID_LINK, reason="link") from None
    user, customer = found.user, found.customer
    contact = customer.contact(one_time.contact_id) if customer is not None else None
    new_email = one_time.new_email or ""
    if user is None or not user.is_active or contact is None or user.contact_id != contact.contact_id or \
            contact.email.strip().lower() != user.email.strip().lower() or \
            user.password_changed_since(one_time.created_at):   # a reset takes back what whoever had it asked
        raise Unauthenticated(portal_auth.INVALID_LINK, reason="link")     # the account changed since
    updated_contact = replace(contact, email=new_email)
    try:
        updated = _changed_customer(found.org, customer, updated_contact, ProfileChanges())
    except InvalidInput:
        raise Unauthenticated(portal_auth.INVALID_LINK, reason="link") from None   # a colleague has the address by now
    before, after = _differences(customer, updated, contact, updated_contact)
    try:   # the token unused, and the new address still free (an account added on no login only)
        with adapters.uow.transaction("email change") as tx:
            adapters.uow.one_time_tokens.use_in(tx, one_time.token_hash, now)
            adapters.uow.customers.put_in(tx, org_id, updated.keeping_billing_history(customer, now))
            left_behind = _move_account(adapters, tx, user, new_email, None)
            adapters.uow.activity.record(org_id, _profile_updated(customer, contact.contact_id, before, after,
                                                                  now), tx)
    except ConcurrentUpdate:
        raise Unauthenticated(portal_auth.INVALID_LINK, reason="link") from None
    adapters.uow.sessions.delete_many(left_behind)
    mail.queue(adapters, org_id, "sign_in_email_changed",
               {"org_name": found.org.name, "contact_email": new_email},
               [contact.email], now=now, customer_id=customer.customer_id, reply_to=found.org.email)


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
        raise InvalidInput({"contact.email": "Another contact person of your account has this email address."},
                           codes={"contact.email": "email_taken"})
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


def _account_for_email_change(adapters, org: Organization, contact: Contact, changes: ProfileChanges,
                              session_id: str | None, now: datetime) -> PortalUser:
    """The signed-in account, once its current password is proven (an account without one: once its
    session `session_id` is shown to have just begun). Whether the new address is free is not looked
    at here: the outbox decides as it sends the link, so the answer cannot tell."""
    account = adapters.uow.portal_users.find(login_key(org.org_id, contact.email))
    if account is None or not account.is_active or account.contact_id != contact.contact_id:
        raise Unauthenticated("Sign in again.")
    if account.password_hash is not None and not changes.current_password:
        raise InvalidInput({"current_password": "Enter your current password to change your sign-in email."},
                           codes={"current_password": "current_password_needed"})
    portal_auth.confirm_current_password(adapters, account, changes.current_password, now, session_id=session_id)
    return account


def _profile_updated(customer: Customer, contact_id: str, before: dict, after: dict, now: datetime) -> ActivityRecord:
    """The change as the activity shows it, naming the contact as they were called before it."""
    customer_id = customer.customer_id
    return ActivityRecord(
        activity_id=new_id("activity", now), customer_id=customer_id, actor=contact_actor(customer, contact_id),
        action="profile.updated", subject_type="customer", subject_id=customer_id, at=now,
        summary="Changed " + ", ".join(sorted(after)), before=before, after=after)


def _move_account(adapters, tx, account: PortalUser, email: str, session_id: str | None) -> list[str]:
    """Within `tx`: the account under its new email (or just the new spelling), its sessions with it
    (the index of sessions is eventually consistent: the one in use is named, not looked up).
    A transaction holds at most 100 items: sessions beyond SESSIONS_MOVED are answered, to be ended."""
    new_login = login_key(account.org_id, email)
    if new_login == account.login:
        adapters.uow.portal_users.put_in(tx, replace(account, email=email))
        return []
    adapters.uow.portal_users.delete_in(tx, account)                             # on the version read
    adapters.uow.portal_users.add_in(tx, replace(account, login=new_login, email=email, version=None))
    named = [session_id] if session_id else []
    sessions = list(dict.fromkeys([*named, *adapters.uow.sessions.token_hashes_of(account.login)]))
    for token_hash in sessions[:SESSIONS_MOVED]:
        adapters.uow.sessions.move_in(tx, token_hash, new_login)
    return sessions[SESSIONS_MOVED:]


def _details(org: Organization, customer: Customer, contact: Contact, pending_email: str | None = None) -> Details:
    return Details(customer, contact, tuple(d for d in org.custom_fields if d.show_in_portal),
                   org.preferences.enabled_features()["update_customer_details"], pending_email)
