"""Changing, forgetting and resetting a password."""
from chalicelib.bootstrap import services
from tests.support.api import Api, client
from tests.support.portal import (
    NEW_PASSWORD, PASSWORD, Clock, assert_refused, emails_to, link_token, login, portal_organization,
    signed_in_customer, text_of,
)

FORGOT = "/portal/auth/forgot-password"
RESET = "/portal/auth/reset-password"
CHANGE = "/portal/auth/change-password"


def forgot(api, org_id, email):
    return api.as_(None).post(FORGOT, {"organization": org_id, "email": email})


def reset(api, org_id, token, password=NEW_PASSWORD):
    return api.as_(None).post(RESET, {"organization": org_id, "token": token, "new_password": password})


def reset_link_token(clock, email):
    """The token of the reset email, once the outbox job has sent it."""
    services().accounts.send_queued_email(clock.now)
    return link_token(reset_emails(email)[-1])


def reset_emails(email):
    return [message for message in emails_to(email) if message["Subject"].startswith("Reset your")]


# --- change password ----------------------------------------------------------------------------

def test_changing_the_password_needs_the_current_one_and_emails_the_contact(aws):
    Clock()
    with client() as c:
        # Given a signed-in customer
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        # When she gives a wrong current password, then the right one
        wrong = zoe.portal.post(CHANGE, {"current_password": "a guess that is wrong", "new_password": NEW_PASSWORD})
        right = zoe.portal.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

        # Then only the second changes it, and she is told by email
        assert wrong.status == 400 and "current_password" in wrong.json["error"]["details"]["fields"]
        assert right.status == 200
        assert login(api, acme.org.org_id, zoe.email, PASSWORD).status == 401
        assert login(api, acme.org.org_id, zoe.email, NEW_PASSWORD).status == 200
        changed = emails_to(zoe.email)[-1]
        assert changed["Subject"] == "Your Acme Cloud customer portal password was changed"


