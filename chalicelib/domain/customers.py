"""A merchant's customer: details, contact persons, addresses and custom fields."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from .errors import BusinessRuleViolation, InvalidInput, NotFound
from .tax_ids import TaxId


@dataclass(frozen=True)
class Address:
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""   # ISO 3166-1 alpha-2

    def lines(self) -> tuple[str, ...]:
        """The address as its country's post writes it (docs/billing.md "Addresses on documents")."""
        return tuple(p for p in (self.line1, self.line2, *self._locality_lines(), self.country) if p)

    def _locality_lines(self) -> tuple[str, ...]:
        """Town, region and postcode as the country's post writes them; postcode first by default."""
        style = LOCALITY_STYLES.get(self.country.upper())
        if style in (TOWN_COMMA_REGION_POSTCODE, TOWN_REGION_POSTCODE):
            between = ", " if style == TOWN_COMMA_REGION_POSTCODE and self.city and self.state else " "
            return (_words(between.join(p for p in (self.city, self.state) if p), self.postal_code),)
        if style == TOWN_THEN_POSTCODE_LINE:
            return (self.city, self.state, self.postal_code)
        return (_words(self.postal_code, self.city, self.state),)


def _words(*parts: str) -> str:
    return " ".join(p for p in parts if p)


TOWN_COMMA_REGION_POSTCODE = "San Francisco, CA 94105"
TOWN_REGION_POSTCODE = "Sydney NSW 2000"
TOWN_THEN_POSTCODE_LINE = "London\nSW1A 1AA"
# Countries whose post writes the town before the postcode; any other: "10115 Berlin" (region after).
LOCALITY_STYLES = {"US": TOWN_COMMA_REGION_POSTCODE, "CA": TOWN_REGION_POSTCODE, "AU": TOWN_REGION_POSTCODE,
                   "NZ": TOWN_REGION_POSTCODE,
                   "GB": TOWN_THEN_POSTCODE_LINE, "IE": TOWN_THEN_POSTCODE_LINE}


PORTAL_ROLES = ("owner", "billing", "viewer")     # each may do less than the one before
REMOVED = "removed"
# what sessions begun before portal roles recorded, as the roles they had then
_ROLES_BEFORE_ROLES = {"primary": "owner", "contact": "billing"}


def lesser_role(at_sign_in: str, now: str | None) -> str | None:
    """The role a session acts with: the lesser of the one it was given at sign-in and the one the
    customer's contacts give now (None: no access now). A change of role ends the person's sessions,
    so the two differ only while the customer's item, read eventually consistent, is a moment old:
    such a read never gives a session more than it was given."""
    if now is None:
        return None
    given = _ROLES_BEFORE_ROLES.get(at_sign_in, at_sign_in)
    return max(given, now, key=PORTAL_ROLES.index) if given in PORTAL_ROLES else now
# The most contact persons a customer has: what the merchant may give one, and what the account's
# owner may add (each contact is part of the customer's item, read on every portal request)
MOST_CONTACTS = 50


@dataclass(frozen=True)
class Contact:
    contact_id: str
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    is_primary: bool = False
    locale: str = ""            # how their browser writes money and days (domain/locales.py); "" not seen yet
    # what they may do in the portal: billing | viewer | removed. The primary contact is always the
    # owner; "" is a contact invited before roles were, who keeps paying: billing (docs/security.md "Roles")
    portal_role: str = ""
    # an address the account's owner typed in (`POST /portal/people`) that its mailbox has not proven
    # yet by accepting its invitation: no document is forwarded there (docs/security.md "Forwarding")
    email_unconfirmed: bool = False

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def role_in_portal(self) -> str | None:
        """owner, billing or viewer; None once the owner (or the merchant) removed their access."""
        if self.is_primary:
            return "owner"
        if self.portal_role == REMOVED:
            return None
        return self.portal_role or "billing"


FieldType = Literal["text", "number", "date", "boolean", "email", "url", "dropdown"]


@dataclass(frozen=True)
class CustomFieldDefinition:
    """Declared per organization; `show_in_portal` lets customers see and edit it."""
    key: str
    label: str
    type: FieldType = "text"
    options: tuple[str, ...] = ()   # for dropdown
    show_in_portal: bool = False
    required: bool = False


@dataclass(frozen=True)
class BilledTo:
    """Whom documents were addressed to until `until`: the customer's name, company, billing
    email, address and tax IDs as they were before a change."""
    display_name: str
    company_name: str
    email: str
    billing_address: Address
    until: datetime
    tax_ids: tuple[TaxId, ...] = ()     # none kept before tax IDs were: none printed then


