"""Passkeys: a signed-in contact adds, names, lists and removes them; anyone signs in with one
(a discoverable credential: no email typed), where the merchant has not switched them off.

Each ceremony starts with options whose challenge is stored only as its hash, for 5 minutes, and
is used up by the answer that names it (`one_time_tokens`, purposes `passkey_registration` and
`passkey_sign_in`). A sign-in checks the authenticator's signature count against the one stored,
and writes the new count on the one read, in the transaction that starts the session. A sign-in
with a passkey verified by the person (a PIN, a fingerprint) is two factors in itself: it is not
asked for the second factor's code. Sign-ins share the limits of password sign-ins
(docs/security.md).

py_webauthn (and the cryptography it checks signatures with) is imported only by the ceremonies:
only the passkeys function's package carries it (docs/deploy.md), and every other function imports
this module too."""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...domain import passkeys as rules
from ...domain.errors import (BusinessRuleViolation, FeatureDisabled, InvalidInput, NotFound, NotServedHere,
                              Unauthenticated)
from ...domain.organization import Organization
from ...domain.rate_limits import SIGN_IN_FAILURES_PER_SOURCE
from ...domain.tokens import token_hash
from ...tables.one_time_tokens import OneTimeToken
from ...tables.passkeys import Passkey, holder_key
from . import rate_limiting, sessions
from .portal_auth import _role_in, confirm_current_password
from .sessions import SignedIn

NOT_ACCEPTED = "This passkey was not accepted. Try again, or sign in another way."
START_AGAIN = "This took too long or was already used: start again."
_NONE = "-"   # a sign-in's challenge belongs to no account yet


@dataclass(frozen=True)
class Listed:
    passkey_id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None


# --- the signed-in contact ----------------------------------------------------------------------

def registration_options(adapters, org_id: str, login: str, current_password: str | None, now: datetime, *,
                         session_id: str | None = None) -> dict[str, Any]:
    """The options for the browser's navigator.credentials.create: a discoverable passkey for this
    account, none it holds already. Only with the current password (counted like a sign-in), or for an
    account without one from a session just begun (`session_id`): a passkey outlives sessions, so a
    stolen session must not be able to add one."""
    _need_the_ceremonies_library()
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers.structs import (AuthenticatorSelectionCriteria, PublicKeyCredentialDescriptor,
                                          ResidentKeyRequirement, UserVerificationRequirement)
    from webauthn.helpers import base64url_to_bytes
    user, org = _signed_in(adapters, org_id, login)
    confirm_current_password(adapters, user, current_password, now, session_id=session_id)
    held = adapters.uow.passkeys.of_holder(_holder(user))
    if len(held) >= rules.MAX_PASSKEYS:
        raise BusinessRuleViolation(f"An account keeps at most {rules.MAX_PASSKEYS} passkeys: remove one first.",
                                    "too_many_passkeys")
    rp = _rp(adapters)
    options = generate_registration_options(
        rp_id=rp.rp_id, rp_name=org.name, user_name=user.email, user_display_name=user.email,
        user_id=rules.user_handle(user.org_id, user.customer_id, user.contact_id), timeout=rules.CEREMONY_TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(resident_key=ResidentKeyRequirement.REQUIRED,
                                                               user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id)) for p in held])
    _keep_challenge(adapters, options.challenge, "passkey_registration", org_id, user.login, user.customer_id,
                    user.contact_id, now)
    return json.loads(options_to_json(options))


