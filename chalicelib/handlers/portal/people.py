"""The people of my account (the owner's): who has access to the portal and with which role;
inviting someone, changing their role, removing their access (docs/security.md "Roles")."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ... import bootstrap
from ...bootstrap import services
from ..answer_floor import held_to_the_floor
from ..credentials import portal_session
from ..http import Body, Routes
from ..schemas import Email, Name

if TYPE_CHECKING:   # built by the body when a request comes, not at `import app`
    from ...services.access.commands import NewPerson, Proof

api = Routes("portal", portal_session)

GivenRole = Literal["billing", "viewer"]   # the owner is the primary contact, never given


class PersonBody(Body):
    first_name: Name
    last_name: str = Field(default="", max_length=120)
    email: Email
    role: GivenRole
    # the colleague's account outlives this session: a session alone invites no one (none for an
    # account without a password: a session just begun stands in for it)
    current_password: str | None = Field(default=None, min_length=1, max_length=1024)

    def person(self) -> NewPerson:
        from ...services.access.commands import NewPerson
        return NewPerson(self.first_name, self.email, self.role, self.last_name)

    def proof(self, login: str, session_id: str) -> Proof:
        from ...services.access.commands import Proof
        return Proof(login, session_id, self.current_password)


class RoleBody(Body):
    role: GivenRole


def _answer(person) -> dict:
    from ..responses.accounts import PortalPerson
    return PortalPerson.of(person).model_dump()


@api.route("/portal/people", response="PeopleList")
def list_people():
    """The people of my account, each with their role and whether they signed in yet (owner only)."""
    from ..responses.accounts import PeopleList
    caller = api.customer()
    return PeopleList.of(services().access.people(caller.org_id, caller.customer)).model_dump()


@api.route("/portal/people", "POST", body=PersonBody, status=201, response="PortalPerson")
def invite_person(body: PersonBody):
    """Give someone access with a role (billing or viewer): a contact with the email is given it,
    else one is added, and an invitation is emailed unless they have an account already; sending
    the same request again sends the invitation again (owner only). An address that signs in or is
    invited for someone else is answered alike, in body and time, and sent nothing. Only with the
    owner's `current_password` (a wrong one counts as a failed sign-in; an account without a password:
    a sign-in under 10 minutes old, else 403 fresh_sign_in_needed)."""
    caller = api.customer()
    with held_to_the_floor():   # whether the address signs in for someone else must not show in its time
        person = services().access.invite_person(caller.org_id, caller.customer_id, caller.contact_id,
                                                 body.person(), body.proof(caller.login, caller.session_id),
                                                 bootstrap.now())
    return _answer(person)


@api.route("/portal/people/{contact_id}", "PATCH", body=RoleBody, response="PortalPerson")
def change_role(contact_id: str, body: RoleBody):
    """Change someone's role; their sessions end at once. The owner's own role does not change
    (422 owner_role_fixed). Owner only."""
    caller = api.customer()
    return _answer(services().access.change_role(caller.org_id, caller.customer_id, caller.contact_id, contact_id,
                                                 body.role, bootstrap.now()))


@api.route("/portal/people/{contact_id}", "DELETE", status=204)
def remove_person(contact_id: str):
    """Remove someone's access: they cannot sign in any more and their sessions end at once; they stay
    a contact of the account. The owner cannot remove themself (422 owner_role_fixed). Owner only."""
    caller = api.customer()
    services().access.remove_person(caller.org_id, caller.customer_id, caller.contact_id, contact_id, bootstrap.now())
