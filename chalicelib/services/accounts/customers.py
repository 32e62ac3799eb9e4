"""Customers and their contact persons, as the merchant manages them (their tax IDs too: the
merchant's list replaces the customer's, checked as in the portal)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ...domain.customers import Address, Contact, Customer, validate_custom_fields
from ...domain.errors import InvalidInput
from ...domain.ids import new_id
from ...domain.tax_ids import MOST_TAX_IDS, TaxId, valid_tax_id
from ...tables.pages import Page
from .commands import CustomerChanges, NewContact, NewCustomer, given


def create_customer(adapters, org_id: str, new: NewCustomer, now: datetime) -> Customer:
    org = adapters.uow.organizations.get(org_id)
    if new.currency is not None and new.currency != org.currency:
        raise InvalidInput({"currency": f"Must be the organization's currency, {org.currency}."})
    fields = validate_custom_fields(dict(new.custom_fields), org.custom_fields, portal=False)
    customer = Customer(customer_id=new_id("customer", now), display_name=new.display_name, email=new.email,
                        currency=org.currency, company_name=new.company_name, phone=new.phone,
                        billing_address=new.billing_address or Address(),
                        shipping_address=new.shipping_address or Address(), custom_fields=fields,
                        created_at=now, updated_at=now, portal_accounts={})   # none of its contacts has one yet
    people = new.contacts or (NewContact(new.display_name, new.email),)
    for index, person in enumerate(people):
        customer = customer.with_contact(_contact(person, now, primary_unless_said=index == 0))
    _unique_contact_emails(customer)
    added = adapters.uow.customers.add(org_id, customer)
    # no saved methods yet: its summary mirrors none, so its pages read them with the session check;
    # no ledger entry yet: its balances will count every one (a statement reads only its range)
    adapters.uow.account_summaries.start(org_id, added.customer_id, added.currency)
    adapters.uow.ledger.mark_balances_complete(org_id, added.customer_id)
    return added


@dataclass(frozen=True)
class ListedCustomer:
    """A customer in the back office's list, with where each contact stands with the portal."""
    customer: Customer
    portal_access: dict[str, str]     # contact_id -> none | invited | active | disabled


def list_customers(adapters, org_id: str, *, limit: int, cursor: str | None) -> Page[ListedCustomer]:
    """A page of customers, each contact with where it stands with the portal (kept on the customer:
    access/portal_accounts.py), so the console offers an invitation to those without an account, to
    send again to those who have not accepted, and none to the rest."""
    from ..access.portal_accounts import access_of
    page = adapters.uow.customers.page(org_id, limit=limit, cursor=cursor)
    access = access_of(adapters, org_id, page.items)
    return Page([ListedCustomer(customer, access[customer.customer_id]) for customer in page.items], page.next_cursor)


def get_customer(adapters, org_id: str, customer_id: str) -> Customer:
    return adapters.uow.customers.get(org_id, customer_id)


def update_customer(adapters, org_id: str, customer_id: str, changes: CustomerChanges, now: datetime) -> Customer:
    customer = adapters.uow.customers.get(org_id, customer_id)
    fields = given(changes)
    if changes.custom_fields is not None:
        org = adapters.uow.organizations.get(org_id)
        merged = {**customer.custom_fields, **changes.custom_fields}
        fields["custom_fields"] = validate_custom_fields(merged, org.custom_fields, portal=False)
    if changes.tax_ids is not None:
        fields["tax_ids"] = _tax_ids(customer, changes.tax_ids, now)
    changed = replace(customer, **fields, updated_at=now).keeping_billing_history(customer, now)
    return adapters.uow.customers.save(org_id, changed)


def add_contact(adapters, org_id: str, customer_id: str, person: NewContact, now: datetime) -> Customer:
    """Add a contact person; a new primary one is the account's owner from now on, and the owner
    before is signed out (their sessions held the owner's role: docs/security.md "Roles")."""
    customer = adapters.uow.customers.get(org_id, customer_id)
    updated = customer.with_contact(_contact(person, now, primary_unless_said=False))
    _unique_contact_emails(updated)
    saved = adapters.uow.customers.save(org_id, replace(updated, updated_at=now))
    owner_before = customer.primary_contact
    account = adapters.uow.portal_users.of_contact(org_id, customer_id, owner_before.contact_id) \
        if owner_before is not None and saved.portal_role_of(owner_before.contact_id) != "owner" else None
    if account is not None:
        from ..access import sessions
        sessions.end_all_of(adapters, account.login)
    return saved


def _contact(person: NewContact, now: datetime, *, primary_unless_said: bool) -> Contact:
    primary = primary_unless_said if person.is_primary is None else person.is_primary
    return Contact(new_id("contact", now), person.first_name, person.last_name, person.email, person.phone,
                   is_primary=primary)


def _tax_ids(customer: Customer, given: tuple[tuple[str, str], ...], now: datetime) -> tuple[TaxId, ...]:
    """The merchant's list, each checked (a field error per number: `tax_ids.<i>.value`); a number the
    customer has keeps its id, a number given twice is kept once."""
    if len(given) > MOST_TAX_IDS:
        raise InvalidInput({"tax_ids": f"At most {MOST_TAX_IDS} tax IDs."})
    had = {(t.type, t.value): t for t in customer.tax_ids}
    kept: dict[tuple[str, str], TaxId] = {}
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    for index, (kind, value) in enumerate(given):
        try:
            number = valid_tax_id(kind, value, field=f"tax_ids.{index}.value")
        except InvalidInput as refused:
            errors.update(refused.fields)
            codes.update(refused.field_codes)
            continue
        kept.setdefault((kind, number), had.get((kind, number)) or TaxId(new_id("tax_id", now), kind, number))
    if errors:
        raise InvalidInput(errors, codes=codes)
    return tuple(kept.values())


def _unique_contact_emails(customer: Customer) -> None:
    emails = [c.email.lower() for c in customer.contacts]
    if len(emails) != len(set(emails)):
        raise InvalidInput({"contacts": "Each contact person needs a different email address."})