def test_a_new_password_must_follow_the_policy(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        answers = [zoe.portal.post(CHANGE, {"current_password": PASSWORD, "new_password": new})
                   for new in ("fourteen chars", "iloveyouiloveyou", "Acme Cloud forever and ever", "a" * 257)]

        assert [a.status for a in answers] == [400] * 4
        reasons = [a.json["error"]["details"]["fields"]["new_password"] for a in answers]
        assert "at least 15" in reasons[0] and "commonly used" in reasons[1]
        assert "organization's name" in reasons[2] and "at most 256" in reasons[3]


def test_a_password_of_64_characters_with_spaces_and_symbols_is_kept_whole(aws):
    Clock()
    with client() as c:
        # Given a long passphrase with leading and trailing spaces
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        long_one = "  Grüße, ünd 🙂 a walk by the sea at noon; then tea & cake at four!!  "
        assert len(long_one) >= 64

        # When she sets it
        assert zoe.portal.post(CHANGE, {"current_password": PASSWORD, "new_password": long_one}).status == 200

        # Then only the exact passphrase signs in: nothing was trimmed or cut
        assert login(api, acme.org.org_id, zoe.email, long_one.strip()).status == 401
        assert login(api, acme.org.org_id, zoe.email, long_one).status == 200


def test_wrong_current_passwords_count_towards_the_lockout(aws):
    Clock()
    with client() as c:
        # Given a stolen session guessing the current password six times
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        for guess in range(6):
            zoe.portal.post(CHANGE, {"current_password": f"guess number {guess} goes here",
                                     "new_password": NEW_PASSWORD})

        # Then the next attempt has to wait, like a sign-in would
        answer = zoe.portal.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
        assert answer.status == 429 and answer.headers["Retry-After"] == "1"


# --- forgot and reset ---------------------------------------------------------------------------

def test_forgot_password_answers_the_same_whether_or_not_the_account_exists(aws):
    Clock()
    with client() as c:
        # Given one account
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        # When a reset is asked for it, for an unknown email and for an unknown organization
        answers = [forgot(api, acme.org.org_id, zoe.email), forgot(api, acme.org.org_id, "nobody@globex.example"),
                   forgot(api, "org_unknown", zoe.email)]

        # Then every answer is 202 with the same body
        assert {a.status for a in answers} == {202}
        assert all(a.json == answers[0].json for a in answers)


def test_a_reset_link_is_emailed_and_setting_a_password_with_it_ends_every_session(aws):
    clock = Clock()
    with client() as c:
        # Given a signed-in customer who forgot her password
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        forgot(api, acme.org.org_id, zoe.email)

        # When the outbox sends the reset email and she uses its link
        token = reset_link_token(clock, zoe.email)
        answer = reset(api, acme.org.org_id, token)

        # Then the new password works, the old one does not, and every session has ended
        assert answer.status == 204, answer.json
        assert "expires in 30 minutes" in text_of(reset_emails(zoe.email)[0])
        assert_refused(zoe.portal.get("/portal/me"))
        assert login(api, acme.org.org_id, zoe.email, PASSWORD).status == 401
        assert login(api, acme.org.org_id, zoe.email, NEW_PASSWORD).status == 200
        assert emails_to(zoe.email)[-1]["Subject"].endswith("password was changed")


def test_a_reset_token_works_once(aws):
    clock = Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        forgot(api, acme.org.org_id, zoe.email)
        token = reset_link_token(clock, zoe.email)
        assert reset(api, acme.org.org_id, token).status == 204

        again = reset(api, acme.org.org_id, token, "a third password, chosen by someone else")

        assert again.status == 401
        assert login(api, acme.org.org_id, zoe.email, NEW_PASSWORD).status == 200


def test_a_reset_token_expires_after_30_minutes(aws):
    clock = Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        forgot(api, acme.org.org_id, zoe.email)
        token = reset_link_token(clock, zoe.email)

        clock.advance(minutes=30)

        assert reset(api, acme.org.org_id, token).status == 401


def test_a_reset_token_issued_before_a_password_change_is_void(aws):
    clock = Clock()
    with client() as c:
        # Given a reset link, and then a password change from a session
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        forgot(api, acme.org.org_id, zoe.email)
        token = reset_link_token(clock, zoe.email)
        clock.advance(minutes=1)
        zoe.portal.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

        # Then the older link no longer works
        assert reset(api, acme.org.org_id, token, "yet another long passphrase").status == 401


def test_a_reset_token_of_another_organization_or_tampered_is_refused(aws):
    clock = Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        initech = portal_organization(api, "Initech Ltd")
        zoe = signed_in_customer(api, acme.org, acme.key)
        forgot(api, acme.org.org_id, zoe.email)
        token = reset_link_token(clock, zoe.email)

        foreign = reset(api, initech.org.org_id, token)
        tampered = reset(api, acme.org.org_id, token[::-1])

        assert foreign.status == tampered.status == 401 and foreign.json == tampered.json
        assert reset(api, acme.org.org_id, token).status == 204


def test_an_unknown_email_gets_no_email(aws):
    clock = Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)

        forgot(api, acme.org.org_id, "nobody@globex.example")
        services().accounts.send_queued_email(clock.now)

        assert emails_to("nobody@globex.example") == []


def test_forgot_password_is_rate_limited_per_account(aws):
    Clock()
    with client() as c:
        # Given three reset requests for one email at once (those cost no wait)
        api = Api(c)
        acme = portal_organization(api)
        for _ in range(3):
            assert forgot(api, acme.org.org_id, "nobody@globex.example").status == 202

        # When a fourth comes, the answer is throttled, for unknown emails as for accounts
        fourth = forgot(api, acme.org.org_id, "NOBODY@globex.example")
        assert fourth.status == 429 and fourth.headers["Retry-After"] == "60"
        # And another email of the organization is not affected
        assert forgot(api, acme.org.org_id, "other@globex.example").status == 202
