"""Customers and their contact persons, as the merchant manages them."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ...domain.customers import Address, Contact, Customer, validate_custom_fields
from ...domain.errors import InvalidInput
from ...domain.ids import new_id
from ...tables.pages import Page


def create_customer(adapters, org_id: str, *, display_name: str, email: str, now: datetime, company_name: str = "",
                    phone: str = "", currency: str | None = None, billing_address: Address | None = None,
                    shipping_address: Address | None = None, contacts: list[dict] | None = None,
                    custom_fields: dict | None = None) -> Customer:
    org = adapters.uow.organizations.get(org_id)
    if currency is not None and currency != org.currency:
        raise InvalidInput({"currency": f"Must be the organization's currency, {org.currency}."})
    fields = validate_custom_fields(custom_fields or {}, org.custom_fields, portal=False)
    customer = Customer(customer_id=new_id("customer", now), display_name=display_name, email=email,
                        currency=org.currency, company_name=company_name, phone=phone,
                        billing_address=billing_address or Address(),
                        shipping_address=shipping_address or Address(), custom_fields=fields,
                        created_at=now, updated_at=now)
    people = contacts or [{"first_name": display_name, "last_name": "", "email": email}]
    for index, person in enumerate(people):
        contact = Contact(contact_id=new_id("contact", now), is_primary=person.get("is_primary", index == 0),
                          **{k: v for k, v in person.items() if k != "is_primary"})
        customer = customer.with_contact(contact)
    _unique_contact_emails(customer)
    return adapters.uow.customers.add(org_id, customer)


def get_customer(adapters, org_id: str, customer_id: str) -> Customer:
    return adapters.uow.customers.get(org_id, customer_id)


def list_customers(adapters, org_id: str, *, limit: int, cursor: str | None) -> Page[Customer]:
    return adapters.uow.customers.page(org_id, limit=limit, cursor=cursor)


def update_customer(adapters, org_id: str, customer_id: str, changes: dict, now: datetime) -> Customer:
    customer = adapters.uow.customers.get(org_id, customer_id)
    if "custom_fields" in changes:
        org = adapters.uow.organizations.get(org_id)
        merged = {**customer.custom_fields, **changes["custom_fields"]}
        changes["custom_fields"] = validate_custom_fields(merged, org.custom_fields, portal=False)
    changed = replace(customer, **changes, updated_at=now).keeping_billing_history(customer, now)
    return adapters.uow.customers.save(org_id, changed)


def add_contact(adapters, org_id: str, customer_id: str, person: dict, now: datetime) -> Customer:
    customer = adapters.uow.customers.get(org_id, customer_id)
    contact = Contact(contact_id=new_id("contact", now), **person)
    updated = customer.with_contact(contact)
    _unique_contact_emails(updated)
    return adapters.uow.customers.save(org_id, replace(updated, updated_at=now))


def _unique_contact_emails(customer: Customer) -> None:
    emails = [c.email.lower() for c in customer.contacts]
    if len(emails) != len(set(emails)):
        raise InvalidInput({"contacts": "Each contact person needs a different email address."})
