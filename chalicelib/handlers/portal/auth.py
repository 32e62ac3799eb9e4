"""Signing in and out, invitations, password change and reset, confirming a new sign-in email.

The sign-in routes are the only public /portal routes (tests/functional/test_portal_route_table.py
holds the list); signing out and changing the password need the session."""
from __future__ import annotations

from typing import Annotated, Any

from chalice import Response
from pydantic import Field, StringConstraints

from ... import bootstrap
from ...bootstrap import services
from ...domain.errors import NotFound, Unauthenticated
from ..answer_floor import held_to_the_floor
from ..credentials import portal_session
from ..http import Body, Routes
from ..schemas import Email


public = Routes("public")
api = Routes("portal", portal_session)

OrganizationId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
# Passwords arrive exactly as typed: never trimmed or cut (the policy counts every character).
Password = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1, max_length=1024)]
LinkToken = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class LoginBody(Body):
    organization: OrganizationId
    email: Email
    password: Password


class AcceptInviteBody(Body):
    organization: OrganizationId
    token: LinkToken
    password: Password | None = None    # none where the portal signs in with emailed links only


class ForgotPasswordBody(Body):
    organization: OrganizationId
    email: Email


class SignInLinkBody(Body):
    organization: OrganizationId
    email: Email


class RedeemSignInLinkBody(Body):
    organization: OrganizationId
    token: LinkToken


class ResetPasswordBody(Body):
    organization: OrganizationId
    token: LinkToken
    new_password: Password


class ConfirmEmailBody(Body):
    organization: OrganizationId
    token: LinkToken


# a PublicKeyCredential as JSON (WebAuthn Level 3 toJSON()): checked by py_webauthn, not here
Credential = Annotated[dict[str, Any], Field(max_length=16)]
PasskeyName = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class NewPasskeyBody(Body):
    name: PasskeyName
    credential: Credential


class PasskeyOptionsBody(Body):
    organization: OrganizationId


class NewPasskeyOptionsBody(Body):
    # a session alone adds no passkey; an account without a password, a session just begun does
    current_password: str | None = Field(default=None, min_length=1, max_length=1024)


class PasskeySignInBody(Body):
    organization: OrganizationId
    credential: Credential


class ChangePasswordBody(Body):
    current_password: Password | None = None    # none for an account without a password (it sets its first)
    new_password: Password


Challenge = Annotated[str, StringConstraints(min_length=1, max_length=512)]
# a code of the app (six digits) or a recovery code (xxxx-xxxx-xxxx-xxxx), spaces allowed
Code = Annotated[str, StringConstraints(min_length=6, max_length=40)]


class ChallengeBody(Body):
    organization: OrganizationId
    challenge: Challenge


class SecondFactorBody(ChallengeBody):
    code: Code


class StartSecondFactorBody(Body):
    # a second factor outlives sessions, and a reset does not take it off: a session alone sets up none
    current_password: Password | None = None    # none for an account without a password


class ConfirmSecondFactorBody(Body):
    code: Code


class DisableSecondFactorBody(Body):
    current_password: Password | None = None    # none for an account without a password
    code: Code


SIGN_IN_LINK_ANSWER = {"message": "If this email address has an account, a link to sign in is on its way. "
                                  "It works once, for 15 minutes."}
FORGOT_PASSWORD_ANSWER = {"message": "If this email address has an account, a link to choose a new "
                                     "password is on its way. It works once, for 30 minutes."}


@public.route("/portal/auth/portals/{portal_name}", response="PortalSignIn")
def portal_sign_in(portal_name: str):
    """The organization whose portal has this name (the portal's address carries it): its name for the
    sign-in page and its id for signing in. A name the merchant renamed away from still answers (it stays
    the organization's for good), with the portal's name as it is now."""
    from ..responses.accounts import PortalSignIn
    return PortalSignIn.of(services().access.organization_for_portal(portal_name)).model_dump()


@public.route("/portal/auth/logos/{org_id}/{version}", content_type="image/png")
def logo(org_id: str, version: str):
    """The organization's logo (a PNG the merchant uploaded), for the sign-in page, the portal's header
    and emails; its address names its version, so it is cached for good."""
    data = services().access.logo(org_id, version)
    if data is None:
        raise NotFound("logo")
    return Response(body=data, status_code=200, headers={
        "Content-Type": "image/png", "Cache-Control": "public, max-age=31536000, immutable",
        "Content-Security-Policy": "default-src 'none'", "X-Content-Type-Options": "nosniff"})


@public.route("/portal/auth/password-rules", response="PasswordRules")
def password_rules():
    """The rules a new password must meet (the ones the server checks), for the forms to say."""
    from ..responses.accounts import PasswordRules
    return PasswordRules.of_the_policy().model_dump()


