"""Signing in: argon2id, one answer for every failure, growing delays, a short lock (rate limits per source
address: test_anonymous_rate_limits.py)."""
from chalicelib import bootstrap
from chalicelib.services.access.portal_auth import LOCKOUT
from chalicelib.tables.portal_users import PortalUserItem
from tests.support.api import Api, client, from_address
from tests.support.call_shapes import accounts_decoded, calls_made, hash_work
from tests.support.sign_in import WRONG, acme_and_zoe
from tests.support.portal import (
    PASSWORD, Clock, invite, login, new_customer, portal_organization, signed_in_customer,
)



def test_a_contact_signs_in_with_organization_email_and_password(aws):
    Clock()
    with client() as c:
        # Given a signed-up contact
        api, acme, zoe = acme_and_zoe(c)

        # When she signs in, typing her email in capitals
        answer = login(api, acme.org.org_id, "ZOE@Globex.example", PASSWORD)

        # Then she gets a bearer token naming her organization and customer, with a secret of 256 bits, and its limits
        assert answer.status == 200, answer.json
        org_id, customer_id, secret = answer.json["token"].split(".")
        assert answer.json["token_type"] == "Bearer" and (org_id, customer_id) == (acme.org.org_id, zoe.customer_id)
        assert len(secret) == 43
        assert answer.json["expires_at"] == "2026-11-26T00:00:00+00:00"
        assert answer.json["idle_timeout_seconds"] == 1800
        me = api.as_(answer.json["token"]).get("/portal/me")
        assert me.json["customer"]["customer_id"] == zoe.customer_id


def test_an_unknown_email_and_a_wrong_password_get_the_same_answer(aws):
    Clock()
    with client() as c:
        # Given a signed-up contact, and a contact invited who has not chosen a password yet
        api = Api(c)
        acme = portal_organization(api)
        signed_in_customer(api, acme.org, acme.key)
        invite(acme.admin, new_customer(acme.admin, display_name="Hooli", email="gavin@hooli.example"),
               "gavin@hooli.example")

        # When sign-ins fail in every way
        answers = [login(api, acme.org.org_id, "zoe@globex.example", WRONG),
                   login(api, acme.org.org_id, "nobody@globex.example", WRONG),
                   login(api, acme.org.org_id, "gavin@hooli.example", WRONG),
                   login(api, "org_unknown", "zoe@globex.example", PASSWORD)]

        # Then status and body are identical: nothing tells which part was wrong
        assert {a.status for a in answers} == {401}
        assert all(a.json == answers[0].json for a in answers)
        assert answers[0].json["error"]["message"] == "The email address or the password is not right."


def test_an_unknown_email_costs_the_same_calls_and_hash_work_as_a_wrong_password(aws, monkeypatch):
    clock = Clock()
    with client() as c:
        # Given a signed-up contact
        api = Api(c)
        acme = portal_organization(api)
        signed_in_customer(api, acme.org, acme.key)

        # When a wrong password is tried for her, and for an email without an account
        shapes = {}
        for email in ("zoe@globex.example", "nobody@globex.example"):
            clock.advance(seconds=31)   # past any delay between failures
            with calls_made() as calls, hash_work(monkeypatch) as verified, accounts_decoded(monkeypatch) as decoded:
                answer = login(api, acme.org.org_id, email, WRONG)
            shapes[email] = (answer.status, answer.json, calls, verified, decoded)

        # Then both made the same DynamoDB calls on the same tables, decoded one account item (a
        # stand-in where there is none) and verified one argon2id hash of the same cost: the same
        # work, so no difference to time (measured: bench/timing.py)
        assert shapes["zoe@globex.example"] == shapes["nobody@globex.example"]
        status, _, calls, verified, decoded = shapes["nobody@globex.example"]
        assert status == 401 and len(verified) == 1 and verified[0][0] == "argon2id" and len(decoded) == 1
        assert ("BatchGetItem", ("organizations", "portal_users", "rate_counters")) in calls


