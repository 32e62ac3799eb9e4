"""Several people per account: the owner (the primary contact) invites people with a role (billing,
viewer), changes it and removes their access; what each role may do holds on the route, and a
change or removal ends that person's sessions at once (docs/security.md "Roles")."""
from chalicelib.bootstrap import services
from chalicelib.tables.metrics import WRITES, counting_calls
from tests.support.api import Api, client
from tests.support.payments import a_payer, an_invoice, pay
from tests.support.portal import (
    PASSWORD, Clock, a_passwordless_zoe, an_owner, emails_to, invited_person, link_token, login, signed_in_customer, text_of,
)

ALICE = {"first_name": "Alice", "last_name": "Ng", "email": "alice@globex.example"}
BOB = {"first_name": "Bob", "last_name": "Stone", "email": "bob@initech.example"}


def invited(api, acme, owner, role):
    return invited_person(api, acme, owner, role, **ALICE)


def test_the_owner_invites_a_billing_contact_who_signs_in_with_that_role(aws):
    Clock()
    with client() as c:
        # Given an owner signed in
        api = Api(c)
        acme, owner = an_owner(api)

        # When they invite Alice as a billing contact
        answer = owner.portal.post("/portal/people", {**ALICE, "role": "billing", "current_password": PASSWORD})

        # Then Alice is a contact of the account, invited, and gets the invitation
        assert answer.status == 201, answer.json
        assert answer.json | {"contact_id": "-"} == {"contact_id": "-", "name": "Alice Ng", "email": ALICE["email"],
                                                     "role": "billing", "portal_status": "invited"}
        [message] = emails_to(ALICE["email"])
        # And once she accepts, she is signed in as billing, and listed as active
        accepted = api.as_(None).post("/portal/auth/accept-invite", {"organization": acme.org.org_id,
                                                                     "token": link_token(message),
                                                                     "password": PASSWORD})
        assert accepted.status == 201, accepted.json
        me = api.as_(accepted.json["token"]).get("/portal/me").json
        assert me["contact"]["role"] == "billing"
        listed = owner.portal.get("/portal/people").json["items"]
        assert [(p["email"], p["role"], p["portal_status"]) for p in listed] == [
            ("zoe@globex.example", "owner", "active"), (ALICE["email"], "billing", "active")]


def test_a_colleagues_invitation_names_who_invited_them_to_which_account_and_what_they_may_do(aws):
    Clock()
    with client() as c:
        # Given an owner signed in
        acme, owner = an_owner(Api(c))

        # When they invite Alice as a viewer
        sent = owner.portal.post("/portal/people", {**ALICE, "role": "viewer", "current_password": PASSWORD})
        assert sent.status == 201, sent.json

        # Then her email says who invited her, to which customer's account at which merchant, and what she may do
        [message] = emails_to(ALICE["email"])
        assert message["Subject"] == "Zoë Keller invited you to the account of Globex at Acme Cloud"
        assert "There you can see invoices, payments and subscriptions." in text_of(message)


def test_sending_the_same_invitation_again_sends_the_email_again_and_adds_no_one(aws):
    Clock()
    with client() as c:
        api = Api(c)
        _acme, owner = an_owner(api)

        first = owner.portal.post("/portal/people", {**ALICE, "role": "viewer", "current_password": PASSWORD})
        again = owner.portal.post("/portal/people", {**ALICE, "role": "viewer", "current_password": PASSWORD})

        assert (first.status, again.status) == (201, 201)
        assert again.json["contact_id"] == first.json["contact_id"]
        assert len(owner.portal.get("/portal/people").json["items"]) == 2
        assert len(emails_to(ALICE["email"])) == 2


def test_a_viewer_reads_but_every_write_is_403_role_forbids_and_writes_nothing(aws):
    Clock()
    with client() as c:
        # Given a viewer signed in
        api = Api(c)
        acme, owner = an_owner(api)
        _, viewer = invited(api, acme, owner, "viewer")

        # When they read, and when they try to change things
        reads = [viewer.get(path).status for path in ("/portal/invoices", "/portal/payments", "/portal/dashboard")]
        with counting_calls() as calls:
            refused = [viewer.post("/portal/payments", {"invoice_ids": []}),
                       viewer.patch("/portal/profile", {"billing_address": {"city": "Springfield"}}),
                       viewer.post("/portal/people", {**ALICE, "role": "billing", "current_password": PASSWORD})]

        # Then the reads answer, the writes are 403 role_forbids, before anything was written
        assert reads == [200, 200, 200]
        assert [(a.status, a.json["error"]["code"]) for a in refused] == [(403, "role_forbids")] * 3
        assert "owner of your account" in refused[0].json["error"]["message"]
        assert not set(calls.operations) & WRITES


