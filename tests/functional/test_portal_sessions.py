"""Sessions: opaque tokens stored as hashes, checked on every /portal route, ended at once."""
from datetime import timedelta

from chalicelib.domain.tokens import token_hash
from chalicelib.tables.sessions import SessionItem
from tests.support.api import Api, client
from tests.support.portal import (
    NEW_PASSWORD, PASSWORD, Clock, assert_refused, login, portal_organization, signed_in_customer,
)


def test_without_a_token_the_portal_answers_401(aws):
    with client() as c:
        answer = Api(c).get("/portal/me")

        assert answer.status == 401


def test_only_the_hash_of_a_session_token_is_stored(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        [stored] = list(SessionItem.by_user.query(f"{acme.org.org_id}#zoe@globex.example"))

        assert stored.token_hash == token_hash(zoe.token) != zoe.token


def test_a_token_stops_working_at_once_after_sign_out(aws):
    Clock()
    with client() as c:
        # Given a signed-in customer
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        # When she signs out
        assert zoe.portal.post("/portal/auth/logout").status == 204

        # Then her token is refused straight away
        assert_refused(zoe.portal.get("/portal/me"))
        assert_refused(zoe.portal.post("/portal/auth/logout"))


def test_a_token_is_refused_after_the_password_was_changed_elsewhere(aws):
    Clock()
    with client() as c:
        # Given two sessions of one contact (say, laptop and phone)
        api = Api(c)
        acme = portal_organization(api)
        laptop = signed_in_customer(api, acme.org, acme.key)
        phone = api.as_(login(api, acme.org.org_id, laptop.email, PASSWORD).json["token"])

        # When she changes her password on the laptop
        changed = laptop.portal.post("/portal/auth/change-password",
                                     {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

        # Then the phone's session ends and the laptop's goes on
        assert changed.status == 200 and changed.json == {"other_sessions_ended": 1}
        assert_refused(phone.get("/portal/me"))
        assert laptop.portal.get("/portal/me").status == 200


def test_a_tampered_token_is_refused(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        flipped = zoe.token[:-1] + ("A" if zoe.token[-1] != "A" else "B")

        for forged in (flipped, zoe.token + "x", zoe.token[:20], token_hash(zoe.token), "x" * 5000):
            assert_refused(api.as_(forged).get("/portal/me"))
        assert zoe.portal.get("/portal/me").status == 200


def test_a_session_idle_for_30_minutes_ends(aws):
    clock = Clock()
    with client() as c:
        # Given a session used a moment ago
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        # When 29 minutes pass it still works; 30 idle minutes after that, it does not
        clock.advance(minutes=29)
        assert zoe.portal.get("/portal/me").status == 200
        clock.advance(minutes=30)
        assert_refused(zoe.portal.get("/portal/me"))


def test_a_session_ends_12_hours_after_sign_in_however_busy(aws):
    clock = Clock()
    with client() as c:
        # Given a session used every 20 minutes
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        for _ in range(35):    # 11 h 40 min
            clock.advance(minutes=20)
            assert zoe.portal.get("/portal/me").status == 200

        # When the twelfth hour is reached
        clock.advance(minutes=20)

        # Then it ends all the same
        assert_refused(zoe.portal.get("/portal/me"))


def test_using_a_session_writes_its_last_use_at_most_once_a_minute(aws):
    clock = Clock()
    with client() as c:
        # Given a session
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        signed_in_at = clock.now

        def last_seen():
            return SessionItem.get(token_hash(zoe.token)).last_seen_at

        # When it is used 30 seconds later, then 61 seconds after sign-in
        clock.advance(seconds=30)
        zoe.portal.get("/portal/me")
        after_30_seconds = last_seen()
        clock.advance(seconds=31)
        zoe.portal.get("/portal/me")

        # Then only the second use is written, and the expiry (TTL) follows it
        assert after_30_seconds == signed_in_at
        assert last_seen() == clock.now
        assert SessionItem.get(token_hash(zoe.token)).expires_at == clock.now + timedelta(minutes=30)


def test_a_merchant_key_is_not_a_portal_session_and_a_session_is_not_a_merchant_key(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        assert_refused(api.as_(acme.key).get("/portal/me"))
        assert_refused(zoe.portal.get("/admin/customers"))


def test_a_session_of_one_organization_only_ever_shows_that_organization(aws):
    Clock()
    with client() as c:
        # Given the same person as a customer of two organizations
        api = Api(c)
        acme = portal_organization(api)
        initech = portal_organization(api, "Initech Ltd")
        at_acme = signed_in_customer(api, acme.org, acme.key)
        at_initech = signed_in_customer(api, initech.org, initech.key, password=NEW_PASSWORD)

        # Then each password opens only its own organization's account
        assert login(api, acme.org.org_id, "zoe@globex.example", NEW_PASSWORD).status == 401
        assert login(api, initech.org.org_id, "zoe@globex.example", PASSWORD).status == 401
        # And each session shows only its own organization and customer
        acme_me = at_acme.portal.get("/portal/me").json
        initech_me = at_initech.portal.get("/portal/me").json
        assert (acme_me["organization"]["org_id"], acme_me["customer"]["customer_id"]) == \
            (acme.org.org_id, at_acme.customer_id)
        assert (initech_me["organization"]["org_id"], initech_me["customer"]["customer_id"]) == \
            (initech.org.org_id, at_initech.customer_id)


def test_nothing_in_a_request_body_can_change_who_the_session_is(aws):
    Clock()
    with client() as c:
        # Given a signed-in customer
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        # When a body names another organization or customer
        answer = zoe.portal.post("/portal/auth/change-password", {
            "current_password": PASSWORD, "new_password": NEW_PASSWORD,
            "org_id": "org_other", "customer_id": "cus_other"})

        # Then the request is refused for its unknown fields, and nothing changed
        assert answer.status == 400
        assert set(answer.json["error"]["details"]["fields"]) == {"org_id", "customer_id"}
        assert login(api, acme.org.org_id, zoe.email, PASSWORD).status == 200


def test_a_refused_session_token_answers_401(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        zoe.portal.post("/portal/auth/logout")

        assert zoe.portal.get("/portal/me").status == 401