def register(adapters, org_id: str, login: str, name: str, credential: dict, now: datetime) -> Listed:
    """Add the passkey the browser made with this account's options (their challenge, once)."""
    _need_the_ceremonies_library()
    from webauthn import verify_registration_response
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.exceptions import WebAuthnException
    user, _org = _signed_in(adapters, org_id, login)
    challenge = _challenge_of(adapters, credential, "passkey_registration", org_id, now)
    if challenge.login != user.login:
        raise Unauthenticated(START_AGAIN)
    rp = _rp(adapters)
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=_challenge_bytes(credential), expected_rp_id=rp.rp_id,
            expected_origin=list(rp.origins), require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise InvalidInput({"credential": "This passkey could not be added: try again."}) from None
    passkey = Passkey(bytes_to_base64url(verified.credential_id), _holder(user), user.login, org_id,
                      bytes_to_base64url(rules.user_handle(user.org_id, user.customer_id, user.contact_id)),
                      bytes_to_base64url(verified.credential_public_key), verified.sign_count,
                      name.strip() or "Passkey", now)
    with adapters.uow.transaction("passkey challenge") as tx:
        adapters.uow.one_time_tokens.use_in(tx, challenge.token_hash, now)
    if not adapters.uow.passkeys.add(passkey):
        raise BusinessRuleViolation("This passkey is added already.", "passkey_exists")
    return _listed(passkey)


def listing(adapters, org: Organization, customer_id: str, contact_id: str) -> list[Listed]:
    """The signed-in contact's passkeys: their session check has read the organization (whether the
    portal allows passkeys) and fixed whose they are; only removing one reads the account."""
    if not org.preferences.passkeys:
        raise FeatureDisabled("passkeys")
    return [_listed(p) for p in adapters.uow.passkeys.of_holder(holder_key(org.org_id, customer_id, contact_id))]


def remove(adapters, org_id: str, login: str, passkey_id: str) -> None:
    """Remove one of my passkeys (another's id: 404 like a missing one)."""
    user, _org = _signed_in(adapters, org_id, login)
    if not adapters.uow.passkeys.remove(_holder(user), passkey_id):
        raise NotFound("passkey")


# --- signing in ---------------------------------------------------------------------------------

def sign_in_options(adapters, org_id: str, now: datetime, *, source_ip: str) -> dict[str, Any]:
    """The options for navigator.credentials.get: any passkey of this portal (the browser offers
    those it holds); limited like sign-in attempts."""
    _need_the_ceremonies_library()
    from webauthn import generate_authentication_options, options_to_json
    from webauthn.helpers.structs import UserVerificationRequirement
    rate_limiting.hit(adapters, "login_source", source_ip, now, what="sign-in attempts")
    try:
        org = adapters.uow.organizations.get(org_id)
    except NotFound:
        org = None   # options all the same, kept nowhere: whatever answers them is refused
    if org is not None and not org.preferences.passkeys:
        raise FeatureDisabled("passkeys")
    options = generate_authentication_options(rp_id=_rp(adapters).rp_id, timeout=rules.CEREMONY_TIMEOUT_MS,
                                              user_verification=UserVerificationRequirement.REQUIRED)
    if org is not None:
        _keep_challenge(adapters, options.challenge, "passkey_sign_in", org_id, _NONE, _NONE, _NONE, now)
    return json.loads(options_to_json(options))


def sign_in(adapters, org_id: str, credential: dict, now: datetime, *, source_ip: str) -> SignedIn:
    """A session for the account whose passkey signed this portal's challenge. Anything else (an
    unknown passkey, another organization's, a wrong signature, a count that went backwards) is
    one answer, and a failed sign-in of the caller's address."""
    _need_the_ceremonies_library()
    from webauthn import verify_authentication_response
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.exceptions import WebAuthnException
    rate_limiting.admit(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now, what="sign-in attempts")
    challenge = _challenge_of(adapters, credential, "passkey_sign_in", org_id, now)
    credential_id = credential.get("id") if isinstance(credential.get("id"), str) else ""
    passkey = adapters.uow.passkeys.get(credential_id) if credential_id else None
    holder = passkey.holder.split("#", 2) if passkey else (org_id, _NONE, _NONE)
    account = adapters.uow.portal_users.with_organization(passkey.login if passkey else f"{org_id}#{_NONE}", org_id,
                                                          customer_id=holder[1])
    if not account.org.preferences.passkeys:
        raise FeatureDisabled("passkeys")
    user = account.user
    if passkey is not None and user is None:   # the account moved to a new sign-in email since
        user = adapters.uow.portal_users.of_contact(*holder)
    if passkey is None or passkey.org_id != org_id or user is None or not user.is_active or \
            _holder(user) != passkey.holder or _user_handle_of(credential) not in (None, passkey.user_handle):
        _failed(adapters, source_ip, now)
    rp = _rp(adapters)
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=_challenge_bytes(credential), expected_rp_id=rp.rp_id,
            expected_origin=list(rp.origins), credential_public_key=base64url_to_bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        _failed(adapters, source_ip, now)
    role = _role_in(account.customer, user)
    if role is None:
        _failed(adapters, source_ip, now)
    answer, session = sessions.new_session(user, role, now)
    with adapters.uow.transaction("passkey sign-in") as tx:
        adapters.uow.one_time_tokens.use_in(tx, challenge.token_hash, now)
        adapters.uow.passkeys.used_in(tx, passkey, verified.new_sign_count, now)
        adapters.uow.sessions.put_in(tx, session)
    return answer


