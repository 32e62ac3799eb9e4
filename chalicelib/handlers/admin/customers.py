"""Customers and contact persons."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field

from ... import bootstrap
from ...bootstrap import services
from ..credentials import merchant_key
from ..http import Body, Routes
from ..schemas import AddressBody, Currency, Email, Name, PageQuery, TaxIdBody, address_of

if TYPE_CHECKING:   # built by the bodies when a request comes, not at `import app`
    from ...services.accounts.commands import CustomerChanges, NewContact, NewCustomer


api = Routes("merchant", merchant_key)


class ContactBody(Body):
    first_name: Name
    last_name: str = Field(default="", max_length=120)
    email: Email
    phone: str = Field(default="", max_length=40)
    is_primary: bool = False

    def contact(self) -> NewContact:
        from ...services.accounts.commands import NewContact
        return NewContact(self.first_name, self.email, self.last_name, self.phone, self.is_primary)


class CustomerBody(Body):
    display_name: Name
    email: Email
    company_name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    currency: Currency | None = None
    billing_address: AddressBody | None = None
    shipping_address: AddressBody | None = None
    contacts: list[ContactBody] = Field(default_factory=list, max_length=50)
    custom_fields: dict[str, Any] = Field(default_factory=dict, max_length=50)

    def customer(self) -> NewCustomer:
        from ...services.accounts.commands import NewCustomer
        return NewCustomer(self.display_name, self.email, self.company_name, self.phone, self.currency,
                           address_of(self.billing_address), address_of(self.shipping_address),
                           tuple(c.contact() for c in self.contacts), self.custom_fields)


class CustomerPatch(Body):
    display_name: Name | None = None
    email: Email | None = None
    company_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    billing_address: AddressBody | None = None
    shipping_address: AddressBody | None = None
    custom_fields: dict[str, Any] | None = Field(default=None, max_length=50)
    tax_ids: list[TaxIdBody] | None = Field(default=None, max_length=5)   # all of them: the list replaces

    def changes(self) -> CustomerChanges:
        tax_ids = tuple((t.type, t.value) for t in self.tax_ids) if self.tax_ids is not None else None
        from ...services.accounts.commands import CustomerChanges
        return CustomerChanges(self.display_name, self.email, self.company_name, self.phone,
                               address_of(self.billing_address), address_of(self.shipping_address), self.custom_fields,
                               tax_ids)


@api.route("/admin/customers", query=PageQuery, response="CustomerPage")
def list_customers(query: PageQuery):
    """The organization's customers, a page at a time."""
    from ..responses.accounts import CustomerPage   # on the first answer, not at `import app`
    return CustomerPage.of(services().accounts.customers(api.merchant().org_id, limit=query.limit,
                                                         cursor=query.cursor)).model_dump()


@api.route("/admin/customers", "POST", body=CustomerBody, status=201, response="Customer")
def create_customer(body: CustomerBody):
    """Add a customer with its contact persons (the first is primary unless one says so)."""
    from ..responses.accounts import Customer
    return Customer.of(services().accounts.create_customer(api.merchant().org_id, body.customer(),
                                                           bootstrap.now())).model_dump()


@api.route("/admin/customers/{customer_id}", response="Customer")
def get_customer(customer_id: str):
    """One customer."""
    from ..responses.accounts import Customer
    return Customer.of(services().accounts.customer(api.merchant().org_id, customer_id)).model_dump()


@api.route("/admin/customers/{customer_id}", "PATCH", body=CustomerPatch, response="Customer")
def update_customer(customer_id: str, body: CustomerPatch):
    """Change a customer's details."""
    from ..responses.accounts import Customer
    return Customer.of(services().accounts.update_customer(api.merchant().org_id, customer_id, body.changes(),
                                                           bootstrap.now())).model_dump()


@api.route("/admin/customers/{customer_id}/contacts", "POST", body=ContactBody, status=201, response="Customer")
def add_contact(customer_id: str, body: ContactBody):
    """Add a contact person."""
    from ..responses.accounts import Customer
    return Customer.of(services().accounts.add_contact(api.merchant().org_id, customer_id, body.contact(),
                                                       bootstrap.now())).model_dump()