@dataclass(frozen=True)
class Customer:
    customer_id: str
    display_name: str
    email: str
    currency: str
    company_name: str = ""
    phone: str = ""
    billing_address: Address = field(default_factory=Address)
    shipping_address: Address = field(default_factory=Address)
    contacts: tuple[Contact, ...] = ()
    custom_fields: dict = field(default_factory=dict)
    tax_ids: tuple[TaxId, ...] = ()
    gateway_customer_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # who documents were addressed to before each change, oldest first: a document prints the
    # recipient as it was when it was issued (billed_to_at)
    billing_history: tuple[BilledTo, ...] = ()
    # the status of each contact's portal account (invited, active, disabled), by contact_id, for the
    # contacts that have one; written with every change of an account. None: not recorded on this
    # customer (stored before it was kept here): the accounts themselves say (docs/deploy.md)
    portal_accounts: dict[str, str] | None = None
    version: int | None = None

    @property
    def primary_contact(self) -> Contact | None:
        return next((c for c in self.contacts if c.is_primary), None)

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.contact_id == contact_id), None)

    def portal_role_of(self, contact_id: str) -> str | None:
        """What the contact may do in the portal now; None if they are gone or their access was removed."""
        contact = self.contact(contact_id)
        return None if contact is None else contact.role_in_portal

    def contact_by_email(self, email: str) -> Contact | None:
        wanted = email.strip().lower()
        return next((c for c in self.contacts if c.email.strip().lower() == wanted), None)

    def with_portal_role(self, contact_id: str, role: str) -> "Customer":
        """The customer with the contact's portal role set to billing, viewer or removed. The owner's
        is the primary contact's and never changes this way (422 owner_role_fixed); the contacts keep their order."""
        contact = self.contact(contact_id)
        if contact is None:
            raise NotFound("contact")
        if contact.is_primary:
            raise BusinessRuleViolation("The owner of the account keeps every right; their role does not change.",
                                        "owner_role_fixed")
        return replace(self, contacts=tuple(replace(c, portal_role=role) if c is contact else c
                                            for c in self.contacts))

    def portal_access_of(self, contact_id: str) -> str:
        """Where the contact stands with the portal: none (no account), invited, active or disabled.
        Only for a customer whose accounts are recorded (`portal_accounts` not None)."""
        return self.portal_accounts.get(contact_id, "none")

    def with_portal_account(self, contact_id: str, status: str | None) -> "Customer":
        """The customer recording that the contact's account is now `status` (None: the contact has
        none, e.g. it went to another contact). Only for a customer whose accounts are recorded."""
        accounts = {held: kept for held, kept in self.portal_accounts.items() if held != contact_id}
        if status is not None:
            accounts[contact_id] = status
        contacts = self.contacts
        if status == "active":   # signed in from the link mailed to its address: the address is proven
            contacts = tuple(replace(c, email_unconfirmed=False) if c.contact_id == contact_id else c for c in contacts)
        return replace(self, portal_accounts=accounts, contacts=contacts)

    @property
    def document_recipients(self) -> tuple[Contact, ...]:
        """The contacts documents may be forwarded to: each but those at an address nobody has proven."""
        return tuple(c for c in self.contacts if not c.email_unconfirmed)

    def billed_to(self, until: datetime) -> BilledTo:
        return BilledTo(self.display_name, self.company_name, self.email, self.billing_address, until,
                        self.tax_ids)

    def billed_to_at(self, issued_at: datetime) -> "Customer":
        """The customer as a document issued at `issued_at` addresses it: its name, company, email,
        billing address and tax IDs then. A document issued before the history began reads the oldest
        entry kept (or the customer as it is)."""
        then = next((entry for entry in self.billing_history if issued_at < entry.until), None)
        if then is None:
            return self
        return replace(self, display_name=then.display_name, company_name=then.company_name, email=then.email,
                       billing_address=then.billing_address, tax_ids=then.tax_ids)

    def keeping_billing_history(self, before: "Customer", now: datetime) -> "Customer":
        """This customer (changed from `before` at `now`) remembering whom documents were addressed
        to until now, if that changed."""
        if before.billed_to(now) == self.billed_to(now):
            return self
        return replace(self, billing_history=before.billing_history + (before.billed_to(now),))

    def with_contact(self, contact: Contact) -> "Customer":
        """Add or replace a contact; a new primary contact demotes the old one."""
        others = tuple(
            replace(c, is_primary=False) if contact.is_primary else c
            for c in self.contacts if c.contact_id != contact.contact_id
        )
        contacts = others + (contact,)
        if not any(c.is_primary for c in contacts):
            contacts = (replace(contacts[0], is_primary=True),) + contacts[1:]
        return replace(self, contacts=contacts)


def validate_custom_fields(values: dict, definitions: tuple[CustomFieldDefinition, ...],
                           *, portal: bool) -> dict:
    """Check custom field values against their definitions; from the portal only
    show-in-portal fields may be set. Returns the values normalised."""
    by_key = {d.key: d for d in definitions if d.show_in_portal or not portal}
    errors, codes, clean = {}, {}, {}
    for key, value in values.items():
        definition = by_key.get(key)
        path = f"custom_fields.{key}"
        if definition is None:
            errors[path] = "Unknown field."
            codes[path] = "unknown_field"
            continue
        problem = _custom_field_problem(definition, value)
        if problem:
            errors[path] = problem
        else:
            clean[key] = value
    if errors:
        raise InvalidInput(errors, codes=codes)
    return clean


def _custom_field_problem(definition: CustomFieldDefinition, value) -> str | None:
    if value is None:
        return "This field is required." if definition.required else None
    kind = definition.type
    if kind == "boolean":
        return None if isinstance(value, bool) else "Must be true or false."
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else "Must be a number."
    if not isinstance(value, str) or len(value) > 500:
        return "Must be text of at most 500 characters."
    if kind == "email" and ("@" not in value or value.startswith("@") or value.endswith("@")):
        return "Must be an email address."
    if kind == "url" and not value.startswith(("https://", "http://")):
        return "Must be a web address starting with https://."
    if kind == "date":
        try:
            datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            return "Must be a date (YYYY-MM-DD)."
    if kind == "dropdown" and value not in definition.options:
        return f"Must be one of: {', '.join(definition.options)}."
    return None