@public.route("/portal/auth/login", "POST", body=LoginBody, response="SignIn")
def login(body: LoginBody):
    """Sign in: a session token for the Authorization header; or, for an account with a second
    factor (or one the merchant requires it of), a challenge to answer with the code."""
    with held_to_the_floor(only=(Unauthenticated,)):    # an unknown email and a wrong password alike
        signed_in_or_challenged = services().access.login(body.organization, body.email, body.password,
                                                          bootstrap.now(), source_ip=public.source_ip())
    return session_or_challenge(signed_in_or_challenged)


@public.route("/portal/auth/login/second-factor", "POST", body=SecondFactorBody, response="SignIn")
def login_second_factor(body: SecondFactorBody):
    """The second step of a sign-in: the challenge with a code of the app or a recovery code (or,
    while enrolling, the first code of the new secret: the recovery codes come with the session)."""
    done = services().access.complete_sign_in(body.organization, body.challenge, body.code, bootstrap.now(),
                                              source_ip=public.source_ip())
    from ..responses.accounts import SignIn
    return SignIn.after_second_factor(done).model_dump()


@public.route("/portal/auth/login/enrolment", "POST", body=ChallengeBody, response="SecondFactorEnrolment")
def login_enrolment(body: ChallengeBody):
    """Where the merchant requires a second factor the account lacks: its secret, to confirm with a
    first code at /portal/auth/login/second-factor."""
    return enrolment(services().access.enrol_at_sign_in(body.organization, body.challenge, bootstrap.now()))


@public.route("/portal/auth/accept-invite", "POST", body=AcceptInviteBody, status=201, response="SignIn")
def accept_invite(body: AcceptInviteBody):
    """Accept an invitation with its token, choosing a password (none where the portal signs in with
    emailed links only), and be signed in (where the merchant requires a second factor: a challenge
    to set it up first, as at sign-in)."""
    return session_or_challenge(services().access.accept_invite(body.organization, body.token, body.password,
                                                                bootstrap.now()))


@public.route("/portal/auth/forgot-password", "POST", body=ForgotPasswordBody, status=202, response="Notice")
def forgot_password(body: ForgotPasswordBody):
    """Ask for a password reset link; the answer is the same whether the account exists or not."""
    with held_to_the_floor():
        services().access.forgot_password(body.organization, body.email, bootstrap.now(),
                                          source_ip=public.source_ip())
    return FORGOT_PASSWORD_ANSWER


@public.route("/portal/auth/sign-in-links", "POST", body=SignInLinkBody, status=202, response="Notice")
def request_sign_in_link(body: SignInLinkBody):
    """Ask for a link that signs in without a password (where the portal allows it); the answer is
    the same whether the account exists or not."""
    with held_to_the_floor():
        services().access.request_sign_in_link(body.organization, body.email, bootstrap.now(),
                                               source_ip=public.source_ip())
    return SIGN_IN_LINK_ANSWER


@public.route("/portal/auth/sign-in-links/redeem", "POST", body=RedeemSignInLinkBody, response="SignIn")
def redeem_sign_in_link(body: RedeemSignInLinkBody):
    """Sign in with an emailed link's token (once, within 15 minutes): a session, or, for an account
    with a second factor, a challenge to answer with the code as after a password."""
    return session_or_challenge(services().access.redeem_sign_in_link(body.organization, body.token, bootstrap.now(),
                                                                      source_ip=public.source_ip()))


@public.route("/portal/auth/reset-password", "POST", body=ResetPasswordBody, status=204)
def reset_password(body: ResetPasswordBody):
    """Choose a new password with a reset token; every session of the account ends."""
    services().access.reset_password(body.organization, body.token, body.new_password, bootstrap.now())


@public.route("/portal/auth/confirm-email", "POST", body=ConfirmEmailBody, status=204)
def confirm_email(body: ConfirmEmailBody):
    """Confirm a new sign-in email with the link sent to it: the account signs in with it from now on."""
    services().accounts.confirm_email_change(body.organization, body.token, bootstrap.now())


@api.route("/portal/auth/logout", "POST", status=204)
def logout():
    """Sign out: this session's token stops working at once."""
    services().access.logout(api.customer().session_id)


@api.route("/portal/auth/change-password", "POST", body=ChangePasswordBody, response="PasswordChanged")
def change_password(body: ChangePasswordBody):
    """Change the password (the current one is needed); every other session ends."""
    caller = api.customer()
    from ..responses.accounts import PasswordChanged
    ended = services().access.change_password(caller.org_id, caller.login, caller.session_id, body.current_password,
                                              body.new_password, bootstrap.now())
    return PasswordChanged.of(ended).model_dump()


