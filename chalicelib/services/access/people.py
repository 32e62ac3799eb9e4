"""The people of a customer's account: its owner (the primary contact) lists them, gives a contact
access to the portal with a role, changes roles and removes access (docs/security.md "Roles"). A
change of role or a removal ends that person's sessions at once: those of the account of that very
contact (found by contact, whatever email it signs in with)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...domain.customers import MOST_CONTACTS, REMOVED, Contact, Customer
from ...domain.engagement import ActivityRecord, contact_actor
from ...domain.errors import BusinessRuleViolation, NotFound, Unauthenticated
from ...domain.ids import new_id
from ...tables.portal_users import login_key
from . import sessions
from .commands import NewPerson, Proof
from .portal_auth import confirm_current_password, count_invitation, send_invitation


@dataclass(frozen=True)
class Person:
    contact: Contact
    role: str               # owner | billing | viewer | removed
    portal_status: str      # invited | active | none (no account, or its access removed)


def people(adapters, org_id: str, customer: Customer) -> list[Person]:
    """Every contact of `customer` (as the session check read it) with their role and account (as
    the customer records it: portal_accounts.py)."""
    from .portal_accounts import access_of
    access = access_of(adapters, org_id, [customer])[customer.customer_id]
    return [_person(contact, access[contact.contact_id]) for contact in customer.contacts]


def invite_person(adapters, org_id: str, customer_id: str, by: str, new: NewPerson, proof: Proof,
                  now: datetime) -> Person:
    """Give `new` access with their role: a contact with that email already is given the role,
    else one is added. Someone without an account yet (or still invited) is sent the invitation
    (again: a resend is the same request); an active account keeps signing in, with the new role.
    An address that signs in or is invited for another contact of the merchant is answered the same
    as one nobody uses (`invited`), but no account is made and nothing is sent (docs/security.md "Roles").
    The colleague's account outlives the owner's session, so the owner proves it is them (`proof`)
    before anything is written: a stolen session alone leaves no way back in."""
    found = adapters.uow.portal_users.with_organization(proof.login, org_id, customer_id=customer_id,
                                                        with_failures=True)
    if found.customer is None:
        raise NotFound("customer")
    customer, owner = found.customer, _owner(found.customer, by)
    _confirm_owner(adapters, found, by, proof, now)
    contact = customer.contact_by_email(new.email)
    if contact is None:
        if len(customer.contacts) >= MOST_CONTACTS:
            raise BusinessRuleViolation(f"An account has at most {MOST_CONTACTS} contact persons: give one of them "
                                        "access, or ask the merchant.", "too_many_contacts",
                                        {"most": MOST_CONTACTS})
        contact = Contact(new_id("contact", now), new.first_name, new.last_name, new.email, email_unconfirmed=True)
        changed = customer.with_contact(contact).with_portal_role(contact.contact_id, new.role)
    else:
        changed = customer.with_portal_role(contact.contact_id, new.role)
    contact = changed.contact(contact.contact_id)
    user = adapters.uow.portal_users.find(login_key(org_id, contact.email))
    before = customer.contact(contact.contact_id)
    record = None if before == contact else _activity(changed, owner, before, contact, "person.invited", now)
    if user is not None and (user.customer_id, user.contact_id) != (customer_id, contact.contact_id):
        # The address signs in (or is invited) for someone else: answered (and counted) as an
        # invitation sent, so the owner cannot tell; nothing is sent to that person, nothing of theirs changes.
        count_invitation(adapters, org_id, customer_id, now)
        if record is not None:
            _apply(adapters, org_id, changed, record)
        return Person(contact, new.role, "invited")
    if user is None or user.status == "invited":
        # the invitation writes the customer as changed here, with the entry saying so
        send_invitation(adapters, found.org, changed, contact, user, now, by=owner, changed=record is not None,
                        with_it=None if record is None else lambda tx: adapters.uow.activity.record(org_id, record, tx))
        return Person(contact, new.role, "invited")
    if record is not None:
        _apply(adapters, org_id, changed, record)
        sessions.end_all_of(adapters, user.login)
    return _person(contact, user.status)


def change_role(adapters, org_id: str, customer_id: str, by: str, contact_id: str, role: str,
                now: datetime) -> Person:
    """Give a contact another role; their sessions end, the next sign-in has the new role."""
    customer = adapters.uow.customers.get(org_id, customer_id)
    owner = _owner(customer, by)
    before = customer.contact(contact_id)
    changed = customer.with_portal_role(contact_id, role)
    contact = changed.contact(contact_id)
    if before != contact:
        _apply(adapters, org_id, changed, _activity(changed, owner, before, contact, "person.role_changed", now))
    user = adapters.uow.portal_users.of_contact(org_id, customer_id, contact_id)
    if user is not None and before != contact:
        sessions.end_all_of(adapters, user.login)
    return _person(contact, user.status if user is not None else None)


def remove_person(adapters, org_id: str, customer_id: str, by: str, contact_id: str, now: datetime) -> None:
    """Take a contact's access away: they cannot sign in any more, and their sessions end now. The
    contact stays on the account (documents may still be forwarded to them)."""
    customer = adapters.uow.customers.get(org_id, customer_id)
    owner = _owner(customer, by)
    before = customer.contact(contact_id)
    changed = customer.with_portal_role(contact_id, REMOVED)
    contact = changed.contact(contact_id)
    if before.portal_role != REMOVED:
        _apply(adapters, org_id, changed, _activity(changed, owner, before, contact, "person.removed", now))
    user = adapters.uow.portal_users.of_contact(org_id, customer_id, contact_id)
    if user is not None:
        sessions.end_all_of(adapters, user.login)


def _owner(customer: Customer, by: str) -> Contact:
    """The contact making the change, who must be the account's owner (the route's role rule let
    only the owner through; this holds whatever calls it)."""
    owner = customer.contact(by)
    if owner is None or customer.portal_role_of(by) != "owner":
        raise NotFound("contact")
    return owner


def _confirm_owner(adapters, found, by: str, proof: Proof, now: datetime) -> None:
    """The owner's own account (as `proof` names it, read with the customer) proves it is them."""
    user = found.user
    if user is None or not user.is_active or (user.customer_id, user.contact_id) != (found.customer.customer_id, by):
        raise Unauthenticated("Sign in again.")
    confirm_current_password(adapters, user, proof.current_password, now, session_id=proof.session_id,
                             failures=found.failures)


def _activity(changed: Customer, owner: Contact, before: Contact | None, after: Contact, action: str,
              now: datetime) -> ActivityRecord:
    """The change's entry in the customer's activity."""
    return ActivityRecord(new_id("activity", now), changed.customer_id, contact_actor(changed, owner.contact_id),
                          action, "contact", after.contact_id, now, summary=f"{after.name} <{after.email}>",
                          before={"role": _role(before)} if before is not None else {},
                          after={"role": _role(after)})


def _apply(adapters, org_id: str, changed: Customer, record: ActivityRecord) -> None:
    """The changed customer (on its version read) with the change's activity entry."""
    with adapters.uow.transaction("customer") as tx:
        adapters.uow.customers.put_in(tx, org_id, changed)
        adapters.uow.activity.record(org_id, record, tx)


def _role(contact: Contact) -> str:
    return contact.role_in_portal or REMOVED


def _person(contact: Contact, account_status: str | None) -> Person:
    """`account_status`: the status of the contact's account (None or "none" without one)."""
    role = _role(contact)
    if role == REMOVED or account_status not in ("invited", "active"):
        return Person(contact, role, "none")
    return Person(contact, role, account_status)
