"""Sign-in and reset requests are limited per source address and per account, never per organization:
anonymous traffic naming an organization cannot lock its customers out."""
from chalicelib.bootstrap import adapters, services
from chalicelib.tables.portal_users import login_key
from tests.support.api import Api, client, from_address
from tests.support.call_shapes import hash_work
from tests.support.portal import NEW_PASSWORD, PASSWORD, Clock, emails_to, link_token, login, portal_organization, \
    signed_in_customer
from tests.support.sign_in import WRONG, acme_and_zoe, forgot, wrong_guesses

ATTACKER = "203.0.113.9"
CUSTOMER = "198.51.100.7"


def reset(api, org_id, token, password=NEW_PASSWORD):
    return api.as_(None).post("/portal/auth/reset-password", {"organization": org_id, "token": token,
                                                              "new_password": password})


def newest_reset_token(clock, email):
    services().accounts.send_queued_email(clock.now)
    return link_token([m for m in emails_to(email) if m["Subject"].startswith("Reset your")][-1])


# --- signing in ---------------------------------------------------------------------------------

def test_hundreds_of_random_sign_ins_to_an_organization_leave_its_customer_able_to_sign_in(aws):
    clock = Clock()
    with client() as c:
        # Given a customer of Acme
        api, acme, zoe = acme_and_zoe(c)

        # When one address sends 320 sign-ins with made-up emails within 25 seconds
        with from_address(ATTACKER):
            statuses = []
            for n in range(320):
                clock.advance(microseconds=78_000)
                statuses += wrong_guesses(api, acme.org.org_id, [n])

        # Then that address is throttled, and Zoe, elsewhere, signs in with her password at once
        assert set(statuses) == {401, 429} and statuses[-1] == 429
        with from_address(CUSTOMER):
            assert login(api, acme.org.org_id, zoe.email, PASSWORD).status == 200


def test_an_address_that_keeps_failing_waits_longer_and_longer_others_do_not(aws):
    clock = Clock()
    with client() as c:
        # Given ten failed sign-ins from one address, each naming another email (they cost nothing)
        api, acme, zoe = acme_and_zoe(c)
        with from_address(ATTACKER):
            assert wrong_guesses(api, acme.org.org_id, range(10)) == [401] * 10

            # When it fails once more, then tries again at once
            assert wrong_guesses(api, acme.org.org_id, [10]) == [401]
            too_soon = login(api, acme.org.org_id, "guess11@globex.example", WRONG)

            # Then it must wait a second; after one more failure, two
            assert too_soon.status == 429 and too_soon.headers["Retry-After"] == "1"
            clock.advance(seconds=1)
            assert login(api, acme.org.org_id, "guess11@globex.example", WRONG).status == 401
            assert login(api, acme.org.org_id, "guess12@globex.example", WRONG).headers["Retry-After"] == "2"

        # And another address is not slowed down
        with from_address(CUSTOMER):
            assert login(api, acme.org.org_id, zoe.email, PASSWORD).status == 200


def test_sign_ins_from_one_address_are_capped_per_minute(aws):
    clock = Clock()
    with client() as c:
        # Given 30 sign-ins from one address within a minute (the limit), all successful
        api, acme, zoe = acme_and_zoe(c)
        clock.advance(seconds=15)
        with from_address(CUSTOMER):
            for _ in range(30):
                assert login(api, acme.org.org_id, zoe.email, PASSWORD).status == 200

            # When a 31st comes
            answer = login(api, acme.org.org_id, zoe.email, PASSWORD)

        # Then it waits for the next minute
        assert answer.status == 429 and answer.headers["Retry-After"] == "45"


