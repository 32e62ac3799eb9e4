"""Invitations: the merchant invites a contact; the emailed single-use link sets the password."""
from chalicelib.bootstrap import adapters
from chalicelib.services.access import rate_limiting
from chalicelib.tables.emails import EmailItem
from chalicelib.tables.portal_users import PortalUserItem
from tests.support.api import Api, client, new_organization
from tests.support.portal import (
    PASSWORD, Clock, contact_with, emails_to, invite, link_token, new_customer, portal_organization,
    portal_signing_in_with, run_the_outbox_job, signed_in_customer, text_of,
)

TWO_CONTACTS = [{"first_name": "Zoë", "email": "zoe@globex.example", "is_primary": True},
                {"first_name": "Hank", "email": "hank@globex.example"}]


def accept(api, org_id, token, password=PASSWORD):
    return api.as_(None).post("/portal/auth/accept-invite",
                              {"organization": org_id, "token": token, "password": password})


def test_an_invited_contact_gets_an_email_and_accepting_it_signs_in(aws):
    Clock()
    with client() as c:
        # Given a customer of an organization
        api = Api(c)
        acme = portal_organization(api)
        customer = new_customer(acme.admin, email="zoe@globex.example")
        contact = contact_with(customer, "zoe@globex.example")

        # When the merchant invites its contact
        invited = acme.admin.post(f"/admin/customers/{customer['customer_id']}/portal-invite",
                                  {"contact_id": contact["contact_id"]})

        # Then the contact receives a link that expires in 72 hours
        assert invited.status == 202, invited.json
        assert invited.json["status"] == "invited" and invited.json["role"] == "owner"
        assert invited.json["expires_at"] == "2026-11-28T12:00:00+00:00"
        [message] = emails_to("zoe@globex.example")
        assert message["Subject"] == "Acme Cloud invited you to its customer portal"
        assert "expires in 72 hours" in text_of(message)
        assert "/#/accept-invite?organization=" in text_of(message)

        # And accepting it with a password signs the contact in
        accepted = accept(api, acme.org.org_id, link_token(message))
        assert accepted.status == 201, accepted.json
        me = api.as_(accepted.json["token"]).get("/portal/me")
        assert me.status == 200 and me.json["contact"]["email"] == "zoe@globex.example"


def test_an_invitation_token_works_once(aws):
    Clock()
    with client() as c:
        # Given an invitation accepted once
        api = Api(c)
        acme = portal_organization(api)
        token = invite(acme.admin, new_customer(acme.admin), "zoe@globex.example")
        assert accept(api, acme.org.org_id, token).status == 201

        # When the same link is used again
        again = accept(api, acme.org.org_id, token, password="another long passphrase here")

        # Then it is refused and the first password still holds
        assert again.status == 401
        assert again.json["error"]["code"] == "unauthenticated"


def test_an_invitation_expires_after_72_hours(aws):
    clock = Clock()
    with client() as c:
        # Given an invitation
        api = Api(c)
        acme = portal_organization(api)
        token = invite(acme.admin, new_customer(acme.admin), "zoe@globex.example")

        # When it is used 72 hours later
        clock.advance(hours=72)

        # Then it no longer works
        assert accept(api, acme.org.org_id, token).status == 401


def test_a_tampered_or_foreign_organization_invitation_token_is_refused(aws):
    Clock()
    with client() as c:
        # Given an invitation of Acme, and another organization
        api = Api(c)
        acme = portal_organization(api)
        initech = portal_organization(api, "Initech Ltd")
        token = invite(acme.admin, new_customer(acme.admin), "zoe@globex.example")

        # When the token is altered, or presented to the other organization
        tampered = accept(api, acme.org.org_id, token[:-1] + ("A" if token[-1] != "A" else "B"))
        foreign = accept(api, initech.org.org_id, token)

        # Then both are refused alike, and the genuine token still works
        assert tampered.status == foreign.status == 401
        assert tampered.json == foreign.json
        assert accept(api, acme.org.org_id, token).status == 201


