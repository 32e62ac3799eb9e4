"""My details: contact, addresses and the custom fields shown in the portal; my account's
contact persons."""
from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from pydantic import Field

from ... import bootstrap
from ...bootstrap import services
from ..answer_floor import held_to_the_floor
from ..credentials import portal_session
from ..http import Body, Routes
from ..schemas import AddressBody, Email, Name, address_of

if TYPE_CHECKING:   # built by the bodies when a request comes, not at `import app`
    from ...services.accounts import commands


api = Routes("portal", portal_session)


class ContactChanges(Body):
    first_name: Name | None = None
    last_name: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=40)
    email: Email | None = None

    def changes(self) -> commands.ContactChanges:
        from ...services.accounts import commands
        return commands.ContactChanges(self.first_name, self.last_name, self.phone, self.email)


class ProfilePatch(Body):
    contact: ContactChanges | None = None
    billing_address: AddressBody | None = None
    shipping_address: AddressBody | None = None
    custom_fields: dict[str, Any] | None = Field(default=None, max_length=50)
    current_password: str | None = Field(default=None, max_length=1024)

    def changes(self) -> commands.ProfileChanges:
        from ...services.accounts import commands
        return commands.ProfileChanges(
            contact=self.contact.changes() if self.contact else None,
            billing_address=address_of(self.billing_address), shipping_address=address_of(self.shipping_address),
            custom_fields=self.custom_fields, current_password=self.current_password)

    def changes_email(self) -> bool:
        return bool(self.contact and self.contact.email)


@api.route("/portal/profile", response="Profile")
def get_profile():
    """My contact details, my account's addresses and custom fields, and whether I may edit them."""
    from ..responses.accounts import Profile   # on the first answer, not at `import app`
    caller = api.customer()
    return Profile.of(services().accounts.profile(caller.org, caller.customer, caller.contact_id)).model_dump()


@api.route("/portal/profile", "PATCH", body=ProfilePatch, response="Profile")
def update_profile(body: ProfilePatch):
    """Change my details; a new sign-in email needs current_password and takes effect once the link
    emailed to it is confirmed (pending_email). Every change is in the activity."""
    from ..responses.accounts import Profile
    caller = api.customer()
    # whether the new sign-in email is another account's must not show, in the answer or its time
    with held_to_the_floor() if body.changes_email() else nullcontext():
        details = services().accounts.update_profile(caller.org, caller.customer_id, caller.contact_id,
                                                     caller.session_id, body.changes(), bootstrap.now(),
                                                     role=caller.role)
    return Profile.of(details).model_dump()


@api.route("/portal/contacts", response="ContactList")
def list_contacts():
    """My account's contact persons (to forward documents to)."""
    from ..responses.accounts import ContactList
    caller = api.customer()
    return ContactList.of(services().accounts.contacts(caller.customer)).model_dump()
