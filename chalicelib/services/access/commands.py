"""What the merchant's access use cases are asked with: frozen values the handlers build from the
validated request, importable without any use case, table or gateway (`import app` loads them)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...domain.customers import Address, CustomFieldDefinition
from ...domain.preferences import DunningSettings, Preferences


@dataclass(frozen=True)
class OrganizationChanges:
    """The merchant's changes to its organization; None leaves a setting as it is. The time zone and
    test mode change only before the first subscription."""
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    payment_terms_days: int | None = None
    time_zone: str | None = None
    test_mode: bool | None = None
    preferences: Preferences | None = None
    dunning: DunningSettings | None = None
    custom_fields: tuple[CustomFieldDefinition, ...] | None = None
    locale: str | None = None        # how emails and PDFs write money and days for a contact never seen
    portal_name: str | None = None          # the portal's address; its rules: domain/portal_address.py
    address: Address | None = None          # the merchant's postal address, printed on every document

    def given(self) -> dict[str, Any]:
        """The settings to change, by name."""
        return {name: value for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class NewPerson:
    """Someone the account's owner gives access to the portal, with a role (billing or viewer)."""
    first_name: str
    email: str
    role: str
    last_name: str = ""


@dataclass(frozen=True)
class Proof:
    """How a signed-in portal account proves it is still itself for a change that outlives its session
    (docs/security.md "Fresh proof of identity"): its current password, or, for an account without
    one, a session (`session_id`) begun less than FRESH_SIGN_IN ago."""
    login: str
    session_id: str
    current_password: str | None = None