@api.route("/portal/auth/second-factor", response="SecondFactorState")
def second_factor_state():
    """Whether my account signs in with a code, whether the merchant requires it, recovery codes left."""
    caller = api.customer()
    from ..responses.accounts import SecondFactorState
    return SecondFactorState.of(services().access.second_factor(caller.org, caller.login)).model_dump()


@api.route("/portal/auth/second-factor", "POST", body=StartSecondFactorBody, response="SecondFactorEnrolment")
def start_second_factor(body: StartSecondFactorBody):
    """Set up a second factor, with the current password (an account without one: within minutes of
    signing in): a new secret (shown once), to confirm with a first code."""
    caller = api.customer()
    return enrolment(services().access.start_second_factor(caller.org_id, caller.login, body.current_password,
                                                           bootstrap.now(), session_id=caller.session_id))


@api.route("/portal/auth/second-factor/confirm", "POST", body=ConfirmSecondFactorBody, response="RecoveryCodes")
def confirm_second_factor(body: ConfirmSecondFactorBody):
    """Turn the second factor on with the app's first code; the recovery codes are shown once."""
    caller = api.customer()
    from ..responses.accounts import RecoveryCodes
    codes = services().access.confirm_second_factor(caller.org_id, caller.login, body.code, bootstrap.now())
    return RecoveryCodes.of(codes).model_dump()


@api.route("/portal/auth/second-factor/disable", "POST", body=DisableSecondFactorBody, status=204)
def disable_second_factor(body: DisableSecondFactorBody):
    """Turn the second factor off with the current password and a code."""
    caller = api.customer()
    services().access.disable_second_factor(caller.org_id, caller.login, body.current_password, body.code,
                                            bootstrap.now(), session_id=caller.session_id)


@public.route("/portal/auth/passkeys/sign-in/options", "POST", body=PasskeyOptionsBody, response="PasskeyOptions")
def passkey_sign_in_options(body: PasskeyOptionsBody):
    """Start signing in with a passkey: the options for navigator.credentials.get (any passkey of
    this portal; no email is asked)."""
    from ..responses.accounts import PasskeyOptions
    return PasskeyOptions.of(services().access.passkey_sign_in_options(body.organization, bootstrap.now(),
                                                                       source_ip=public.source_ip())).model_dump()


@public.route("/portal/auth/passkeys/sign-in", "POST", body=PasskeySignInBody, response="SignIn")
def passkey_sign_in(body: PasskeySignInBody):
    """Sign in with the passkey's answer to those options: a session."""
    return session_or_challenge(services().access.sign_in_with_passkey(body.organization, body.credential, bootstrap.now(),
                                                            source_ip=public.source_ip()))


@api.route("/portal/auth/passkeys", response="PasskeyList")
def passkeys():
    """My passkeys."""
    from ..responses.accounts import PasskeyList
    caller = api.customer()
    return PasskeyList.of(services().access.passkeys(caller.org, caller.customer_id, caller.contact_id)).model_dump()


@api.route("/portal/auth/passkeys/options", "POST", body=NewPasskeyOptionsBody, response="PasskeyOptions")
def passkey_registration_options(body: NewPasskeyOptionsBody):
    """Start adding a passkey, with the current password (an account without one: within minutes of
    signing in): the options for navigator.credentials.create."""
    from ..responses.accounts import PasskeyOptions
    caller = api.customer()
    options = services().access.passkey_registration_options(caller.org_id, caller.login, body.current_password,
                                                             bootstrap.now(), session_id=caller.session_id)
    return PasskeyOptions.of(options).model_dump()


@api.route("/portal/auth/passkeys", "POST", body=NewPasskeyBody, status=201, response="Passkey")
def add_passkey(body: NewPasskeyBody):
    """Add the passkey the browser made with those options, under a name of my choosing."""
    from ..responses.accounts import Passkey
    caller = api.customer()
    return Passkey.of(services().access.register_passkey(caller.org_id, caller.login, body.name, body.credential,
                                                         bootstrap.now())).model_dump()


@api.route("/portal/auth/passkeys/{passkey_id}", "DELETE", status=204)
def remove_passkey(passkey_id: str):
    """Remove one of my passkeys: it signs in no more."""
    caller = api.customer()
    services().access.remove_passkey(caller.org_id, caller.login, passkey_id)


def session_or_challenge(answer) -> dict:
    """A sign-in's answer: the session it started, or the second factor's challenge."""
    from ..responses.accounts import SignIn
    return SignIn.of(answer).model_dump()


def enrolment(enrolled) -> dict:
    from ..responses.accounts import SecondFactorEnrolment
    return SecondFactorEnrolment.of(enrolled).model_dump()
