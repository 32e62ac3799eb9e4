"""Signing in with an emailed link, where the merchant allows it: asked for like a password reset
(the same answer and the same calls whether the account exists, limited per address and per
account), used once within 15 minutes, through the second factor where the account has one."""
from chalicelib.bootstrap import adapters
from chalicelib.domain.second_factor import code_for, step_at
from tests.support.api import Api, client, from_address
from tests.support.call_shapes import calls_made
from tests.support.portal import (
    PASSWORD, Clock, a_passwordless_zoe, emails_to, link_token, login, portal_organization, signed_in_customer,
)
from tests.support.subscriptions import a_shop

ASK = "/portal/auth/sign-in-links"
REDEEM = "/portal/auth/sign-in-links/redeem"


def ask(shop, email: str, org_id: str | None = None):
    return shop.api.as_(None).post(ASK, {"organization": org_id or shop.acme.org.org_id, "email": email})


def redeem(shop, token: str, org_id: str | None = None):
    return shop.api.as_(None).post(REDEEM, {"organization": org_id or shop.acme.org.org_id, "token": token})


def link_sent_to(email: str) -> str:
    """The token of the newest sign-in email, once the outbox job has sent it."""
    return link_token([m for m in emails_to(email) if m["Subject"].startswith("Sign in to")][-1])


def test_a_customer_signs_in_with_the_link_emailed_to_her_once(aws):
    with client() as c:
        # Given a portal that signs in with a password or a link
        shop = a_shop(c, preferences={"sign_in_with": "both"})

        # When Zoë asks for a link and follows it
        asked = ask(shop, shop.zoe.email)
        token = link_sent_to(shop.zoe.email)
        signed_in = redeem(shop, token)
        again = redeem(shop, token)

        # Then she has a session that opens the portal, and the link works once
        assert asked.status == 202 and "15 minutes" in asked.json["message"]
        assert signed_in.status == 200 and signed_in.json["token_type"] == "Bearer"
        assert shop.api.as_(signed_in.json["token"]).get("/portal/me").status == 200
        assert again.status == 401 and "used already" in again.json["error"]["message"]
        # And the link's token is stored only as its hash
        assert adapters().uow.one_time_tokens.get(token) is None


def test_a_link_expires_after_fifteen_minutes(aws):
    with client() as c:
        shop = a_shop(c, preferences={"sign_in_with": "link"})
        ask(shop, shop.zoe.email)
        token = link_sent_to(shop.zoe.email)

        shop.clock.advance(minutes=15)

        assert redeem(shop, token).status == 401


def test_a_link_of_one_organization_does_not_sign_in_to_another(aws):
    with client() as c:
        # Given Zoë's link from Acme, and Initech's portal that also signs in with links
        shop = a_shop(c, preferences={"sign_in_with": "both"})
        ask(shop, shop.zoe.email)
        token = link_sent_to(shop.zoe.email)
        initech = portal_organization(shop.api, "Initech")
        assert initech.admin.put("/admin/preferences", {"preferences": {"sign_in_with": "both"}}).status == 200

        # When it is sent naming Initech
        elsewhere = redeem(shop, token, org_id=initech.org.org_id)

        # Then it signs no one in, and still works where it belongs
        assert elsewhere.status == 401
        assert redeem(shop, token).status == 200


def test_an_unknown_email_gets_the_same_answer_and_the_same_calls_and_no_email(aws):
    with client() as c:
        shop = a_shop(c, preferences={"sign_in_with": "both"})
        shapes = {}
        for email in (shop.zoe.email, "nobody@globex.example"):
            with calls_made() as calls:
                answer = ask(shop, email)
            shapes[email] = (answer.status, answer.json, calls)

        assert shapes[shop.zoe.email] == shapes["nobody@globex.example"]
        assert shapes["nobody@globex.example"][0] == 202
        assert emails_to("nobody@globex.example") == []


def test_the_merchant_chooses_password_link_or_both(aws):
    with client() as c:
        # Given a portal that signs in with passwords only (the default)
        shop = a_shop(c, preferences=None)
        refused_link = ask(shop, shop.zoe.email)

        # When the merchant switches it to links only
        shop.preferences({"sign_in_with": "link"})
        refused_password = login(shop.api, shop.acme.org.org_id, shop.zoe.email, PASSWORD)
        assert shop.admin.patch("/admin/organization", {"portal_name": "acme"}).status == 200
        portal = shop.api.as_(None).get("/portal/auth/portals/acme")

        # Then each way that is off is refused as such, and the sign-in page is told which are on
        assert (refused_link.status, refused_link.json["error"]["code"]) == (403, "feature_disabled")
        assert (refused_password.status, refused_password.json["error"]["details"]) == (
            403, {"feature": "password_sign_in"})
        assert portal.json["sign_in"] == {"password": False, "link": True, "passkey": True}


def test_a_link_switched_off_after_it_was_sent_signs_no_one_in(aws):
    with client() as c:
        shop = a_shop(c, preferences={"sign_in_with": "both"})
        ask(shop, shop.zoe.email)
        token = link_sent_to(shop.zoe.email)

        shop.preferences({"sign_in_with": "password"})

        assert redeem(shop, token).status == 403


