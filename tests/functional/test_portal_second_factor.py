"""The second factor of a portal account: enrolling with a first code, signing in with a code after
the password (a short-lived signed challenge, no session before the code is right), recovery codes
used once, turning it off with the password and a code, and a merchant who requires it."""

from chalicelib.bootstrap import services
from chalicelib.domain.second_factor import code_for, step_at
from tests.support.api import client
from tests.support.portal import PASSWORD, emails_to, link_token, login
from tests.support.subscriptions import a_shop


def code_now(shop, secret: str, steps_later: int = 0) -> str:
    return code_for(secret, step_at(shop.clock.now) + steps_later)


def enrolled(shop) -> tuple[str, list[str]]:
    """Zoë sets up her second factor; her secret and recovery codes."""
    secret = shop.portal.post("/portal/auth/second-factor", {"current_password": PASSWORD}).json["secret"]
    codes = shop.portal.post("/portal/auth/second-factor/confirm", {"code": code_now(shop, secret)}).json
    return secret, codes["recovery_codes"]


def second_step(shop, challenge: str, code: str):
    return shop.api.as_(None).post("/portal/auth/login/second-factor", {
        "organization": shop.acme.org.org_id, "challenge": challenge, "code": code})


def test_enrolling_shows_the_secret_once_and_is_confirmed_by_a_first_code(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)

        started = shop.portal.post("/portal/auth/second-factor", {"current_password": PASSWORD})
        secret = started.json["secret"]
        wrong = shop.portal.post("/portal/auth/second-factor/confirm", {"code": "000000" if code_now(
            shop, secret) != "000000" else "111111"})
        confirmed = shop.portal.post("/portal/auth/second-factor/confirm", {"code": code_now(shop, secret)})

        assert started.status == 200 and started.json["otpauth_uri"].startswith("otpauth://totp/Acme%20Cloud%3Azoe")
        assert f"secret={secret}" in started.json["otpauth_uri"]
        assert (wrong.status, list(wrong.json["error"]["details"]["fields"])) == (400, ["code"])
        assert confirmed.status == 200 and len(set(confirmed.json["recovery_codes"])) == 10
        # And the recovery codes are stored only as hashes
        from chalicelib.bootstrap import adapters
        from chalicelib.tables.portal_users import login_key
        user = adapters().uow.portal_users.find(login_key(shop.acme.org.org_id, shop.zoe.email))
        assert not set(confirmed.json["recovery_codes"]) & set(user.recovery_code_hashes)
        # And the secret is stored sealed by KMS, not as it is
        assert user.totp_secret.startswith("kms1:") and secret not in user.totp_secret


def test_a_session_alone_cannot_set_up_a_second_factor_that_would_keep_its_owner_out(aws):
    with client() as c:
        # Given Zoë's session in the hands of someone who does not know her password
        shop = a_shop(c, preferences=None)

        # When they set up a second factor with it, without her password or with a wrong one
        bare = shop.portal.post("/portal/auth/second-factor")
        wrong = shop.portal.post("/portal/auth/second-factor", {"current_password": "not her password at all"})

        # Then neither is given a secret (a reset would not take it off, and she could never sign in again)
        assert (bare.status, bare.json["error"]["details"]["field_codes"]) == (
            400, {"current_password": "current_password_needed"})
        assert (wrong.status, wrong.json["error"]["details"]["field_codes"]) == (
            400, {"current_password": "wrong_password"})
        # And her password alone still signs her in, with no code asked
        assert login(shop.api, shop.acme.org.org_id, shop.zoe.email, PASSWORD).json["token"]


