"""The session check: a token names its organization and customer, which are read with the session in
one call; the contact's role comes from the customer as it is now, so a removed contact or a changed
role is seen on the very next request. Tokens of the older form keep working until they end."""
from dataclasses import replace

from chalicelib import bootstrap
from chalicelib.bootstrap import adapters, services
from chalicelib.domain.tokens import new_token, token_hash
from chalicelib.tables.metrics import counting_calls
from chalicelib.tables.sessions import Session
from tests.support.api import Api, client, new_organization
from tests.support.documents import TWO_CONTACTS
from tests.support.portal import Clock, an_owner, assert_refused, new_customer, signed_in_customer


def a_signed_in_zoe(api: Api):
    return an_owner(api, contacts=TWO_CONTACTS)


def contacts_changed(org_id: str, customer_id: str, change) -> None:
    """The merchant changes the customer's contacts (`change`: contact -> contact, or None to delete it)."""
    customers = adapters().uow.customers
    customer = customers.get(org_id, customer_id)
    kept = tuple(c for c in (change(contact) for contact in customer.contacts) if c is not None)
    customers.save(org_id, replace(customer, contacts=kept))


def test_the_session_check_reads_the_session_customer_and_organization_in_one_call(aws):
    Clock()
    with client() as c:
        # Given a signed-in contact
        acme, zoe = a_signed_in_zoe(Api(c))

        # When the portal asks who she is
        with counting_calls() as calls:
            me = zoe.portal.get("/portal/me")

        # Then one BatchGetItem answered it all
        assert me.status == 200 and me.json["customer"]["customer_id"] == zoe.customer_id
        assert dict(calls.operations) == {"BatchGetItem": 1}


def test_a_session_token_of_the_older_form_works_until_it_ends(aws):
    clock = Clock()
    with client() as c:
        # Given a session issued before tokens named their customer: the secret alone
        api = Api(c)
        acme, zoe = a_signed_in_zoe(api)
        older = new_token()
        mine = adapters().uow.sessions.get(token_hash(zoe.token))
        adapters().uow.sessions.add(replace(mine, token_hash=token_hash(older)))

        # Then it still opens her account
        me = api.as_(older).get("/portal/me")
        assert me.status == 200 and me.json["contact"]["contact_id"] == zoe.contact["contact_id"]

        # And keeps working while used, then ends as every session does, 12 hours after sign-in
        for _ in range(24):
            clock.advance(minutes=29)
            assert api.as_(older).get("/portal/me").status == 200     # 11.6 hours in at the last
        for _ in range(2):
            clock.advance(minutes=29)
            api.as_(older).get("/portal/me")
        assert_refused(api.as_(older).get("/portal/me"))


def test_a_token_naming_another_customer_than_its_session_is_refused(aws):
    Clock()
    with client() as c:
        # Given Zoë's session, a colleague customer of the same merchant and a customer of another merchant
        api = Api(c)
        acme, zoe = a_signed_in_zoe(api)
        initech = new_customer(api.as_(acme.key), display_name="Initech", email="bill@initech.example")
        umbrella, umbrella_key = new_organization("Umbrella Supplies")
        hooli = new_customer(api.as_(umbrella_key), display_name="Hooli", email="gavin@hooli.example")
        _, _, secret = zoe.token.split(".")

        # When her token's prefix is rewritten to name them, or is malformed
        forged = [f"{acme.org.org_id}.{initech['customer_id']}.{secret}",
                  f"{umbrella.org_id}.{hooli['customer_id']}.{secret}",
                  f"{umbrella.org_id}.{zoe.customer_id}.{secret}",
                  f"{acme.org.org_id}..{secret}", f".{zoe.customer_id}.{secret}",
                  f"{acme.org.org_id}.{zoe.customer_id}.", f"{acme.org.org_id}.{zoe.customer_id}.{secret}.x",
                  f"{acme.org.org_id}.{zoe.customer_id}#x.{secret}", secret]

        # Then each is refused, and her own token still works
        for token in forged:
            assert_refused(api.as_(token).get("/portal/invoices"))
        assert zoe.portal.get("/portal/invoices").status == 200


def test_a_removed_contact_is_signed_out_on_the_next_request(aws):
    Clock()
    with client() as c:
        # Given Hank, signed in
        api = Api(c)
        acme, zoe = a_signed_in_zoe(api)
        hank = signed_in_customer(api, acme.org, acme.key, email="hank@globex.example", contacts=TWO_CONTACTS)
        assert hank.portal.get("/portal/me").status == 200

        # When his access to the portal is removed
        contacts_changed(acme.org.org_id, hank.customer_id, lambda contact: replace(contact, portal_role="removed")
                         if contact.email == hank.email else contact)

        # Then his very next request is refused
        assert_refused(hank.portal.get("/portal/me"))
        assert_refused(hank.portal.get("/portal/invoices"))