def test_an_account_with_a_second_factor_answers_its_code_after_the_link(aws):
    with client() as c:
        # Given Zoë with a second factor
        shop = a_shop(c, preferences={"sign_in_with": "both"})
        secret = shop.portal.post("/portal/auth/second-factor", {"current_password": PASSWORD}).json["secret"]
        shop.portal.post("/portal/auth/second-factor/confirm", {"code": code_for(secret, step_at(shop.clock.now))})
        shop.clock.advance(seconds=30)

        # When she follows a sign-in link
        ask(shop, shop.zoe.email)
        first = redeem(shop, link_sent_to(shop.zoe.email))

        # Then there is no session before her code, and then there is
        assert first.status == 200 and "token" not in first.json
        done = shop.api.as_(None).post("/portal/auth/login/second-factor", {
            "organization": shop.acme.org.org_id, "challenge": first.json["second_factor"]["challenge"],
            "code": code_for(secret, step_at(shop.clock.now))})
        assert done.status == 200 and done.json["token"]


def test_requests_for_one_account_back_off_and_one_address_is_capped(aws):
    with client() as c:
        shop = a_shop(c, preferences={"sign_in_with": "both"})
        # three for Zoë at once from three addresses, then a fourth waits a minute
        for n in range(3):
            with from_address(f"203.0.113.{n}"):
                assert ask(shop, shop.zoe.email).status == 202
        with from_address("198.51.100.7"):
            fourth = ask(shop, shop.zoe.email)
        assert fourth.status == 429 and fourth.headers["Retry-After"] == "60"

        # twenty an hour from one address, whatever the emails
        with from_address("203.0.113.9"):
            statuses = [ask(shop, f"guess{n}@globex.example").status for n in range(21)]
        assert statuses == [202] * 20 + [429]


def test_a_made_up_token_counts_as_a_failed_sign_in_of_the_address(aws):
    with client() as c:
        shop = a_shop(c, preferences={"sign_in_with": "both"})
        with from_address("203.0.113.9"):
            statuses = [redeem(shop, f"made-up-{n}").status for n in range(12)]
        assert statuses[:10] == [401] * 10 and 429 in statuses[10:]


def test_a_second_customer_of_the_portal_gets_her_own_session(aws):
    with client() as c:
        shop = a_shop(c, preferences={"sign_in_with": "both"})
        bill = signed_in_customer(shop.api, shop.acme.org, shop.acme.key, email="bill@initech.example")
        ask(shop, bill.email)

        signed_in = redeem(shop, link_sent_to(bill.email))

        me = shop.api.as_(signed_in.json["token"]).get("/portal/me")
        assert me.json["contact"]["email"] == "bill@initech.example"


def test_an_account_without_a_password_proves_itself_by_a_fresh_sign_in_and_never_counts_a_failure(aws):
    clock = Clock()
    with client() as c:
        # Given a link-only portal, and Zoë, who accepted her invitation (no password) 11 minutes ago
        api = Api(c)
        acme, zoe = a_passwordless_zoe(api)
        clock.advance(minutes=11)

        # When she asks, again and again, to add a passkey, to set up a second factor or to change her sign-in email
        stale = [zoe.post("/portal/auth/passkeys/options", {}) for _ in range(12)]
        stale.append(zoe.post("/portal/auth/second-factor", {}))
        stale.append(zoe.patch("/portal/profile", {"contact": {"email": "zoe@new.example"}}))

        # Then each is asked for a fresh sign-in (never a wrong password, never throttled)
        assert {(a.status, a.json["error"]["code"]) for a in stale} == {(403, "fresh_sign_in_needed")}
        assert stale[0].json["error"]["details"] == {"within_minutes": 10}

        # And once she signs in again with an emailed link (no failure held against her), she may
        asked = api.as_(None).post(ASK, {"organization": acme.org.org_id, "email": "zoe@globex.example"})
        fresh = api.as_(None).post(REDEEM, {"organization": acme.org.org_id,
                                            "token": link_sent_to("zoe@globex.example")})
        assert (asked.status, fresh.status) == (202, 200), fresh.json
        again = api.as_(fresh.json["token"])
        assert again.post("/portal/auth/passkeys/options", {}).status == 200
        assert again.post("/portal/auth/second-factor", {}).status == 200
        moved = again.patch("/portal/profile", {"contact": {"email": "zoe@new.example"}})
        assert moved.status == 200 and moved.json["pending_email"] == "zoe@new.example", moved.json


def test_the_security_screen_is_told_whether_the_account_has_a_password_to_ask_for(aws):
    with client() as c:
        # Given Zoë, who accepted her invitation to a link-only portal (no password), and Bill, who chose one
        api = Api(c)
        _, zoe = a_passwordless_zoe(api)
        initech = portal_organization(api, "Initech")
        bill = signed_in_customer(api, initech.org, initech.key, email="bill@initech.example").portal

        # When each opens the security screen
        states = [who.get("/portal/auth/second-factor") for who in (zoe, bill)]

        # Then Zoë's asks for no current password, Bill's does
        assert [(s.status, s.json["has_password"]) for s in states] == [(200, False), (200, True)]

        # And Zoë, just signed in, sets a first password without a current one
        chosen = zoe.post("/portal/auth/change-password", {"new_password": "amber comets drift past the lighthouse"})
        assert chosen.status == 200, chosen.json
        assert zoe.get("/portal/auth/second-factor").json["has_password"] is True