def test_signing_in_asks_for_the_code_after_the_password_and_gives_no_session_before_it(aws):
    with client() as c:
        # Given Zoë with a second factor
        shop = a_shop(c, preferences=None)
        secret, _codes = enrolled(shop)
        shop.clock.advance(seconds=30)

        # When she signs in with her password, then her code
        first = login(shop.api, shop.acme.org.org_id, shop.zoe.email, PASSWORD)
        challenge = first.json["second_factor"]["challenge"]
        wrong = second_step(shop, challenge, "000000" if code_now(shop, secret) != "000000" else "111111")
        right = second_step(shop, challenge, code_now(shop, secret))
        again = second_step(shop, challenge, code_now(shop, secret))

        # Then the password answers only a challenge, the right code a working session, once
        assert first.status == 200 and first.json.get("token") is None
        assert first.json["second_factor"]["enrolment_required"] is False
        assert (wrong.status, wrong.json["error"]["message"]) == (401, "The code is not right.")
        assert wrong.json["error"]["details"]["fields"] == {"code": "The code is not right."}   # retry the code
        assert right.status == 200 and shop.api.as_(right.json["token"]).get("/portal/me").status == 200
        assert again.status == 401        # a code is accepted once
        # And a wrong password says nothing about the second factor
        bad = login(shop.api, shop.acme.org.org_id, shop.zoe.email, "not the password at all")
        assert (bad.status, "second_factor" in bad.json) == (401, False)