def test_a_deleted_contact_is_signed_out_on_the_next_request(aws):
    Clock()
    with client() as c:
        # Given Hank, signed in
        api = Api(c)
        acme, _zoe = a_signed_in_zoe(api)
        hank = signed_in_customer(api, acme.org, acme.key, email="hank@globex.example", contacts=TWO_CONTACTS)

        # When the merchant deletes him from the customer's contacts
        contacts_changed(acme.org.org_id, hank.customer_id,
                         lambda contact: None if contact.email == hank.email else contact)

        # Then his very next request is refused
        assert_refused(hank.portal.get("/portal/me"))


def test_a_role_change_is_seen_on_the_next_request(aws):
    Clock()
    with client() as c:
        # Given Hank, a billing contact, signed in
        api = Api(c)
        acme, _zoe = a_signed_in_zoe(api)
        hank = signed_in_customer(api, acme.org, acme.key, email="hank@globex.example", contacts=TWO_CONTACTS)
        assert hank.portal.get("/portal/me").json["contact"]["role"] == "billing"

        # When his contact is made a viewer behind the session's back (no session is ended)
        contacts_changed(acme.org.org_id, hank.customer_id, lambda contact: replace(contact, portal_role="viewer")
                         if contact.email == hank.email else contact)

        # Then his very next request is a viewer's
        assert hank.portal.get("/portal/me").json["contact"]["role"] == "viewer"
        assert services().access.authenticate(hank.token, bootstrap.now()).role == "viewer"


def test_the_session_check_hands_the_route_the_customer_and_organization_it_read(aws):
    Clock()
    with client() as c:
        # Given a signed-in contact
        acme, zoe = a_signed_in_zoe(Api(c))

        # When the session is checked
        found = services().access.authenticate(zoe.token, bootstrap.now())

        # Then it names her organization and customer, as stored
        assert (found.org.org_id, found.customer.customer_id, found.contact_id) == \
            (acme.org.org_id, zoe.customer_id, zoe.contact["contact_id"])
        assert found.org.name == "Acme Cloud" and found.customer.display_name == "Globex"


def test_a_session_whose_customer_is_gone_is_refused(aws):
    Clock()
    with client() as c:
        # Given a session whose stored customer is not the one it was issued for (no such customer)
        api = Api(c)
        acme, zoe = a_signed_in_zoe(api)
        mine = adapters().uow.sessions.get(token_hash(zoe.token))
        token = f"{acme.org.org_id}.cus_gone.{new_token()}"
        adapters().uow.sessions.add(Session(token_hash(token), mine.login, acme.org.org_id, "cus_gone",
                                            mine.contact_id, mine.role, mine.created_at, mine.last_seen_at,
                                            mine.expires_at))

        # Then it opens nothing
        assert_refused(api.as_(token).get("/portal/me"))


def test_a_session_acts_with_no_more_than_the_role_it_was_given_at_sign_in(aws):
    Clock()
    with client() as c:
        # Given Zoë, the owner, whose session was begun as a viewer's (a customer read a moment before
        # she was made the owner: the customer's item is read eventually consistent)
        api = Api(c)
        acme, zoe = a_signed_in_zoe(api)
        mine = adapters().uow.sessions.get(token_hash(zoe.token))
        adapters().uow.sessions.add(replace(mine, role="viewer"))

        # When she asks for what only the owner may see, and pays nothing, and reads her account
        people, me = zoe.portal.get("/portal/people"), zoe.portal.get("/portal/me")

        # Then the session acts as the viewer it was given, though her contact is the owner now
        assert people.status == 403 and people.json["error"]["code"] == "role_forbids"
        assert me.status == 200 and me.json["contact"]["role"] == "viewer"


def test_the_session_check_reads_the_customer_eventually_and_the_session_consistently(aws):
    Clock()
    with client() as c:
        # Given a signed-in contact
        acme, zoe = a_signed_in_zoe(Api(c))

        # When the portal asks who she is
        asked = []
        from chalicelib.tables.base import shared_client
        record = lambda params, **_: asked.append(params)   # noqa: E731
        shared_client().meta.events.register("before-parameter-build.dynamodb.BatchGetItem", record)
        try:
            zoe.portal.get("/portal/me")
        finally:
            shared_client().meta.events.unregister("before-parameter-build.dynamodb.BatchGetItem", record)

        # Then only the session was read consistently (a session ended is not found; the customer a
        # moment old is enough: a change of role or access ends the sessions it concerns)
        consistent = {name.rsplit("-", 1)[-1]: read.get("ConsistentRead") for name, read in asked[0]["RequestItems"].items()}
        assert consistent == {"sessions": True, "organizations": False, "customers": False}