def test_a_billing_contact_pays_but_may_not_forward_manage_people_or_change_the_subscription(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme, owner = an_owner(api)
        alice_id, billing = invited(api, acme, owner, "billing")

        pay = billing.post("/portal/payments", {"invoice_ids": []})
        card = billing.post("/portal/payment-methods/setup")
        with counting_calls() as calls:
            refused = [billing.get("/portal/people"), billing.post("/portal/invoices/inv_x/forward", {}),
                       billing.post("/portal/subscriptions/sub_x/cancel", {}),
                       billing.patch("/portal/profile", {"custom_fields": {}}),
                       billing.post("/portal/people", {**BOB, "role": "billing", "current_password": PASSWORD}),
                       billing.patch(f"/portal/people/{alice_id}", {"role": "viewer"}),
                       billing.delete(f"/portal/people/{alice_id}")]

        assert pay.status not in (401, 403) and card.status not in (401, 403)
        assert [(a.status, a.json["error"]["code"]) for a in refused] == [(403, "role_forbids")] * 7
        assert sum(calls.operations[op] for op in WRITES) == 0


def test_changing_a_role_ends_their_sessions_at_once_and_the_next_sign_in_has_the_new_role(aws):
    Clock()
    with client() as c:
        # Given Alice signed in as billing
        api = Api(c)
        acme, owner = an_owner(api)
        alice_id, alice = invited(api, acme, owner, "billing")

        # When the owner makes her a viewer
        changed = owner.portal.patch(f"/portal/people/{alice_id}", {"role": "viewer"})

        # Then her session ends on her very next request, and signing in again she is a viewer
        assert changed.status == 200 and changed.json["role"] == "viewer", changed.json
        assert changed.json["portal_status"] == "active"
        assert alice.get("/portal/dashboard").status == 401
        again = login(api, acme.org.org_id, ALICE["email"], PASSWORD)
        assert api.as_(again.json["token"]).get("/portal/me").json["contact"]["role"] == "viewer"


def test_a_removed_person_is_signed_out_at_once_and_cannot_sign_in_again(aws):
    Clock()
    with client() as c:
        # Given Alice signed in
        api = Api(c)
        acme, owner = an_owner(api)
        alice_id, alice = invited(api, acme, owner, "billing")

        # When the owner removes her access
        removed = owner.portal.delete(f"/portal/people/{alice_id}")

        # Then her session ends at once, her password no longer signs in, and she is listed as removed
        assert removed.status == 204
        assert alice.get("/portal/dashboard").status == 401
        assert login(api, acme.org.org_id, ALICE["email"], PASSWORD).status == 401
        listed = {p["email"]: p for p in owner.portal.get("/portal/people").json["items"]}
        assert (listed[ALICE["email"]]["role"], listed[ALICE["email"]]["portal_status"]) == ("removed", "none")


def test_a_removed_person_is_sent_no_link_to_reset_a_password_with(aws):
    clock = Clock()
    with client() as c:
        # Given Alice, whose access the owner removed
        api = Api(c)
        acme, owner = an_owner(api)
        alice_id, _ = invited(api, acme, owner, "billing")
        assert owner.portal.delete(f"/portal/people/{alice_id}").status == 204
        mail_before = len(emails_to(ALICE["email"]))

        # When she asks for a password reset
        asked = api.as_(None).post("/portal/auth/forgot-password", {"organization": acme.org.org_id,
                                                                   "email": ALICE["email"]})
        services().accounts.send_queued_email(clock.now)

        # Then she is answered as anyone is, and sent nothing that could not work
        assert asked.status == 202
        assert len(emails_to(ALICE["email"])) == mail_before


def test_inviting_a_removed_person_again_gives_their_access_back(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme, owner = an_owner(api)
        alice_id, _ = invited(api, acme, owner, "billing")
        owner.portal.delete(f"/portal/people/{alice_id}")

        back = owner.portal.post("/portal/people", {**ALICE, "role": "viewer", "current_password": PASSWORD})

        assert (back.status, back.json["role"], back.json["portal_status"]) == (201, "viewer", "active")
        assert login(api, acme.org.org_id, ALICE["email"], PASSWORD).status == 200


def test_the_owner_cannot_change_or_remove_themself(aws):
    Clock()
    with client() as c:
        api = Api(c)
        _acme, owner = an_owner(api)
        own_id = owner.contact["contact_id"]

        answers = [owner.portal.patch(f"/portal/people/{own_id}", {"role": "viewer"}),
                   owner.portal.delete(f"/portal/people/{own_id}"),
                   owner.portal.post("/portal/people", {"first_name": "Zoë", "email": owner.email, "role": "viewer",
                                                        "current_password": PASSWORD})]

        assert [(a.status, a.json["error"]["code"]) for a in answers] == [(422, "owner_role_fixed")] * 3
        assert owner.portal.get("/portal/me").json["contact"]["role"] == "owner"


def test_another_customers_contact_answers_404_like_a_missing_one_and_nothing_is_written(aws):
    Clock()
    with client() as c:
        # Given two customers of the organization, each with its owner signed in
        api = Api(c)
        acme, owner = an_owner(api)
        alice_id, _ = invited(api, acme, owner, "billing")
        other = signed_in_customer(api, acme.org, acme.key, email="zed@initech.example", display_name="Initech")

        # When the other owner names Alice, and a contact that does not exist
        with counting_calls() as calls:
            theirs = [other.portal.patch(f"/portal/people/{alice_id}", {"role": "viewer"}),
                      other.portal.delete(f"/portal/people/{alice_id}")]
            missing = [other.portal.patch("/portal/people/con_missing", {"role": "viewer"}),
                       other.portal.delete("/portal/people/con_missing")]

        # Then both answer the same 404, and nothing was written
        assert [(a.status, a.json) for a in theirs] == [(a.status, a.json) for a in missing]
        assert {a.status for a in theirs} == {404}
        assert not set(calls.operations) & WRITES


def test_bad_input_is_400_with_field_errors_and_writes_nothing(aws):
    Clock()
    with client() as c:
        api = Api(c)
        _acme, owner = an_owner(api)

        with counting_calls() as calls:
            bad = owner.portal.post("/portal/people", {"first_name": "", "email": "not-an-email", "role": "owner"})
            bad_role = owner.portal.patch(f"/portal/people/{owner.contact['contact_id']}", {"role": "admin"})

        assert bad.status == 400
        assert set(bad.json["error"]["details"]["fields"]) == {"first_name", "email", "role"}
        assert bad_role.status == 400 and "role" in bad_role.json["error"]["details"]["fields"]
        assert not set(calls.operations) & WRITES


def test_each_change_is_in_the_activity_naming_the_owner_who_made_it(aws):
    clock = Clock()
    with client() as c:
        api = Api(c)
        acme, owner = an_owner(api)
        alice_id, _ = invited(api, acme, owner, "billing")
        clock.advance(seconds=1)
        owner.portal.patch(f"/portal/people/{alice_id}", {"role": "viewer"})
        clock.advance(seconds=1)
        owner.portal.delete(f"/portal/people/{alice_id}")

        entries = owner.portal.get("/portal/activity").json["items"]

        people = [(e["action"], e["before"], e["after"], e["actor"]["name"]) for e in entries
                  if e["subject_type"] == "contact"]
        assert people == [("person.removed", {"role": "viewer"}, {"role": "removed"}, "Zoë Keller"),
                          ("person.role_changed", {"role": "billing"}, {"role": "viewer"}, "Zoë Keller"),
                          ("person.invited", {}, {"role": "billing"}, "Zoë Keller")]


def test_a_billing_contact_pays_an_invoice_and_the_activity_names_them_not_the_owner(aws):
    Clock()
    with client() as c:
        # Given a billing contact of an account with an open invoice
        api = Api(c)
        payer = a_payer(api)
        _, alice = invited_person(api, payer.merchant, payer.customer, "billing", **ALICE)
        invoice = an_invoice(payer, 4200)

        # When she pays it
        paid = pay(alice, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"})

        # Then the payment's activity entry names her
        assert paid.status == 201 and paid.json["status"] == "succeeded", paid.json
        entries = payer.customer.portal.get("/portal/activity").json["items"]
        payments = [e["actor"] for e in entries if e["subject_type"] == "payment"]
        assert payments and {a["name"] for a in payments} == {"Alice Ng"}


def test_a_session_started_before_roles_acts_with_the_role_its_contact_had_then(aws):
    Clock()
    with client() as c:
        # Given Alice's session as stored before roles: "contact", not "billing"
        from chalicelib import bootstrap
        from chalicelib.services.access import sessions
        from chalicelib.tables.portal_users import login_key
        api = Api(c)
        acme, owner = an_owner(api)
        invited(api, acme, owner, "billing")
        account = bootstrap.adapters().uow.portal_users.find(login_key(acme.org.org_id, ALICE["email"]))
        old = api.as_(sessions.start(bootstrap.adapters(), account, "contact", bootstrap.now()).token)

        # When she uses it
        me = old.get("/portal/me")

        # Then she is billing: she may pay, not manage people
        assert me.json["contact"]["role"] == "billing"
        assert old.get("/portal/people").status == 403


def test_a_card_a_billing_contact_saves_is_in_the_activity_under_their_name(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme, owner = an_owner(api)
        _, alice = invited(api, acme, owner, "billing")

        saved = alice.post("/portal/payment-methods", {"payment_method": "pm_card_visa"})

        assert saved.status == 201, saved.json
        [entry] = [e for e in owner.portal.get("/portal/activity").json["items"] if e["action"] == "payment_method.added"]
        assert entry["actor"]["name"] == "Alice Ng"


def test_the_merchant_cannot_give_back_access_the_owner_removed(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme, owner = an_owner(api)
        alice_id, _ = invited(api, acme, owner, "billing")
        owner.portal.delete(f"/portal/people/{alice_id}")

        again = acme.admin.post(f"/admin/customers/{owner.customer_id}/portal-invite", {"contact_id": alice_id})

        assert again.status == 409 and again.json["error"]["details"]["status"] == "removed"


def test_when_the_merchant_makes_another_contact_primary_the_owner_before_is_signed_out_and_returns_as_billing(aws):
    Clock()
    with client() as c:
        # Given the owner signed in
        api = Api(c)
        acme, owner = an_owner(api)

        # When the merchant adds a new primary contact
        added = acme.admin.post(f"/admin/customers/{owner.customer_id}/contacts",
                                {"first_name": "Nina", "email": "nina@globex.example", "is_primary": True})

        # Then the owner before is signed out at once, and signs in again as billing
        assert added.status == 201, added.json
        assert owner.portal.get("/portal/dashboard").status == 401
        again = login(api, acme.org.org_id, owner.email, PASSWORD)
        assert api.as_(again.json["token"]).get("/portal/me").json["contact"]["role"] == "billing"


def test_everyone_changes_their_own_contact_details_but_only_the_owner_the_accounts_addresses(aws):
    Clock()
    with client() as c:
        # Given a viewer signed in
        api = Api(c)
        acme, owner = an_owner(api)
        _, viewer = invited(api, acme, owner, "viewer")

        # When she changes her phone, and then the account's billing address
        own = viewer.patch("/portal/profile", {"contact": {"phone": "+1 555 0100"}})
        with counting_calls() as calls:
            account = viewer.patch("/portal/profile", {"contact": {"phone": "+1 555 0199"},
                                                        "billing_address": {"city": "Springfield"}})

        # Then her own phone changes; the address is refused, and nothing of that request is written
        assert own.status == 200 and own.json["contact"]["phone"] == "+1 555 0100", own.json
        assert (account.status, account.json["error"]["code"]) == (403, "role_forbids")
        assert not set(calls.operations) & WRITES
        assert owner.portal.get("/portal/profile").json["customer"]["billing_address"]["city"] == ""


def test_giving_access_to_an_address_that_signs_in_for_another_customer_answers_alike_and_sends_it_nothing(aws):
    Clock()
    with client() as c:
        # Given Globex's owner signed in, and Bob, who signs in for Initech at the same merchant
        api = Api(c)
        acme, owner = an_owner(api)
        bob = signed_in_customer(api, acme.org, acme.key, email=BOB["email"], display_name="Initech")
        emails_before = len(emails_to(BOB["email"]))

        # When Globex's owner gives Bob's address viewer access
        answer = owner.portal.post("/portal/people", {**BOB, "role": "viewer", "current_password": PASSWORD})

        # Then the answer is an invitation's, as for an address nobody uses, but Bob is sent nothing,
        # and he still signs in for Initech as its owner
        assert answer.status == 201, answer.json
        assert (answer.json["email"], answer.json["role"], answer.json["portal_status"]) == (
            BOB["email"], "viewer", "invited")
        assert len(emails_to(BOB["email"])) == emails_before
        again = login(api, acme.org.org_id, BOB["email"], PASSWORD)
        assert again.status == 200, again.json
        me = api.as_(again.json["token"]).get("/portal/me").json
        assert (me["customer"]["customer_id"], me["contact"]["role"]) == (bob.customer_id, "owner"), me


def test_who_was_given_access_is_in_the_owners_and_the_merchants_activity_not_a_billing_contacts(aws):
    Clock()
    with client() as c:
        # Given an owner who gave Alice billing access
        api = Api(c)
        acme, owner = an_owner(api)
        _, alice = invited(api, acme, owner, "billing")

        # When each reads the account's activity
        def people_entries(items):
            return [e["action"] for e in items if e["action"].startswith("person.")]
        by_owner = people_entries(owner.portal.get("/portal/activity").json["items"])
        by_merchant = people_entries(acme.admin.get(f"/admin/customers/{owner.customer_id}/activity").json["items"])
        by_alice = people_entries(alice.get("/portal/activity").json["items"])

        # Then the owner and the merchant see that Alice was given access, Alice does not
        assert by_owner == by_merchant == ["person.invited"]
        assert by_alice == []


# --- a colleague's account outlives the session that invites them: a fresh proof of identity -------

def test_a_session_alone_invites_no_one_and_writes_nothing(aws):
    Clock()
    with client() as c:
        # Given the owner's session in the hands of someone who does not know her password
        _acme, owner = an_owner(Api(c))

        # When it invites Alice without the owner's current password
        with counting_calls() as calls:
            answer = owner.portal.post("/portal/people", {**ALICE, "role": "billing"})

        # Then it is asked for the password, and nothing is written or sent
        assert (answer.status, answer.json["error"]["details"]["field_codes"]) == (
            400, {"current_password": "current_password_needed"})
        assert not set(calls.operations) & WRITES
        assert emails_to(ALICE["email"]) == []
        assert [p["email"] for p in owner.portal.get("/portal/people").json["items"]] == [owner.email]


def test_a_wrong_current_password_invites_no_one_and_the_right_one_does(aws):
    Clock()
    with client() as c:
        # Given an owner signed in
        _acme, owner = an_owner(Api(c))

        # When she invites Alice with a wrong password, then with her own
        wrong = owner.portal.post("/portal/people", {**ALICE, "role": "billing", "current_password": "not it at all"})
        people_after_wrong = [p["email"] for p in owner.portal.get("/portal/people").json["items"]]
        right = owner.portal.post("/portal/people", {**ALICE, "role": "billing", "current_password": PASSWORD})

        # Then the wrong one is refused as such, adding no one and sending nothing; the right one invites her
        assert (wrong.status, wrong.json["error"]["details"]["field_codes"]) == (
            400, {"current_password": "wrong_password"})
        assert people_after_wrong == [owner.email]
        assert (right.status, right.json["portal_status"]) == (201, "invited")
        assert len(emails_to(ALICE["email"])) == 1


def test_wrong_current_passwords_given_to_invite_count_towards_the_owners_lockout(aws):
    Clock()
    with client() as c:
        # Given a stolen owner's session guessing her password through invitations six times
        api = Api(c)
        acme, owner = an_owner(api)
        for guess in range(6):
            owner.portal.post("/portal/people", {**ALICE, "role": "billing",
                                                 "current_password": f"guess number {guess} goes here"})

        # Then the next invitation, and the next sign-in, have to wait, as after six failed sign-ins
        invitation = owner.portal.post("/portal/people", {**ALICE, "role": "billing", "current_password": PASSWORD})
        assert (invitation.status, invitation.headers["Retry-After"]) == (429, "1")
        assert login(api, acme.org.org_id, owner.email, PASSWORD).status == 429
        assert emails_to(ALICE["email"]) == []


def test_an_owner_without_a_password_invites_from_a_fresh_sign_in_only(aws):
    clock = Clock()
    with client() as c:
        # Given a link-only portal's owner, whose account has no password, signed in just now
        _acme, zoe = a_passwordless_zoe(Api(c))

        # When she invites Alice at once, and Bob eleven minutes after signing in
        fresh = zoe.post("/portal/people", {**ALICE, "role": "viewer"})
        clock.advance(minutes=11)
        stale = zoe.post("/portal/people", {**BOB, "role": "viewer"})

        # Then Alice is invited; Bob's invitation asks her to sign in again, adding no one and sending nothing
        assert fresh.status == 201, fresh.json
        assert (stale.status, stale.json["error"]["code"]) == (403, "fresh_sign_in_needed")
        assert BOB["email"] not in [p["email"] for p in zoe.get("/portal/people").json["items"]]
        assert emails_to(BOB["email"]) == []
