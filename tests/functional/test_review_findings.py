"""Reproductions from the security and money review of the roles and session-token change: each test
states the behaviour a careful portal should have; a failing (xfail strict) test is an open finding."""
from datetime import timedelta

from app import app   # declares every route
from chalicelib.domain.action_links import ACTIONS
from chalicelib.domain.customers import MOST_CONTACTS
from chalicelib.handlers.credentials import ACTION_LINK_CHANGES, may_act_on_link
from tests.support.api import Api, client
from tests.support.portal import (
    PASSWORD, Clock, a_passwordless_zoe, an_owner, contact_with, invited_person, login, new_customer,
    signed_in_customer,
)

BOB = {"first_name": "Bob", "last_name": "Stone", "email": "bob@initech.example"}


def a_pay_link(acme, customer_id: str, invoice_id: str) -> str:
    made = acme.admin.post(f"/admin/customers/{customer_id}/action-links",
                           {"action": "pay_invoice", "target_id": invoice_id})
    assert made.status == 201, made.json
    return made.json["url"].rsplit("#/act/", 1)[1]


def an_open_invoice(acme, customer_id: str) -> dict:
    answer = acme.admin.post("/admin/invoices", {"customer_id": customer_id, "due_days": 15, "tax_rate_bp": 0,
                                                 "lines": [{"description": "Consulting", "unit_price_minor": 5000}]})
    assert answer.status == 201, answer.json
    invoice = answer.json
    finalized = acme.admin.post(f"/admin/invoices/{invoice['invoice_id']}/finalize", {})
    return finalized.json if finalized.status < 300 else invoice


def test_a_viewer_following_a_pay_link_is_shown_the_page_and_leaves_the_link_for_those_who_may_pay(aws):
    Clock()
    with client() as c:
        # Given an owner, a viewer of the same account, and the merchant's link to pay an invoice
        api = Api(c)
        acme, owner = an_owner(api)
        _, viewer = invited_person(api, acme, owner, "viewer")
        invoice = an_open_invoice(acme, owner.customer_id)
        token = a_pay_link(acme, owner.customer_id, invoice["invoice_id"])

        # When the viewer (who may not pay) follows it first, then the owner
        by_viewer = viewer.post("/portal/action-links/redeem", {"token": token})
        by_owner = owner.portal.post("/portal/action-links/redeem", {"token": token})

        # Then both are shown the payment page, and the link is used up by the owner, who may pay
        assert by_viewer.status == 200, by_viewer.json
        assert by_owner.status == 200, by_owner.json
        assert by_owner.json["route"] == by_viewer.json["route"]
        again = viewer.post("/portal/action-links/redeem", {"token": token})
        assert (again.status, again.json["error"]["code"]) == (409, "action_link_used")


def test_every_action_a_link_may_ask_for_names_the_portal_change_it_leads_to():
    assert set(ACTION_LINK_CHANGES) == set(ACTIONS)
    assert all(method in app.routes[path] for method, path in ACTION_LINK_CHANGES.values())
    assert [may_act_on_link(role, "pay_invoice") for role in ("owner", "billing", "viewer")] == [True, True, False]
    assert not may_act_on_link("billing", "write_review")


def test_an_owner_cannot_take_the_sign_in_of_another_customers_contact(aws):
    Clock()
    with client() as c:
        # Given two customers of one merchant: Globex (its owner signed in) and Initech, whose contact
        # Bob has not been invited to the portal yet
        api = Api(c)
        acme, owner = an_owner(api)
        initech = new_customer(acme.admin, display_name="Initech", email=BOB["email"],
                               contacts=[{**BOB}])

        # When Globex's owner "invites" Bob's address to Globex
        taken = owner.portal.post("/portal/people", {**BOB, "role": "viewer", "current_password": PASSWORD})

        # (and even takes it back again)
        if taken.status == 201:
            assert owner.portal.delete(f"/portal/people/{taken.json['contact_id']}").status == 204

        # Then either that is refused, or the merchant can still invite Bob to his own account
        invited = acme.admin.post(f"/admin/customers/{initech['customer_id']}/portal-invite",
                                  {"contact_id": contact_with(initech, BOB["email"])["contact_id"]})
        assert taken.status >= 400 or invited.status == 202, (taken.json, invited.json)


