"""Changing the sign-in email: requested with the current password, switched only once the link
sent to the new address is confirmed; a taken or reserved address answers as a free one and
receives nothing it could use."""
from chalicelib.bootstrap import services
from tests.support.api import Api, client
from tests.support.documents import a_scene, signed_in
from tests.support.portal import (
    NEW_PASSWORD, PASSWORD, emails_to, invite, link_token, login, new_customer, text_of,
)
from tests.support.sign_in import forgot

CONFIRM = "/portal/auth/confirm-email"
NEW = "zoe.keller@globex.example"


def request_change(scene, email: str = NEW):
    return scene.zoe.portal.patch("/portal/profile", {"contact": {"email": email}, "current_password": PASSWORD})


def confirmation_links(scene, email: str = NEW) -> list[str]:
    """The confirmation links emailed to `email`, once the outbox job has sent what is queued."""
    services().accounts.send_queued_email(scene.clock.now)
    return [link_token(m) for m in emails_to(email) if m["Subject"].startswith("Confirm your new")]


def confirm(scene, token: str):
    return scene.api.as_(None).post(CONFIRM, {"organization": scene.acme.org.org_id, "token": token})


def test_a_new_sign_in_email_is_only_requested_until_the_link_sent_to_it_is_confirmed(aws):
    with client() as c:
        # Given Zoë signed in twice (this browser and another)
        scene = a_scene(Api(c))
        org_id = scene.acme.org.org_id
        other_browser = login(scene.api, org_id, "zoe@globex.example", PASSWORD)

        # When she asks for a new sign-in email with her password
        answer = request_change(scene)

        # Then nothing switches yet: she still signs in with the old address
        assert answer.status == 200, answer.json
        assert answer.json["contact"]["email"] == "zoe@globex.example" and answer.json["pending_email"] == NEW
        assert login(scene.api, org_id, NEW, PASSWORD).status == 401
        assert login(scene.api, org_id, "zoe@globex.example", PASSWORD).status == 200

        # When she confirms with the link sent to the new address
        [token] = confirmation_links(scene)
        assert confirm(scene, token).status == 204

        # Then her contact and account use the new address, and both sessions still work
        assert scene.zoe.portal.get("/portal/me").json["contact"]["email"] == NEW
        assert scene.api.as_(other_browser.json["token"]).get("/portal/me").status == 200
        assert login(scene.api, org_id, NEW, PASSWORD).status == 200
        assert login(scene.api, org_id, "zoe@globex.example", PASSWORD).status == 401
        # And the old address is told
        [notice] = emails_to("zoe@globex.example")
        assert notice["Subject"] == "Your Acme Cloud customer portal sign-in email was changed"
        assert NEW in text_of(notice)
        # And the moved account still changes its password (which ends the other sessions)
        changed = scene.zoe.portal.post("/portal/auth/change-password", {
            "current_password": PASSWORD, "new_password": "seven quiet herons over the marsh"})
        assert changed.status == 200 and changed.json == {"other_sessions_ended": 3}
        # And the timeline has the change
        [record] = [a for a in scene.zoe.portal.get("/portal/activity").json["items"]
                    if a["action"] == "profile.updated"]
        assert (record["before"], record["after"]) == ({"contact.email": "zoe@globex.example"},
                                                       {"contact.email": NEW})


def test_a_confirmation_link_works_once_and_for_one_hour(aws):
    with client() as c:
        scene = a_scene(Api(c))
        request_change(scene)
        [token] = confirmation_links(scene)
        assert confirm(scene, token).status == 204
        assert confirm(scene, token).status == 401

        request_change(scene, "zoe.k@globex.example")   # from her new address on
        [late] = confirmation_links(scene, "zoe.k@globex.example")
        scene.clock.advance(hours=1)
        assert confirm(scene, late).status == 401
        assert login(scene.api, scene.acme.org.org_id, NEW, PASSWORD).status == 200


THIEF = "thief@elsewhere.example"


def reset_by_mail(scene, email: str = "zoe@globex.example"):
    """Zoë's password reset, by the link the outbox job sends her mailbox."""
    org_id = scene.acme.org.org_id
    forgot(scene.api, org_id, email)
    services().accounts.send_queued_email(scene.clock.now)
    [mail] = [m for m in emails_to(email) if m["Subject"].startswith("Reset your")]
    return scene.api.as_(None).post("/portal/auth/reset-password", {
        "organization": org_id, "token": link_token(mail), "new_password": NEW_PASSWORD})


