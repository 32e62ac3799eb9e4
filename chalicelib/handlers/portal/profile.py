"""My details: contact, addresses and the custom fields shown in the portal; my account's
contact persons."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint
from pydantic import Field

from ... import bootstrap
from ...bootstrap import services
from ...domain.customers import Address
from ...services.inputs import ProfileChanges
from ..credentials import portal_session
from ..http import Body, Routes
from ..schemas import AddressBody, Email, Name


bp = Blueprint(__name__)
api = Routes(bp, "portal", portal_session)


class ContactChanges(Body):
    first_name: Name | None = None
    last_name: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=40)
    email: Email | None = None


class ProfilePatch(Body):
    contact: ContactChanges | None = None
    billing_address: AddressBody | None = None
    shipping_address: AddressBody | None = None
    custom_fields: dict[str, Any] | None = Field(default=None, max_length=50)
    current_password: str | None = Field(default=None, max_length=1024)

    def changes(self) -> ProfileChanges:
        def address(part: AddressBody | None) -> Address | None:
            return Address(**part.model_dump()) if part is not None else None
        return ProfileChanges(
            contact=self.contact.model_dump(exclude_none=True) if self.contact else None,
            billing_address=address(self.billing_address), shipping_address=address(self.shipping_address),
            custom_fields=self.custom_fields, current_password=self.current_password)


@api.route("/portal/profile", response="Profile")
def get_profile():
    """My contact details, my account's addresses and custom fields, and whether I may edit them."""
    caller = api.customer()
    return services().accounts.profile(caller.org_id, caller.customer_id, caller.contact_id)


@api.route("/portal/profile", "PATCH", body=ProfilePatch, response="Profile")
def update_profile(body: ProfilePatch):
    """Change my details; a new sign-in email needs current_password and takes effect once the link
    emailed to it is confirmed (pending_email). Every change is in the activity."""
    caller = api.customer()
    return services().accounts.update_profile(caller.org_id, caller.customer_id, caller.contact_id, caller.session_id,
                                              body.changes(), bootstrap.now())


@api.route("/portal/contacts", response="ContactList")
def list_contacts():
    """My account's contact persons (to forward documents to)."""
    caller = api.customer()
    return {"items": services().accounts.contacts(caller.org_id, caller.customer_id)}
