"""The merchant's organization: portal preferences and billing settings."""
from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ... import bootstrap
from ...bootstrap import services
from ...domain.customers import CustomFieldDefinition
from ...domain.errors import InvalidInput
from ...domain.preferences import DunningSettings, Preferences
from ..credentials import merchant_key
from ..http import Body, Routes
from ..schemas import AddressBody, Code, Email, Link, Locale, Name, TimeZone, address_of

if TYPE_CHECKING:   # built by the bodies when a request comes, not at `import app`
    from ...services.access.commands import OrganizationChanges


api = Routes("merchant", merchant_key)


class PreferencesBody(Body):
    """Every preference; omitted ones take the reference defaults."""
    preferences: Preferences


class CustomFieldBody(Body):
    key: Code
    label: Name
    type: Literal["text", "number", "date", "boolean", "email", "url", "dropdown"] = "text"
    options: list[Name] = Field(default_factory=list, max_length=50)
    show_in_portal: bool = False
    required: bool = False

    def definition(self) -> CustomFieldDefinition:
        return CustomFieldDefinition(self.key, self.label, self.type, tuple(self.options), self.show_in_portal,
                                     self.required)


class SettingsBody(Body):
    name: Name | None = None
    email: Email | None = None
    phone: str | None = Field(default=None, max_length=40)
    website: Link | None = None
    payment_terms_days: int | None = Field(default=None, ge=0, le=365)
    time_zone: TimeZone | None = None
    locale: Locale | None = None      # how emails and PDFs write money and days for a contact never seen
    portal_name: str | None = Field(default=None, max_length=100)   # its rules: domain/portal_address.py
    postal_address: AddressBody | None = None     # printed under the merchant's name on every document
    dunning: DunningSettings | None = None
    custom_fields: list[CustomFieldBody] | None = Field(default=None, max_length=50)
    test_mode: bool | None = None

    def changes(self) -> OrganizationChanges:
        fields = None if self.custom_fields is None else tuple(f.definition() for f in self.custom_fields)
        from ...services.access.commands import OrganizationChanges
        return OrganizationChanges(self.name, self.email, self.phone, self.website, self.payment_terms_days,
                                   self.time_zone, self.test_mode, dunning=self.dunning, custom_fields=fields,
                                   portal_name=self.portal_name, locale=self.locale,
                                   address=address_of(self.postal_address))


@api.route("/admin/organization", response="Organization", reads_ahead=("organization",))
def get_organization():
    """The organization's details and settings."""
    from ..responses.accounts import Organization   # on the first answer, not at `import app`
    return Organization.of(services().access.organization(api.merchant().org_id)).model_dump()


@api.route("/admin/organization", "PATCH", body=SettingsBody, response="Organization")
def update_organization(body: SettingsBody):
    """Change details, dunning, custom field definitions, the portal's name (its address, unique), or the
    time zone and test mode (both before the first subscription)."""
    from ..responses.accounts import Organization
    changed = services().access.update_organization(api.merchant().org_id, body.changes(), bootstrap.now())
    return Organization.of(changed).model_dump()


class LogoBody(Body):
    """A PNG (at most 32 KiB, 16 to 1024 pixels a side), base64-encoded."""
    png_base64: str = Field(min_length=1, max_length=60_000)   # the bytes are checked by domain/logos.py


@api.route("/admin/organization/logo", "PUT", body=LogoBody, response="Organization")
def put_logo(body: LogoBody):
    """Set the organization's logo, shown in the portal's header and on emails (not on PDFs: see
    docs/billing.md): a PNG (no SVG: it can carry scripts), checked as an image, served from the portal itself."""
    try:
        data = base64.b64decode(body.png_base64, validate=True)
    except ValueError:    # binascii.Error, or characters outside ASCII
        raise InvalidInput({"png_base64": "Not base64."}, codes={"png_base64": "format"}) from None
    from ..responses.accounts import Organization
    return Organization.of(services().access.set_logo(api.merchant().org_id, data)).model_dump()


@api.route("/admin/organization/logo", "DELETE", response="Organization")
def delete_logo():
    """Remove the organization's logo."""
    from ..responses.accounts import Organization
    return Organization.of(services().access.remove_logo(api.merchant().org_id)).model_dump()


@api.route("/admin/preferences", response="PortalPreferences", reads_ahead=("organization",))
def get_preferences():
    """Customer Portal Preferences."""
    from ..responses.accounts import PortalPreferences
    return PortalPreferences.of(services().access.organization(api.merchant().org_id)).model_dump()


@api.route("/admin/preferences", "PUT", body=PreferencesBody, response="PortalPreferences")
def put_preferences(body: PreferencesBody):
    """Replace the Customer Portal Preferences."""
    from ...services.access.commands import OrganizationChanges
    from ..responses.accounts import PortalPreferences
    changes = OrganizationChanges(preferences=body.preferences)
    return PortalPreferences.of(services().access.update_organization(api.merchant().org_id, changes)).model_dump()