def test_an_account_of_a_link_only_portal_is_not_told_a_password_it_never_had_is_wrong(aws):
    Clock()
    with client() as c:
        # Given a portal that signs in with emailed links only, and Zoë, who accepted without a password
        api = Api(c)
        _acme, zoe = a_passwordless_zoe(api)

        # When she changes her sign-in email, or adds a passkey (both ask for the current password)
        moved = zoe.patch("/portal/profile", {"contact": {"email": "zoe@new.example"}, "current_password": "-"})
        passkey = zoe.post("/portal/auth/passkeys/options", {"current_password": "-"})

        # Then neither says her password is wrong (she has none: every such answer also counts as a
        # failed sign-in towards her lockout)
        codes = [answer.json.get("error", {}).get("details", {}).get("field_codes", {}).get("current_password")
                 for answer in (moved, passkey)]
        assert "wrong_password" not in codes, (moved.json, passkey.json)


def test_an_owner_cannot_learn_whether_an_address_signs_in_for_another_customer(aws):
    Clock()
    with client() as c:
        # Given Globex's owner signed in, and Bob, who signs in for Initech at the same merchant
        api = Api(c)
        acme, owner = an_owner(api)
        signed_in_customer(api, acme.org, acme.key, email=BOB["email"], display_name="Initech")

        # When Globex's owner gives access to Bob's address, and to an address nobody uses
        bob = owner.portal.post("/portal/people", {**BOB, "role": "viewer", "current_password": PASSWORD})
        nobody = owner.portal.post("/portal/people", {**BOB, "email": "nobody@initech.example", "role": "viewer",
                                                      "current_password": PASSWORD})

        # Then the two answers do not tell them apart
        assert bob.status == nobody.status, (bob.json, nobody.json)


def test_an_owner_cannot_add_more_contacts_than_the_merchant_may(aws):
    clock = Clock()
    with client() as c:
        # Given an owner signed in (one contact)
        api = Api(c)
        acme, owner = an_owner(api)

        # When they give access to new people, as many an hour as invitations allow, for eleven hours
        answers = []
        for hour in range(11):
            clock.advance(hours=1, minutes=1)
            session = login(api, acme.org.org_id, owner.email, owner.password).json["token"]
            for n in range(5):
                answer = api.as_(session).post("/portal/people", {
                    "first_name": "P", "email": f"p{hour}-{n}@globex.example", "role": "viewer",
                    "current_password": owner.password})
                assert answer.status in (201, 422, 429), answer.json
                answers.append((answer.status, answer.json.get("error", {}).get("code")))

        # Then the account holds no more contacts than the merchant could have given it: the 50th is
        # the last, and each one after it is 422 too_many_contacts
        contacts = acme.admin.get(f"/admin/customers/{owner.customer_id}").json["contacts"]
        assert len(contacts) == MOST_CONTACTS
        assert (422, "too_many_contacts") in answers


def test_a_payment_key_left_in_progress_by_a_request_that_died_before_the_upgrade_can_be_retried(aws):
    from chalicelib.handlers.portal.payments import PaymentBody
    from chalicelib.services.payments.idempotency import request_hash
    from chalicelib.tables.idempotency import IdempotencyItem, request_key
    from tests.support.payments import a_payer, an_invoice, pay
    from tests.support.portal import NOW

    clock = Clock()
    with client() as c:
        # Given a payment request that the code before today took the key of ("in_progress", written
        # before it ran) and that died before it claimed anything
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        body = {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"}
        IdempotencyItem(request_key(payer.org_id, payer.customer_id, "portal_payment", "checkout-1"),
                        request_hash=request_hash(PaymentBody(**body).command().as_request()),
                        state="in_progress", created_at=NOW, expires_at=NOW + timedelta(days=1)).save()

        # When the browser retries it with the same key, long after (the old lease was 90 seconds)
        clock.advance(minutes=10)
        retried = pay(payer.portal, body, key="checkout-1")

        # Then the invoice is paid (before the fix: 409 concurrent_update for the key's seven days)
        assert retried.status == 201, retried.json
        assert retried.json["status"] == "succeeded"


def test_who_has_access_with_which_role_is_the_owners_to_read_in_the_activity_too(aws):
    clock = Clock()
    with client() as c:
        # Given an owner who gave Alice billing access and Bob viewer access
        api = Api(c)
        acme, owner = an_owner(api)
        invited_person(api, acme, owner, "billing")
        clock.advance(seconds=1)
        _, bob = invited_person(api, acme, owner, "viewer", **BOB)

        # When Bob, a viewer, reads the account's activity
        entries = bob.get("/portal/activity").json["items"]

        # Then it does not list who has access with which role (GET /portal/people is the owner's alone)
        assert bob.get("/portal/people").status == 403
        assert [e for e in entries if e["action"].startswith("person.")] == []