def test_an_unknown_organization_is_refused_before_any_password_hashing(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given Acme and Zoë
        api, acme, zoe = acme_and_zoe(c)

        # When someone signs in to an organization that does not exist, and to Zoë's with a wrong password
        with hash_work(monkeypatch) as verified:
            unknown = login(api, "org_made_up", zoe.email, PASSWORD)
        with hash_work(monkeypatch) as verified_for_acme:
            wrong = login(api, acme.org.org_id, zoe.email, WRONG)

        # Then the answer is a wrong password's, and no hash was computed for it
        assert unknown.status == 401 and unknown.json == wrong.json
        assert verified == [] and len(verified_for_acme) == 1


# --- asking for a reset -------------------------------------------------------------------------

def test_reset_requests_for_many_emails_do_not_block_the_organizations_other_customers(aws):
    Clock()
    with client() as c:
        # Given 150 reset requests for made-up emails of Acme, from many addresses
        api, acme, zoe = acme_and_zoe(c)
        for n in range(150):
            with from_address(f"203.0.113.{n % 100}"):
                forgot(api, acme.org.org_id, f"guess{n}@globex.example")

        # When Zoe asks for a reset
        with from_address(CUSTOMER):
            answer = forgot(api, acme.org.org_id, zoe.email)

        # Then it is accepted
        assert answer.status == 202


def test_reset_requests_from_one_address_are_capped_per_hour(aws):
    Clock()
    with client() as c:
        api, acme, _ = acme_and_zoe(c)
        with from_address(ATTACKER):
            for n in range(20):
                assert forgot(api, acme.org.org_id, f"guess{n}@globex.example").status == 202

            twenty_first = forgot(api, acme.org.org_id, "guess20@globex.example")

        assert twenty_first.status == 429 and twenty_first.headers["Retry-After"] == "3600"
        with from_address(CUSTOMER):
            assert forgot(api, acme.org.org_id, "guess20@globex.example").status == 202


def test_reset_requests_for_one_account_back_off_whoever_sends_them(aws):
    clock = Clock()
    with client() as c:
        # Given three reset requests for Zoe's account from three addresses
        api, acme, zoe = acme_and_zoe(c)
        for n in range(3):
            with from_address(f"203.0.113.{n}"):
                assert forgot(api, acme.org.org_id, zoe.email).status == 202

        # When a fourth comes at once, from a fresh address
        with from_address(CUSTOMER):
            fourth = forgot(api, acme.org.org_id, zoe.email)

            # Then it waits a minute; the next, two
            assert fourth.status == 429 and fourth.headers["Retry-After"] == "60"
            clock.advance(minutes=1)
            assert forgot(api, acme.org.org_id, zoe.email).status == 202
            assert forgot(api, acme.org.org_id, zoe.email).headers["Retry-After"] == "120"


def test_an_account_locked_by_someone_else_always_recovers_through_its_reset_email(aws):
    clock = Clock()
    with client() as c:
        # Given an attacker who asks for Zoe's resets every 30 seconds for two hours, from an address each time
        api, acme, zoe = acme_and_zoe(c)
        for n in range(240):
            clock.advance(seconds=30)
            with from_address(f"192.0.2.{n % 250}"):
                forgot(api, acme.org.org_id, zoe.email)

            # Then at every moment Zoe may ask for a link herself, or the newest in her mailbox still works
            if n % 20 == 0:
                with from_address(CUSTOMER):
                    asked = forgot(api, acme.org.org_id, zoe.email)
                assert asked.status == 202 or _usable(newest_reset_token(clock, zoe.email), acme, clock)

        # When the attacker then locks her account with ten wrong passwords
        for n in range(10):
            clock.advance(seconds=30)
            with from_address(f"203.0.113.{n}"):
                assert login(api, acme.org.org_id, zoe.email, WRONG).status == 401
        with from_address(CUSTOMER):
            assert login(api, acme.org.org_id, zoe.email, PASSWORD).status == 429

            # Then with the newest link she chooses a new password and signs in at once
            assert reset(api, acme.org.org_id, newest_reset_token(clock, zoe.email)).status == 204
            assert login(api, acme.org.org_id, zoe.email, NEW_PASSWORD).status == 200


def _usable(token, acme, clock):
    from chalicelib.domain.tokens import token_hash
    found = adapters().uow.one_time_tokens.get(token_hash(token))
    return found is not None and found.is_usable("reset", acme.org.org_id, clock.now)


def test_successful_sign_ins_do_not_count_toward_the_failure_limits(aws):
    clock = Clock()
    with client() as c:
        # Given an office address from which Zoe signed in fifteen times within fifteen minutes
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        with from_address(CUSTOMER):
            for _ in range(15):
                clock.advance(minutes=1)
                assert login(api, acme.org.org_id, zoe.email, PASSWORD).status == 200

            # When she mistypes her password, then types it right at once
            mistyped = login(api, acme.org.org_id, zoe.email, WRONG)
            typed_right = login(api, acme.org.org_id, zoe.email, PASSWORD)

        # Then the mistake is a first failure (401, no wait) and her password lets her in
        assert mistyped.status == 401 and typed_right.status == 200
        state = adapters().uow.rate_counters.failures(login_key(acme.org.org_id, zoe.email))
        assert state.count == 0

        # And the address still has all of its free failures but the one: nine more typos wait for nothing
        with from_address(CUSTOMER):
            typos = [login(api, acme.org.org_id, f"colleague{n}@globex.example", WRONG).status for n in range(9)]
        assert typos == [401] * 9
