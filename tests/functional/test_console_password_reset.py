"""A console user who forgot the password, or whose account someone keeps locked by failing its
sign-ins, chooses a new password through a link emailed to the account's own address."""
from chalicelib.bootstrap import services
from tests.support.api import client
from tests.support.console import PASSWORD, a_console
from tests.support.portal import Clock, emails_to, link_token, text_of, verify_sender

FORGOT = "/console/auth/forgot-password"
RESET = "/console/auth/reset-password"
NEW_PASSWORD = "a lighthouse keeper counts the gulls"


def forgot(console, email, org_id=None):
    return console.anonymous.post(FORGOT, {"organization": org_id or console.org_id, "email": email})


def reset(console, token, password=NEW_PASSWORD, org_id=None):
    return console.anonymous.post(RESET, {"organization": org_id or console.org_id, "token": token,
                                          "new_password": password})


def reset_emails(email):
    return [message for message in emails_to(email) if message["Subject"].startswith("Reset your")]


def reset_link_token(clock, email):
    """The token of the latest reset email, once the outbox job has sent it."""
    verify_sender()
    services().accounts.send_queued_email(clock.now)
    return link_token(reset_emails(email)[-1])


def test_a_reset_link_is_emailed_and_the_new_password_signs_in_and_ends_every_session(aws):
    clock = Clock()
    with client() as c:
        # Given a signed-in console user who forgot her password
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")

        # When she asks for a link and chooses a new password with it
        asked = forgot(console, "Olivia@Acme.example")
        token = reset_link_token(clock, "olivia@acme.example")
        answer = reset(console, token)

        # Then the link opened the console's reset screen, the new password signs in, the old one does
        # not, and the session she had is over
        assert asked.status == 202 and answer.status == 204, answer.json
        email = text_of(reset_emails("olivia@acme.example")[0])
        assert "#/console/reset-password?" in email and "merchant console" in email and "30 minutes" in email
        assert console.sign_in("olivia@acme.example", PASSWORD).status == 401
        assert console.sign_in("olivia@acme.example", NEW_PASSWORD).status == 200
        assert olivia.get("/console/auth/me").status == 401


def test_a_reset_ends_the_lock_someone_put_on_the_account_by_failing_its_sign_ins(aws):
    clock = Clock()
    with client() as c:
        # Given a console user whose account someone locked by guessing
        console = a_console(c)
        console.user("olivia@acme.example", "admin")
        guesses = [console.sign_in("olivia@acme.example", f"wrong guess number {n}").status for n in range(12)]
        assert guesses[-1] == 429
        assert console.sign_in("olivia@acme.example", PASSWORD).status == 429

        # When she resets her password from her mailbox
        forgot(console, "olivia@acme.example")
        assert reset(console, reset_link_token(clock, "olivia@acme.example")).status == 204

        # Then she signs in at once
        assert console.sign_in("olivia@acme.example", NEW_PASSWORD).status == 200


def test_forgot_password_answers_the_same_whether_or_not_the_account_exists_and_mails_only_an_account(aws):
    clock = Clock()
    with client() as c:
        # Given one console user
        console = a_console(c)
        console.user("olivia@acme.example", "admin")

        # When a reset is asked for her, for an unknown email and for an unknown organization
        answers = [forgot(console, "olivia@acme.example"), forgot(console, "nobody@acme.example"),
                   forgot(console, "olivia@acme.example", org_id="org_unknown")]
        verify_sender()
        services().accounts.send_queued_email(clock.now)

        # Then every answer is the same 202, and only she receives an email
        assert {a.status for a in answers} == {202}
        assert all(a.json == answers[0].json for a in answers)
        assert len(reset_emails("olivia@acme.example")) == 1
        assert reset_emails("nobody@acme.example") == []


def test_a_disabled_user_is_sent_no_link(aws):
    clock = Clock()
    with client() as c:
        # Given a console user the merchant disabled
        console = a_console(c)
        olivia = console.user("olivia@acme.example", "admin")
        assert console.key.patch(f"/admin/merchant-users/{olivia['user_id']}", {"status": "disabled"}).status == 200

        # When a reset is asked for her
        forgot(console, "olivia@acme.example")
        verify_sender()
        services().accounts.send_queued_email(clock.now)

        # Then no link is sent: a reset does not undo the merchant's decision
        assert reset_emails("olivia@acme.example") == []


def test_a_reset_token_works_once_expires_after_30_minutes_and_only_in_its_organization(aws):
    clock = Clock()
    with client() as c:
        # Given two reset links of a console user
        console = a_console(c)
        other = a_console(c, "Other Merchant")
        console.user("olivia@acme.example", "admin")
        forgot(console, "olivia@acme.example")
        first = reset_link_token(clock, "olivia@acme.example")
        clock.advance(minutes=16)       # the per-account backoff lets the next request through
        forgot(console, "olivia@acme.example")
        second = reset_link_token(clock, "olivia@acme.example")

        # When one is used in another organization, one after 30 minutes, and one twice
        elsewhere = reset(other, second, org_id=other.org_id)
        clock.advance(minutes=15)
        expired = reset(console, first)
        used = reset(console, second)
        again = reset(console, second, "someone else's idea of a password")

        # Then only the first use of the live one in its organization worked
        assert (elsewhere.status, expired.status, used.status, again.status) == (401, 401, 204, 401)
        assert console.sign_in("olivia@acme.example", NEW_PASSWORD).status == 200


def test_a_portal_reset_token_does_not_reset_a_console_password_nor_the_reverse(aws):
    clock = Clock()
    with client() as c:
        # Given a console user's reset link
        console = a_console(c)
        console.user("olivia@acme.example", "admin")
        forgot(console, "olivia@acme.example")
        token = reset_link_token(clock, "olivia@acme.example")

        # When it is used at the portal's reset
        portal = console.anonymous.post("/portal/auth/reset-password", {
            "organization": console.org_id, "token": token, "new_password": NEW_PASSWORD})

        # Then it is refused there, and still works where it belongs
        assert portal.status == 401
        assert reset(console, token).status == 204


def test_a_weak_new_password_is_refused_beside_its_field_and_the_link_still_works(aws):
    clock = Clock()
    with client() as c:
        console = a_console(c)
        console.user("olivia@acme.example", "admin")
        forgot(console, "olivia@acme.example")
        token = reset_link_token(clock, "olivia@acme.example")

        weak = reset(console, token, "password")

        assert weak.status == 400 and "new_password" in weak.json["error"]["details"]["fields"], weak.json
        assert reset(console, token).status == 204