def test_a_password_that_breaks_the_policy_is_refused_and_the_invitation_stays_usable(aws):
    Clock()
    with client() as c:
        # Given an invitation
        api = Api(c)
        acme = portal_organization(api)
        token = invite(acme.admin, new_customer(acme.admin), "zoe@globex.example")

        # When the contact picks a short, a common, or an email-based password
        answers = [accept(api, acme.org.org_id, token, password)
                   for password in ("short pass", "passwordpassword1", "zoe@globex.example is me")]

        # Then each is refused with the reason on the password field
        assert [a.status for a in answers] == [400, 400, 400]
        reasons = [a.json["error"]["details"]["fields"]["password"] for a in answers]
        assert "at least 15 characters" in reasons[0]
        assert "commonly used" in reasons[1]
        assert "email address" in reasons[2]
        # And the link still works with a good password
        assert accept(api, acme.org.org_id, token).status == 201


def test_the_stored_password_hash_is_argon2id_at_19_mib_and_2_iterations(aws):
    Clock()
    with client() as c:
        # Given a contact who accepted an invitation
        api = Api(c)
        acme = portal_organization(api)
        signed_in_customer(api, acme.org, acme.key)

        # Then the stored hash names argon2id with the OWASP parameters, and no password is stored
        item = PortalUserItem.get(f"{acme.org.org_id}#zoe@globex.example")
        assert item.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert PASSWORD not in str(item.attribute_values)


def test_the_role_comes_from_the_customers_primary_contact(aws):
    Clock()
    with client() as c:
        # Given a customer with a primary contact and another contact, both signed in
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key, contacts=TWO_CONTACTS)
        hank_token = invite(acme.admin, zoe.customer, "hank@globex.example")
        hank = accept(api, acme.org.org_id, hank_token, "bees murmur near the willow river")

        # Then the session records who may act for the customer
        assert zoe.portal.get("/portal/me").json["contact"]["role"] == "owner"
        assert api.as_(hank.json["token"]).get("/portal/me").json["contact"]["role"] == "billing"