def test_failures_beyond_the_fifth_make_the_next_attempt_wait_longer_and_longer(aws):
    clock = Clock()
    with client() as c:
        # Given six wrong passwords in a row (the first five cost nothing)
        api = Api(c)
        acme = portal_organization(api)
        signed_in_customer(api, acme.org, acme.key)
        for _ in range(6):
            assert login(api, acme.org.org_id, "zoe@globex.example", WRONG).status == 401

        # When she tries again at once, even with the right password
        too_soon = login(api, acme.org.org_id, "zoe@globex.example", PASSWORD)

        # Then she must wait a second; after one more failure, two
        assert too_soon.status == 429 and too_soon.headers["Retry-After"] == "1"
        clock.advance(seconds=1)
        assert login(api, acme.org.org_id, "zoe@globex.example", WRONG).status == 401
        assert login(api, acme.org.org_id, "zoe@globex.example", PASSWORD).headers["Retry-After"] == "2"


def test_the_tenth_failure_locks_the_account_for_15_minutes_and_the_lock_expires(aws):
    clock = Clock()
    with client() as c:
        # Given ten wrong passwords, 30 seconds apart (never refused for coming too soon)
        api = Api(c)
        acme = portal_organization(api)
        signed_in_customer(api, acme.org, acme.key)
        for attempt in range(10):
            clock.advance(seconds=30 if attempt else 0)
            assert login(api, acme.org.org_id, "zoe@globex.example", WRONG).status == 401
        locked_at = clock.now

        # When the right password comes after the rate window has moved on but within the lock
        clock.advance(minutes=10, seconds=30)
        during = login(api, acme.org.org_id, "zoe@globex.example", PASSWORD)

        # Then it is refused until the lock ends, and accepted after
        assert during.status == 429
        assert during.headers["Retry-After"] == "270"
        clock.now = locked_at + LOCKOUT.lock_for
        assert login(api, acme.org.org_id, "zoe@globex.example", PASSWORD).status == 200


def test_an_unknown_email_is_slowed_and_locked_exactly_like_an_account(aws):
    clock = Clock()
    with client() as c:
        # Given an account and an unknown email, each failing ten times in step
        api = Api(c)
        acme = portal_organization(api)
        signed_in_customer(api, acme.org, acme.key)
        for attempt in range(10):
            clock.advance(seconds=30 if attempt else 0)
            with from_address("203.0.113.1"):
                login(api, acme.org.org_id, "zoe@globex.example", WRONG)
            with from_address("203.0.113.2"):
                login(api, acme.org.org_id, "nobody@globex.example", WRONG)

        # When both try again during the lock (in a fresh rate window)
        clock.advance(minutes=11)
        with from_address("203.0.113.3"):
            account = login(api, acme.org.org_id, "zoe@globex.example", WRONG)
            unknown = login(api, acme.org.org_id, "nobody@globex.example", WRONG)

        # Then the answers are the same, Retry-After included
        assert account.status == unknown.status == 429
        assert account.json == unknown.json
        assert account.headers["Retry-After"] == unknown.headers["Retry-After"]


def test_a_successful_sign_in_forgets_earlier_failures(aws):
    clock = Clock()
    with client() as c:
        # Given six failures, then a success once the delay has passed
        api = Api(c)
        acme = portal_organization(api)
        signed_in_customer(api, acme.org, acme.key)
        for _ in range(6):
            login(api, acme.org.org_id, "zoe@globex.example", WRONG)
        clock.advance(seconds=1)
        assert login(api, acme.org.org_id, "zoe@globex.example", PASSWORD).status == 200

        # When she mistypes once more
        login(api, acme.org.org_id, "zoe@globex.example", WRONG)

        # Then that failure is a first one again: no wait before the next attempt
        assert login(api, acme.org.org_id, "zoe@globex.example", PASSWORD).status == 200


def test_a_hash_made_with_older_parameters_is_replaced_at_sign_in(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a password stored with t=2
        api = Api(c)
        acme = portal_organization(api)
        signed_in_customer(api, acme.org, acme.key)
        login_key = f"{acme.org.org_id}#zoe@globex.example"
        assert ",t=2," in PortalUserItem.get(login_key).password_hash

        # When the configuration asks for t=3 and she signs in
        monkeypatch.setenv("PORTICO_ARGON2_ITERATIONS", "3")
        bootstrap.reset()
        assert login(api, acme.org.org_id, "zoe@globex.example", PASSWORD).status == 200

        # Then her hash is made again with the new parameters, and still verifies
        assert PortalUserItem.get(login_key).password_hash.startswith("$argon2id$v=19$m=19456,t=3,p=1$")
        assert login(api, acme.org.org_id, "zoe@globex.example", PASSWORD).status == 200
