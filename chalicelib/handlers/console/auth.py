"""Signing in to the merchant console (a merchant user, not an API key), signing out, the signed-in
user, password change and second factor. The console's screens then call the admin API with the
session token (handlers/credentials.py `merchant_key` takes either)."""
from __future__ import annotations

from ... import bootstrap
from ...bootstrap import services
from ...domain.errors import Unauthenticated
from ..answer_floor import held_to_the_floor
from ..credentials import console_session, may
from ..http import Body, Routes
from ..portal.auth import (Challenge, Code, LinkToken, OrganizationId, Password, enrolment,
                           session_or_challenge)
from ..schemas import Email

public = Routes("public")
api = Routes("console", console_session)


class ConsoleLoginBody(Body):
    organization: OrganizationId
    email: Email
    password: Password


class ConsoleSecondFactorBody(Body):
    organization: OrganizationId
    challenge: Challenge
    code: Code


class ConsolePasswordBody(Body):
    current_password: Password
    new_password: Password


class ConsoleCodeBody(Body):
    code: Code


class ConsoleStartSecondFactorBody(Body):
    current_password: Password      # a second factor outlives sessions: a session alone sets up none


class ConsoleDisableBody(Body):
    current_password: Password
    code: Code


class ConsoleForgotPasswordBody(Body):
    organization: OrganizationId
    email: Email


class ConsoleResetPasswordBody(Body):
    organization: OrganizationId
    token: LinkToken
    new_password: Password


FORGOT_PASSWORD_ANSWER = {"message": "If this email address has a console account, a link to choose a new "
                                     "password is on its way. It works once, for 30 minutes."}


@public.route("/console/auth/login", "POST", body=ConsoleLoginBody, response="SignIn")
def console_login(body: ConsoleLoginBody):
    """Sign in to the console: a session token for the admin API; or, for a user with a second factor,
    a challenge to answer with the code."""
    with held_to_the_floor(only=(Unauthenticated,)):    # an unknown email and a wrong password alike
        answer = services().access.console_login(body.organization, body.email, body.password, bootstrap.now(),
                                                 source_ip=public.source_ip())
    return session_or_challenge(answer)


@public.route("/console/auth/login/second-factor", "POST", body=ConsoleSecondFactorBody, response="SignIn")
def console_login_second_factor(body: ConsoleSecondFactorBody):
    """The second step of a console sign-in: the challenge with a code of the app or a recovery code."""
    done = services().access.console_complete_sign_in(body.organization, body.challenge, body.code, bootstrap.now(),
                                                      source_ip=public.source_ip())
    return session_or_challenge(done.session)


@public.route("/console/auth/forgot-password", "POST", body=ConsoleForgotPasswordBody, status=202,
              response="Notice")
def console_forgot_password(body: ConsoleForgotPasswordBody):
    """Ask for a link to choose a new console password (it also ends a lock on the account); the
    answer is the same whether the account exists or not."""
    with held_to_the_floor():
        services().access.console_forgot_password(body.organization, body.email, bootstrap.now(),
                                                  source_ip=public.source_ip())
    return FORGOT_PASSWORD_ANSWER


@public.route("/console/auth/reset-password", "POST", body=ConsoleResetPasswordBody, status=204)
def console_reset_password(body: ConsoleResetPasswordBody):
    """Choose a new console password with a reset link's token; every session of the user ends."""
    services().access.console_reset_password(body.organization, body.token, body.new_password, bootstrap.now())


@api.route("/console/auth/logout", "POST", status=204)
def console_logout():
    """Sign out of the console: this session's token stops working at once."""
    services().access.console_logout(api.merchant_user().session_id)


@api.route("/console/auth/me", response="ConsoleMe")
def console_me():
    """The signed-in merchant user, the organization, and whether the role may change things."""
    from ..responses.console import ConsoleMe, MerchantUser
    caller = api.merchant_user()
    user, org = services().access.console_account(caller)
    return ConsoleMe(user=MerchantUser.of(user), org_id=org.org_id, organization_name=org.name,
                     may_change=may(user.role, "PUT", "/admin/preferences")).model_dump()


@api.route("/console/auth/change-password", "POST", body=ConsolePasswordBody, response="PasswordChanged")
def console_change_password(body: ConsolePasswordBody):
    """Change the password (the current one is needed); every other console session of the user ends."""
    ended = services().access.console_change_password(api.merchant_user(), body.current_password,
                                                      body.new_password, bootstrap.now())
    from ..responses.accounts import PasswordChanged
    return PasswordChanged.of(ended).model_dump()


@api.route("/console/auth/second-factor", "POST", body=ConsoleStartSecondFactorBody, response="SecondFactorEnrolment")
def console_start_second_factor(body: ConsoleStartSecondFactorBody):
    """Set up a second factor, with the current password: a new secret (shown once), to confirm with a
    first code."""
    return enrolment(services().access.console_start_second_factor(api.merchant_user(), body.current_password,
                                                                   bootstrap.now()))


@api.route("/console/auth/second-factor/confirm", "POST", body=ConsoleCodeBody, response="RecoveryCodes")
def console_confirm_second_factor(body: ConsoleCodeBody):
    """Turn the second factor on with the app's first code; the recovery codes are shown once."""
    codes = services().access.console_confirm_second_factor(api.merchant_user(), body.code, bootstrap.now())
    from ..responses.accounts import RecoveryCodes
    return RecoveryCodes.of(codes).model_dump()


@api.route("/console/auth/second-factor/disable", "POST", body=ConsoleDisableBody, status=204)
def console_disable_second_factor(body: ConsoleDisableBody):
    """Turn the second factor off with the current password and a code."""
    services().access.console_disable_second_factor(api.merchant_user(), body.current_password, body.code,
                                                    bootstrap.now())
