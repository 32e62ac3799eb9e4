"""Who may do what: portal sign-in, sessions, invitations and passwords; merchant API keys and the
organizations they open."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime
    from typing import Callable

    from ...domain.customers import Address, Customer
    from ...domain.organization import Organization
    from ...tables.portal_users import PortalUser
    from ...tables.audit_log import AuditEntry
    from ...tables.merchant_users import MerchantUser
    from ...tables.pages import Page
    from .action_links import Destination, MadeActionLink
    from .actors import MerchantActor
    from .console_auth import ConsoleSignIn, MerchantIdentity
    from .commands import OrganizationChanges
    from .me import Me
    from .people import Person
    from .commands import NewPerson, Proof
    from .passkeys import Listed
    from .portal_auth import Invitation
    from .second_factor import Challenge, Enrolment, SecondFactorSignIn, SecondFactorState
    from .sessions import Identity, SignedIn


class Access:
    """Access's use cases, one method each. Each imports its module when called, so that `import app`
    loads none of them."""

    def __init__(self, adapters):
        self._adapters = adapters

    # the portal

    def login(self, org_id: str, email: str, password: str, now: datetime, *,
              source_ip: str) -> SignedIn | Challenge:
        from .portal_auth import login
        return login(self._adapters, org_id, email, password, now, source_ip=source_ip)

    def complete_sign_in(self, org_id: str, challenge: str, code: str, now: datetime, *,
                         source_ip: str) -> SecondFactorSignIn:
        from .second_factor import complete_sign_in
        return complete_sign_in(self._adapters, org_id, challenge, code, now, source_ip=source_ip)

    def enrol_at_sign_in(self, org_id: str, challenge: str, now: datetime) -> Enrolment:
        from .second_factor import enrol_at_sign_in
        return enrol_at_sign_in(self._adapters, org_id, challenge, now)

    def second_factor(self, org: Organization, login: str) -> SecondFactorState:
        from .second_factor import state
        return state(self._adapters, org, login)

    def start_second_factor(self, org_id: str, login: str, current_password: str | None, now: datetime, *,
                            session_id: str | None = None) -> Enrolment:
        from .second_factor import start_enrolment
        return start_enrolment(self._adapters, org_id, login, current_password, now, session_id=session_id)

    def confirm_second_factor(self, org_id: str, login: str, code: str, now: datetime) -> tuple[str, ...]:
        from .second_factor import confirm_enrolment
        return confirm_enrolment(self._adapters, org_id, login, code, now)

    def disable_second_factor(self, org_id: str, login: str, current_password: str | None, code: str,
                              now: datetime, *, session_id: str | None = None) -> None:
        from .second_factor import disable
        return disable(self._adapters, org_id, login, current_password, code, now, session_id=session_id)

    def logout(self, session_id: str) -> None:
        from .portal_auth import logout
        return logout(self._adapters, session_id)

    def authenticate(self, token: str, now: datetime | None = None, *, ahead=None) -> Identity | None:
        from .sessions import authenticate
        return authenticate(self._adapters, token, now, ahead=ahead)

    def me(self, org: Organization, customer: Customer, contact_id: str, role: str) -> Me:
        from .me import me
        return me(self._adapters, org, customer, contact_id, role)

    def invite(self, org_id: str, customer_id: str, contact_id: str, now: datetime) -> Invitation:
        from .portal_auth import invite
        return invite(self._adapters, org_id, customer_id, contact_id, now)

    def accept_invite(self, org_id: str, token: str, password: str | None, now: datetime) -> SignedIn | Challenge:
        from .portal_auth import accept_invite
        return accept_invite(self._adapters, org_id, token, password, now)

    def create_portal_user(self, org_id: str, *, customer_id: str, contact_id: str, password: str,
                           now: datetime) -> PortalUser:
        from .portal_auth import create_portal_user
        return create_portal_user(self._adapters, org_id, customer_id=customer_id, contact_id=contact_id,
                                  password=password, now=now)

    def record_portal_access(self, org_id: str) -> int:
        from .portal_accounts import record_all
        return record_all(self._adapters, org_id)

    def change_password(self, org_id: str, login: str, session_id: str, current_password: str | None,
                        new_password: str, now: datetime) -> int:
        from .portal_auth import change_password
        return change_password(self._adapters, org_id, login, session_id, current_password, new_password, now)

    def forgot_password(self, org_id: str, email: str, now: datetime, *, source_ip: str) -> None:
        from .portal_auth import forgot_password
        return forgot_password(self._adapters, org_id, email, now, source_ip=source_ip)

    def request_sign_in_link(self, org_id: str, email: str, now: datetime, *, source_ip: str) -> None:
        from .sign_in_links import request_link
        return request_link(self._adapters, org_id, email, now, source_ip=source_ip)

    def redeem_sign_in_link(self, org_id: str, token: str, now: datetime, *, source_ip: str) -> SignedIn | Challenge:
        from .sign_in_links import redeem
        return redeem(self._adapters, org_id, token, now, source_ip=source_ip)

    def passkey_registration_options(self, org_id: str, login: str, current_password: str | None, now: datetime,
                                     *, session_id: str | None = None) -> dict:
        from .passkeys import registration_options
        return registration_options(self._adapters, org_id, login, current_password, now, session_id=session_id)

    def register_passkey(self, org_id: str, login: str, name: str, credential: dict, now: datetime) -> Listed:
        from .passkeys import register
        return register(self._adapters, org_id, login, name, credential, now)

    def passkeys(self, org: Organization, customer_id: str, contact_id: str) -> list[Listed]:
        from .passkeys import listing
        return listing(self._adapters, org, customer_id, contact_id)

    def remove_passkey(self, org_id: str, login: str, passkey_id: str) -> None:
        from .passkeys import remove
        return remove(self._adapters, org_id, login, passkey_id)

    def passkey_sign_in_options(self, org_id: str, now: datetime, *, source_ip: str) -> dict:
        from .passkeys import sign_in_options
        return sign_in_options(self._adapters, org_id, now, source_ip=source_ip)

    def sign_in_with_passkey(self, org_id: str, credential: dict, now: datetime, *, source_ip: str) -> SignedIn:
        from .passkeys import sign_in
        return sign_in(self._adapters, org_id, credential, now, source_ip=source_ip)

    def reset_password(self, org_id: str, token: str, new_password: str, now: datetime) -> None:
        from .portal_auth import reset_password
        return reset_password(self._adapters, org_id, token, new_password, now)

    def people(self, org_id: str, customer: Customer) -> list[Person]:
        from .people import people
        return people(self._adapters, org_id, customer)

    def invite_person(self, org_id: str, customer_id: str, by: str, new: NewPerson, proof: Proof,
                      now: datetime) -> Person:
        from .people import invite_person
        return invite_person(self._adapters, org_id, customer_id, by, new, proof, now)

    def change_role(self, org_id: str, customer_id: str, by: str, contact_id: str, role: str,
                    now: datetime) -> Person:
        from .people import change_role
        return change_role(self._adapters, org_id, customer_id, by, contact_id, role, now)

    def remove_person(self, org_id: str, customer_id: str, by: str, contact_id: str, now: datetime) -> None:
        from .people import remove_person
        return remove_person(self._adapters, org_id, customer_id, by, contact_id, now)

    def redeem_action_link(self, org_id: str, customer_id: str, session_id: str, token: str,
                           now: datetime, *, may_act: Callable[[str], bool] = lambda action: True) -> Destination:
        from .action_links import redeem
        return redeem(self._adapters, org_id, customer_id, session_id, token, now, may_act=may_act)

    # merchants

    def create_action_link(self, org_id: str, customer_id: str, *, action: str, target_id: str | None, days: int,
                           now: datetime) -> MadeActionLink:
        from .action_links import create
        return create(self._adapters, org_id, customer_id, action, target_id, days, now)


    def org_for_api_key(self, api_key: str, ahead=None) -> str | None:
        from .merchant_access import org_for_api_key
        return org_for_api_key(self._adapters, api_key, ahead)

    def create_organization(self, *, name: str, email: str, currency: str, now: datetime, test_mode: bool = False,
                            phone: str = "", website: str = "", address: Address | None = None,
                            org_id: str | None = None, time_zone: str = "UTC") -> tuple[Organization, str]:
        from .merchant_access import create_organization
        return create_organization(self._adapters, name=name, email=email, currency=currency, now=now,
                                   test_mode=test_mode, phone=phone, website=website, address=address,
                                   org_id=org_id, time_zone=time_zone)

    def issue_api_key(self, org_id: str, *, name: str, now: datetime) -> str:
        from .merchant_access import issue_api_key
        return issue_api_key(self._adapters, org_id, name=name, now=now)

    def organization(self, org_id: str) -> Organization:
        from .merchant_access import get_organization
        return get_organization(self._adapters, org_id)

    def organization_for_portal(self, portal_name: str) -> Organization:
        from .merchant_access import organization_for_portal
        return organization_for_portal(self._adapters, portal_name)

    def update_organization(self, org_id: str, changes: OrganizationChanges,
                            now: datetime | None = None) -> Organization:
        from .merchant_access import update_organization
        return update_organization(self._adapters, org_id, changes, now)

    # the merchant console: its users and their sessions

    def create_merchant_user(self, org_id: str, *, email: str, role: str, password: str, name: str,
                             now: datetime, by: MerchantActor, current_password: str | None = None) -> MerchantUser:
        from .console_auth import create_user
        return create_user(self._adapters, org_id, email=email, role=role, password=password, name=name, now=now,
                           by=by, current_password=current_password)

    def change_merchant_user(self, org_id: str, user_id: str, *, role: str | None, status: str | None,
                             now: datetime, by: MerchantActor,
                             current_password: str | None = None) -> MerchantUser:
        from .console_auth import change_user
        return change_user(self._adapters, org_id, user_id, role=role, status=status, now=now, by=by,
                           current_password=current_password)

    def merchant_users(self, org_id: str) -> list[MerchantUser]:
        from .console_auth import users
        return users(self._adapters, org_id)

    def console_login(self, org_id: str, email: str, password: str, now: datetime, *,
                      source_ip: str) -> SignedIn | Challenge:
        from .console_auth import login
        return login(self._adapters, org_id, email, password, now, source_ip=source_ip)

    def console_complete_sign_in(self, org_id: str, challenge: str, code: str, now: datetime, *,
                                 source_ip: str) -> ConsoleSignIn:
        from .console_auth import complete_sign_in
        return complete_sign_in(self._adapters, org_id, challenge, code, now, source_ip=source_ip)

    def console_forgot_password(self, org_id: str, email: str, now: datetime, *, source_ip: str) -> None:
        from .console_auth import forgot_password
        return forgot_password(self._adapters, org_id, email, now, source_ip=source_ip)

    def console_reset_password(self, org_id: str, token: str, new_password: str, now: datetime) -> None:
        from .console_auth import reset_password
        return reset_password(self._adapters, org_id, token, new_password, now)

    def console_authenticate(self, token: str, now: datetime | None = None, *, ahead=None) -> MerchantIdentity | None:
        from .console_auth import authenticate
        return authenticate(self._adapters, token, now, ahead=ahead)

    def console_logout(self, session_id: str) -> None:
        from .console_auth import logout
        return logout(self._adapters, session_id)

    def console_account(self, caller: MerchantIdentity) -> tuple[MerchantUser, Organization]:
        from .console_auth import account
        return account(self._adapters, caller)

    def console_change_password(self, caller: MerchantIdentity, current_password: str, new_password: str,
                                now: datetime) -> int:
        from .console_auth import change_password
        return change_password(self._adapters, caller, current_password, new_password, now)

    def console_start_second_factor(self, caller: MerchantIdentity, current_password: str,
                                    now: datetime) -> Enrolment:
        from .console_auth import start_second_factor
        return start_second_factor(self._adapters, caller, current_password, now)

    def console_confirm_second_factor(self, caller: MerchantIdentity, code: str, now: datetime) -> tuple[str, ...]:
        from .console_auth import confirm_second_factor
        return confirm_second_factor(self._adapters, caller, code, now)

    def console_disable_second_factor(self, caller: MerchantIdentity, current_password: str, code: str,
                                      now: datetime) -> None:
        from .console_auth import disable_second_factor
        return disable_second_factor(self._adapters, caller, current_password, code, now)

    # the audit log of the admin API's changes

    def begin_audit(self, org_id: str, *, actor_type: str, actor_id: str, actor_email: str, action: str,
                    target_id: str, fields: dict, now: datetime) -> None:
        from .audit import begin
        return begin(self._adapters, org_id, actor_type=actor_type, actor_id=actor_id, actor_email=actor_email,
                     action=action, target_id=target_id, fields=fields, now=now)

    def settle_audit(self) -> None:
        from .audit import settle
        return settle(self._adapters)

    def forget_audit(self) -> None:
        from .audit import forget
        return forget(self._adapters)

    def audit_log(self, org_id: str, *, start: datetime, end: datetime, limit: int,
                  cursor: str | None) -> Page[AuditEntry]:
        from .audit import page
        return page(self._adapters, org_id, start=start, end=end, limit=limit, cursor=cursor)

    def set_logo(self, org_id: str, data: bytes) -> Organization:
        from .logos import set_logo
        return set_logo(self._adapters, org_id, data)

    def remove_logo(self, org_id: str) -> Organization:
        from .logos import remove_logo
        return remove_logo(self._adapters, org_id)

    def logo(self, org_id: str, version: str) -> bytes | None:
        from .logos import logo
        return logo(self._adapters, org_id, version)