def test_a_challenge_expires_and_cannot_be_forged_or_used_in_another_organization(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        secret, _codes = enrolled(shop)
        shop.clock.advance(seconds=30)
        challenge = login(shop.api, shop.acme.org.org_id, shop.zoe.email, PASSWORD).json["second_factor"]["challenge"]
        body, _, signature = challenge.partition(".")

        forged = second_step(shop, f"{body}x.{signature}", code_now(shop, secret))
        elsewhere = shop.api.as_(None).post("/portal/auth/login/second-factor", {
            "organization": "org_other", "challenge": challenge, "code": code_now(shop, secret)})
        shop.clock.advance(minutes=6)
        expired = second_step(shop, challenge, code_now(shop, secret))

        assert [a.status for a in (forged, elsewhere, expired)] == [401, 401, 401]
        assert expired.json["error"]["message"].startswith("Sign in again")


def test_a_recovery_code_signs_in_once(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        _secret, codes = enrolled(shop)

        def with_recovery(code):
            challenge = login(shop.api, shop.acme.org.org_id, shop.zoe.email, PASSWORD).json["second_factor"]
            return second_step(shop, challenge["challenge"], code)

        first = with_recovery(codes[0].upper().replace("-", " "))   # typed in any case, spaced
        again = with_recovery(codes[0])

        assert (first.status, again.status) == (200, 401)


def test_turning_it_off_needs_the_current_password_and_a_code(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        secret, _codes = enrolled(shop)
        shop.clock.advance(seconds=30)
        path = "/portal/auth/second-factor/disable"

        wrong_password = shop.portal.post(path, {"current_password": "not my password", "code": code_now(shop, secret)})
        done = shop.portal.post(path, {"current_password": PASSWORD, "code": code_now(shop, secret)})

        assert (wrong_password.status, list(wrong_password.json["error"]["details"]["fields"])) == (
            400, ["current_password"])
        assert done.status == 204
        assert login(shop.api, shop.acme.org.org_id, shop.zoe.email, PASSWORD).json["token"]


def test_a_merchant_who_requires_it_has_accounts_enrol_while_signing_in(aws):
    with client() as c:
        # Given a merchant who requires a second factor, and Zoë who has none
        shop = a_shop(c, preferences={"require_second_factor": True})

        # When she signs in: a challenge that asks her to enrol, a secret, its first code
        first = login(shop.api, shop.acme.org.org_id, shop.zoe.email, PASSWORD).json["second_factor"]
        secret = shop.api.as_(None).post("/portal/auth/login/enrolment", {
            "organization": shop.acme.org.org_id, "challenge": first["challenge"]}).json["secret"]
        done = second_step(shop, first["challenge"], code_now(shop, secret))

        # Then she is signed in with her recovery codes, and cannot turn the second factor off
        assert first["enrolment_required"] is True
        assert done.status == 200 and len(done.json["recovery_codes"]) == 10
        signed_in = shop.api.as_(done.json["token"])
        shop.clock.advance(seconds=30)
        refused = signed_in.post("/portal/auth/second-factor/disable",
                                 {"current_password": PASSWORD, "code": code_now(shop, secret)})
        assert (refused.status, refused.json["error"]["code"]) == (422, "second_factor_required")


def test_wrong_codes_lock_the_account_like_wrong_passwords(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        secret, _codes = enrolled(shop)
        challenge = login(shop.api, shop.acme.org.org_id, shop.zoe.email, PASSWORD).json["second_factor"]["challenge"]
        wrong = "000000" if code_now(shop, secret) != "000000" else "111111"

        statuses = [second_step(shop, challenge, wrong).status for _ in range(12)]

        assert 429 in statuses and statuses[0] == 401
        assert second_step(shop, challenge, code_now(shop, secret, 1)).status == 429


def test_the_security_screen_reads_whether_the_account_has_a_second_factor(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        before = shop.portal.get("/portal/auth/second-factor").json
        enrolled(shop)
        after = shop.portal.get("/portal/auth/second-factor").json
        assert before == {"enabled": False, "required": False, "recovery_codes_left": 0, "has_password": True}
        assert after == {"enabled": True, "required": False, "recovery_codes_left": 10, "has_password": True}


def test_an_invitation_accepted_where_it_is_required_answers_a_challenge_not_a_session(aws):
    with client() as c:
        from tests.support.portal import invite, new_customer
        shop = a_shop(c, preferences={"require_second_factor": True})
        customer = new_customer(shop.admin, display_name="Initech", email="hank@initech.example")
        token = invite(shop.admin, customer, "hank@initech.example")

        answer = shop.api.as_(None).post("/portal/auth/accept-invite", {
            "organization": shop.acme.org.org_id, "token": token, "password": PASSWORD})

        assert answer.status == 201 and answer.json.get("token") is None
        assert answer.json["second_factor"]["enrolment_required"] is True


def test_the_second_factor_still_works_after_the_sign_in_email_changes(aws):
    with client() as c:
        # Given Zoë with a second factor, who then moves her sign-in to a new address
        shop = a_shop(c, preferences=None)
        secret, _codes = enrolled(shop)
        assert shop.portal.patch("/portal/profile", {"contact": {"email": "zoe.new@globex.example"},
                                                     "current_password": PASSWORD}).status == 200
        services().accounts.send_queued_email(shop.clock.now)
        token = link_token([m for m in emails_to("zoe.new@globex.example") if m["Subject"].startswith("Confirm")][-1])
        assert shop.api.as_(None).post("/portal/auth/confirm-email", {"organization": shop.acme.org.org_id,
                                                                     "token": token}).status == 204
        shop.clock.advance(seconds=30)

        # When she signs in at the new address with her code
        first = login(shop.api, shop.acme.org.org_id, "zoe.new@globex.example", PASSWORD)
        right = second_step(shop, first.json["second_factor"]["challenge"], code_now(shop, secret))

        # Then the sealed secret (bound to her contact, not her email) still opens
        assert right.status == 200 and right.json["token"], right.json


def test_a_secret_stored_before_sealing_began_still_signs_in_and_is_sealed_by_its_first_use(aws):
    from dataclasses import replace

    from chalicelib.bootstrap import adapters
    from chalicelib.tables.portal_users import login_key
    with client() as c:
        # Given Zoë whose secret was stored as it is, before sealing began
        shop = a_shop(c, preferences=None)
        secret, _codes = enrolled(shop)
        users = adapters().uow.portal_users
        user = users.find(login_key(shop.acme.org.org_id, shop.zoe.email))
        users.save(replace(user, totp_secret=secret))
        shop.clock.advance(seconds=30)

        # When she signs in with her code
        first = login(shop.api, shop.acme.org.org_id, shop.zoe.email, PASSWORD)
        right = second_step(shop, first.json["second_factor"]["challenge"], code_now(shop, secret))

        # Then it works, and the secret is stored sealed from then on
        assert right.status == 200
        stored = users.find(login_key(shop.acme.org.org_id, shop.zoe.email)).totp_secret
        assert stored.startswith("kms1:") and secret not in stored