# --- helpers ------------------------------------------------------------------------------------

def _rp(adapters) -> rules.RelyingParty:
    return rules.relying_party(adapters.settings.portal_base_url)


def forget_all(adapters, user) -> None:
    """Remove every passkey of `user` (its password was reset: whoever had the account may have added one)."""
    adapters.uow.passkeys.remove_every(adapters.uow.passkeys.of_holder(_holder(user)))


def _holder(user) -> str:
    return holder_key(user.org_id, user.customer_id, user.contact_id)


def _listed(passkey: Passkey) -> Listed:
    return Listed(passkey.credential_id, passkey.name, passkey.created_at, passkey.last_used_at)


def _signed_in(adapters, org_id: str, login: str):
    account = adapters.uow.portal_users.with_organization(login, org_id) if login else None
    if account is None or account.user is None or not account.user.is_active:
        raise Unauthenticated("Sign in again.")
    if not account.org.preferences.passkeys:
        raise FeatureDisabled("passkeys")
    return account.user, account.org


def _need_the_ceremonies_library() -> None:
    """A passkey route that reached a function whose package goes without py_webauthn (API Gateway
    sends them to the passkeys function) answers 503 rather than failing on the import."""
    try:
        importlib.import_module("webauthn")
    except ModuleNotFoundError:
        raise NotServedHere("Passkeys") from None


def _keep_challenge(adapters, challenge: bytes, purpose: str, org_id: str, login: str, customer_id: str,
                    contact_id: str, now: datetime) -> None:
    from webauthn.helpers import bytes_to_base64url
    adapters.uow.one_time_tokens.add(OneTimeToken(
        token_hash(bytes_to_base64url(challenge)), purpose, login, org_id, customer_id, contact_id,
        created_at=now, expires_at=now + rules.CHALLENGE_TTL))


def _client_data(credential: dict) -> dict:
    from webauthn.helpers import base64url_to_bytes
    try:
        data = json.loads(base64url_to_bytes(credential["response"]["clientDataJSON"]))
        return data if isinstance(data, dict) else {}
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}


def _challenge_bytes(credential: dict) -> bytes:
    from webauthn.helpers import base64url_to_bytes
    return base64url_to_bytes(_client_data(credential)["challenge"])


def _challenge_of(adapters, credential: dict, purpose: str, org_id: str, now: datetime) -> OneTimeToken:
    """The stored challenge the credential answers: usable, for this purpose and organization."""
    challenge = _client_data(credential).get("challenge")
    stored = adapters.uow.one_time_tokens.get(token_hash(challenge)) if isinstance(challenge, str) and \
        0 < len(challenge) <= 128 else None
    if stored is None or not stored.is_usable(purpose, org_id, now):
        raise Unauthenticated(START_AGAIN)
    return stored


def _user_handle_of(credential: dict) -> str | None:
    handle = (credential.get("response") or {}).get("userHandle")
    return handle if isinstance(handle, str) and handle else None


def _failed(adapters, source_ip: str, now: datetime):
    rate_limiting.record(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now)
    raise Unauthenticated(NOT_ACCEPTED, reason="credentials")