def test_a_password_reset_takes_back_a_new_sign_in_email_whoever_had_the_account_asked_for(aws):
    with client() as c:
        # Given someone who learnt Zoë's password, signed in as her and asked to move her sign-in to their
        # own address, whose link is in their mailbox
        scene = a_scene(Api(c))
        org_id = scene.acme.org.org_id
        request_change(scene, THIEF)
        [token] = confirmation_links(scene, THIEF)

        # When Zoë takes her account back with a password reset from her own mailbox
        scene.clock.advance(minutes=1)
        assert reset_by_mail(scene).status == 204

        # Then the link moves nothing: the account stays at her address, which signs in with her new password
        assert confirm(scene, token).status == 401
        assert login(scene.api, org_id, "zoe@globex.example", NEW_PASSWORD).status == 200
        assert login(scene.api, org_id, THIEF, NEW_PASSWORD).status == 401


def test_a_new_sign_in_email_asked_for_before_the_password_changed_is_not_sent_a_link(aws):
    with client() as c:
        # Given a change of sign-in email asked for with Zoë's password, its email not sent yet
        scene = a_scene(Api(c))
        org_id = scene.acme.org.org_id
        request_change(scene, THIEF)

        # When she changes her password (ending every other session) before the outbox sends it
        scene.clock.advance(minutes=1)
        changed = scene.zoe.portal.post("/portal/auth/change-password", {
            "current_password": PASSWORD, "new_password": NEW_PASSWORD})
        scene.clock.advance(minutes=1)

        # Then the new address is sent no link, and her sign-in stays hers
        assert changed.status == 200
        assert confirmation_links(scene, THIEF) == []
        assert login(scene.api, org_id, "zoe@globex.example", NEW_PASSWORD).status == 200


def test_an_address_of_another_portal_account_answers_as_a_free_one_and_receives_nothing(aws):
    with client() as c:
        # Given Bill of Initech, with a portal account at the same organization
        scene = a_scene(Api(c))
        initech = new_customer(scene.admin, display_name="Initech", email="bill@initech.example")
        signed_in(scene.api, scene.acme.org.org_id, initech, "bill@initech.example")

        # When Zoë asks for Bill's address, and then for a free one
        taken = request_change(scene, "Bill@Initech.example")
        free = request_change(scene, "zoe.private@globex.example")

        # Then both answers are alike, but for the address they name
        assert taken.status == free.status == 200
        assert {**taken.json, "pending_email": None} == {**free.json, "pending_email": None}
        # And Bill receives nothing, the free address its link; Zoë still signs in as before
        assert confirmation_links(scene, "bill@initech.example") == []
        assert emails_to("bill@initech.example") == []
        assert len(confirmation_links(scene, "zoe.private@globex.example")) == 1
        assert login(scene.api, scene.acme.org.org_id, "zoe@globex.example", PASSWORD).status == 200


def test_an_address_the_merchant_invited_cannot_be_claimed_and_its_invitation_still_works(aws):
    with client() as c:
        # Given the merchant invited Dana, a contact of another customer
        scene = a_scene(Api(c))
        initech = new_customer(scene.admin, display_name="Initech", email="dana@initech.example")
        invitation = invite(scene.admin, initech, "dana@initech.example")

        # When Zoë asks for Dana's address
        assert request_change(scene, "dana@initech.example").status == 200

        # Then Dana receives no confirmation link, and her invitation still works
        assert confirmation_links(scene, "dana@initech.example") == []
        accepted = scene.api.as_(None).post("/portal/auth/accept-invite", {
            "organization": scene.acme.org.org_id, "token": invitation, "password": PASSWORD})
        assert accepted.status == 201, accepted.json


def test_a_link_for_an_address_taken_since_is_refused_and_the_invitation_wins(aws):
    with client() as c:
        # Given Zoë's link for dana@initech.example, and then the merchant invites Dana
        scene = a_scene(Api(c))
        request_change(scene, "dana@initech.example")
        [token] = confirmation_links(scene, "dana@initech.example")
        initech = new_customer(scene.admin, display_name="Initech", email="dana@initech.example")
        invitation = invite(scene.admin, initech, "dana@initech.example")

        # When the link is used
        answer = confirm(scene, token)

        # Then it is refused, nothing moved, and the invitation works
        assert answer.status == 401
        assert scene.zoe.portal.get("/portal/me").json["contact"]["email"] == "zoe@globex.example"
        assert scene.api.as_(None).post("/portal/auth/accept-invite", {
            "organization": scene.acme.org.org_id, "token": invitation, "password": PASSWORD}).status == 201
