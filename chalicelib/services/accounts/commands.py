"""What the accounts' use cases are asked with: frozen values the handlers build from the validated
request (a new customer, changes to one, a contact person, the signed-in contact's profile changes),
importable without any use case, table or gateway (`import app` loads them). None leaves a part as it is."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ...domain.customers import Address


@dataclass(frozen=True)
class NewContact:
    """A contact person to add; `is_primary` None: a new customer's first contact is its primary one."""
    first_name: str
    email: str
    last_name: str = ""
    phone: str = ""
    is_primary: bool | None = None


@dataclass(frozen=True)
class NewCustomer:
    """A customer to add, with its contact persons (none given: the customer's own name and email)."""
    display_name: str
    email: str
    company_name: str = ""
    phone: str = ""
    currency: str | None = None             # the organization's, if given at all
    billing_address: Address | None = None
    shipping_address: Address | None = None
    contacts: tuple[NewContact, ...] = ()
    custom_fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CustomerChanges:
    """The merchant's changes to a customer's details; `custom_fields` names only the keys to change,
    `tax_ids` (kind, number) are all of them."""
    display_name: str | None = None
    email: str | None = None
    company_name: str | None = None
    phone: str | None = None
    billing_address: Address | None = None
    shipping_address: Address | None = None
    custom_fields: Mapping[str, Any] | None = None
    tax_ids: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class ContactChanges:
    """The signed-in contact's own details to change."""
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ProfileChanges:
    """What the contact asks to change in the portal."""
    contact: ContactChanges | None = None
    billing_address: Address | None = None
    shipping_address: Address | None = None
    custom_fields: Mapping[str, Any] | None = None   # only the keys to change; null clears one
    current_password: str | None = None              # needed to change the sign-in email

    @property
    def changes_the_account(self) -> bool:
        """Whether it changes the account's parts (addresses, custom fields), not only the contact's own."""
        return any(part is not None for part in (self.billing_address, self.shipping_address, self.custom_fields))


def given(changes) -> dict[str, Any]:
    """The parts of a changes value that are set (not None), by name."""
    return {name: value for name, value in vars(changes).items() if value is not None}