def test_an_invitation_to_a_contact_already_signed_up_is_a_conflict(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        again = acme.admin.post(f"/admin/customers/{zoe.customer_id}/portal-invite",
                                {"contact_id": zoe.contact["contact_id"]})

        assert again.status == 409


def test_an_unknown_contact_or_another_organizations_customer_is_not_found(aws):
    Clock()
    with client() as c:
        # Given two organizations, one with a customer
        api = Api(c)
        acme = portal_organization(api)
        initech = portal_organization(api, "Initech Ltd")
        customer = new_customer(acme.admin)
        contact_id = customer["contacts"][0]["contact_id"]

        # When one invites a contact that is not there, or the other invites Acme's customer
        unknown = acme.admin.post(f"/admin/customers/{customer['customer_id']}/portal-invite",
                                  {"contact_id": "con_nobody"})
        foreign = initech.admin.post(f"/admin/customers/{customer['customer_id']}/portal-invite",
                                     {"contact_id": contact_id})

        # Then both are 404 and no email goes out
        assert (unknown.status, foreign.status) == (404, 404)
        assert emails_to("zoe@globex.example") == []


def test_invitation_emails_to_one_customer_are_rate_limited(aws):
    Clock()
    with client() as c:
        # Given a contact invited five times within the hour (the limit)
        api = Api(c)
        acme = portal_organization(api)
        customer = new_customer(acme.admin)
        for _ in range(5):
            invite(acme.admin, customer, "zoe@globex.example")

        # When the merchant invites once more
        sixth = acme.admin.post(f"/admin/customers/{customer['customer_id']}/portal-invite",
                                {"contact_id": customer["contacts"][0]["contact_id"]})

        # Then it is throttled with a Retry-After until the window ends, and no sixth email goes out
        assert sixth.status == 429
        assert sixth.headers["Retry-After"] == "3600"
        assert len(emails_to("zoe@globex.example")) == 5


def test_an_invitation_still_succeeds_when_ses_refuses_the_email(aws):
    Clock()
    with client() as c:
        # Given an organization whose sender SES has not verified
        api = Api(c)
        org, key = new_organization()
        admin = api.as_(key)
        customer = new_customer(admin)

        # When it invites a contact, and the outbox job runs
        invited = admin.post(f"/admin/customers/{customer['customer_id']}/portal-invite",
                             {"contact_id": customer["contacts"][0]["contact_id"]})
        run_the_outbox_job()

        # Then the invitation is made, and the email waits in the outbox for a retry
        assert invited.status == 202
        [queued] = list(EmailItem.query(org.org_id))
        assert (queued.status, queued.attempts, queued.template) == ("queued", 1, "portal_invite")
        assert "MessageRejected" in queued.last_error


def test_invitation_emails_across_an_organization_are_rate_limited(aws):
    clock = Clock()
    with client() as c:
        # Given an organization that sent 200 invitations this hour (the limit)
        api = Api(c)
        acme = portal_organization(api)
        customer = new_customer(acme.admin)
        for _ in range(200):
            rate_limiting.hit(adapters(), "invite_email_organization", acme.org.org_id, clock.now)

        # When it invites one more contact
        answer = acme.admin.post(f"/admin/customers/{customer['customer_id']}/portal-invite",
                                 {"contact_id": customer["contacts"][0]["contact_id"]})

        # Then it is throttled and no email goes out
        assert answer.status == 429 and answer.headers["Retry-After"] == "3600"
        assert emails_to("zoe@globex.example") == []


def test_a_link_only_portal_accepts_an_invitation_without_a_password(aws):
    Clock()
    with client() as c:
        # Given a portal named "acme" that signs in with emailed links only, and an invited contact
        api = Api(c)
        acme = portal_signing_in_with(api, "link")
        assert acme.admin.patch("/admin/organization", {"portal_name": "acme"}).status == 200
        token = invite(acme.admin, new_customer(acme.admin), "zoe@globex.example")

        # When she accepts it without choosing a password
        accepted = api.as_(None).post("/portal/auth/accept-invite", {"organization": acme.org.org_id, "token": token})

        # Then she is signed in, her account has no password, and the invitation named the portal
        assert accepted.status == 201, accepted.json
        assert api.as_(accepted.json["token"]).get("/portal/me").status == 200
        account = PortalUserItem.get(f"{acme.org.org_id}#zoe@globex.example")
        assert account.status == "active" and account.password_hash is None
        assert "?portal=acme" in text_of(emails_to("zoe@globex.example")[0])


def test_a_password_sent_to_a_link_only_portal_is_not_kept(aws):
    Clock()
    with client() as c:
        # Given a link-only portal and an invited contact
        api = Api(c)
        acme = portal_signing_in_with(api, "link")
        token = invite(acme.admin, new_customer(acme.admin), "zoe@globex.example")

        # When she accepts it with a password all the same
        assert accept(api, acme.org.org_id, token).status == 201

        # Then no password is kept: it could never sign in
        account = PortalUserItem.get(f"{acme.org.org_id}#zoe@globex.example")
        assert account.password_hash is None


def test_a_portal_that_signs_in_with_passwords_needs_one_to_accept_an_invitation(aws):
    Clock()
    with client() as c:
        # Given a portal that signs in with a password or a link, and an invited contact
        api = Api(c)
        acme = portal_signing_in_with(api, "both")
        token = invite(acme.admin, new_customer(acme.admin), "zoe@globex.example")

        # When she accepts it without a password
        refused = api.as_(None).post("/portal/auth/accept-invite", {"organization": acme.org.org_id, "token": token})

        # Then the password is asked for, and the invitation still works
        assert refused.status == 400
        assert refused.json["error"]["details"]["field_codes"] == {"password": "required"}
        assert accept(api, acme.org.org_id, token).status == 201


def test_the_merchants_invitation_takes_over_an_address_another_customers_owner_only_invited(aws):
    Clock()
    with client() as c:
        # Given Globex's owner invited Bob's address, and Bob, a contact of Initech, never accepted
        api = Api(c)
        acme = portal_organization(api)
        globex = signed_in_customer(api, acme.org, acme.key)
        bob = {"first_name": "Bob", "email": "bob@initech.example"}
        sent = globex.portal.post("/portal/people", {**bob, "role": "viewer", "current_password": PASSWORD})
        assert sent.status == 201, sent.json
        globex_link = link_token(emails_to(bob["email"])[-1])
        initech = new_customer(acme.admin, display_name="Initech", email=bob["email"], contacts=[bob])

        # When the merchant invites Bob to Initech, and Bob follows both links
        initech_link = invite(acme.admin, initech, bob["email"])
        by_globex_link = accept(api, acme.org.org_id, globex_link)
        by_initech_link = accept(api, acme.org.org_id, initech_link)

        # Then the merchant's invitation is the one that works: Bob signs in for Initech
        assert by_globex_link.status == 401, by_globex_link.json
        assert by_initech_link.status == 201, by_initech_link.json
        me = api.as_(by_initech_link.json["token"]).get("/portal/me").json
        assert me["customer"]["customer_id"] == initech["customer_id"]
