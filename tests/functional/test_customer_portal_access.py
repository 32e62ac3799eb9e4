"""Where each contact stands with the portal is kept on the customer (services/access/portal_accounts.py),
so the back office's list of customers reads it with them: it stays what the accounts say through
every change of an account, a customer stored before it was kept there is listed as before, and a
change of an account meeting another change of its customer writes nothing."""
from chalicelib import bootstrap
from chalicelib.bootstrap import adapters, services
from chalicelib.tables.metrics import counting_calls
from tests.support.api import Api, client
from tests.support.portal import (
    PASSWORD, Clock, contact_with, emails_to, invite, link_token, portal_organization, signed_in_customer,
)

HANK = {"first_name": "Hank", "email": "hank@globex.example"}
LISA = {"first_name": "Lisa", "email": "lisa@globex.example"}
ALICE = {"first_name": "Alice", "last_name": "Ng", "email": "alice@globex.example"}


def listed_access(acme) -> dict[str, dict[str, str]]:
    """customer display name -> contact email -> portal_access, as GET /admin/customers answers."""
    answer = acme.admin.get("/admin/customers")
    assert answer.status == 200, answer.json
    return {customer["display_name"]: {contact["email"]: contact["portal_access"] for contact in customer["contacts"]}
            for customer in answer.json["items"]}


def accounts_say(acme) -> dict[str, dict[str, str]]:
    """The same, from the accounts themselves (read consistently), as the list read them before."""
    org_id = acme.org.org_id
    page = adapters().uow.customers.page(org_id, limit=100, cursor=None)
    statuses = adapters().uow.portal_users.statuses(
        org_id, [(c.customer_id, p.contact_id, p.email) for c in page.items for p in c.contacts], consistent=True)
    return {c.display_name: {p.email: statuses.get((c.customer_id, p.contact_id), "none") for p in c.contacts}
            for c in page.items}


def globex_with_hank_invited(c, *more_contacts):
    """Acme's customer Globex: Zoë, its owner, signed in; Hank invited (and `more_contacts` without accounts)."""
    api = Api(c)
    acme = portal_organization(api)
    zoe = signed_in_customer(api, acme.org, acme.key, contacts=[
        {"first_name": "Zoë", "email": "zoe@globex.example", "is_primary": True}, HANK, *more_contacts])
    invite(acme.admin, zoe.customer, HANK["email"])
    return api, acme, zoe


def accept(api: Api, acme, email: str) -> None:
    answer = api.as_(None).post("/portal/auth/accept-invite", {
        "organization": acme.org.org_id, "token": link_token(emails_to(email)[-1]), "password": PASSWORD})
    assert answer.status == 201, answer.json


def test_what_the_list_says_of_each_contact_stays_what_the_accounts_say_through_every_change_of_an_account(aws):
    Clock()
    with client() as c:
        # Given Globex, whose owner Zoë accepted her invitation, with two more contacts; and Initech
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key, contacts=[
            {"first_name": "Zoë", "email": "zoe@globex.example", "is_primary": True}, HANK, LISA])
        initech = acme.admin.post("/admin/customers", {"display_name": "Initech", "email": "ap@initech.example"}).json
        assert listed_access(acme) == accounts_say(acme) == {
            "Globex": {"zoe@globex.example": "active", HANK["email"]: "none", LISA["email"]: "none"},
            "Initech": {"ap@initech.example": "none"}}

        # When the merchant invites Hank
        invite(acme.admin, zoe.customer, HANK["email"])
        # Then he is listed as invited
        assert listed_access(acme) == accounts_say(acme)
        assert listed_access(acme)["Globex"][HANK["email"]] == "invited"

        # When Zoë invites Alice as a viewer, and Alice accepts
        sent = zoe.portal.post("/portal/people", {**ALICE, "role": "viewer", "current_password": PASSWORD})
        assert sent.status == 201, sent.json
        assert listed_access(acme)["Globex"][ALICE["email"]] == "invited"
        accept(api, acme, ALICE["email"])
        # Then Alice is listed as active
        assert listed_access(acme) == accounts_say(acme)
        assert listed_access(acme)["Globex"][ALICE["email"]] == "active"

        # When Initech gets a contact with Hank's address, and the merchant invites that contact
        initech = acme.admin.post(f"/admin/customers/{initech['customer_id']}/contacts", HANK).json
        invite(acme.admin, initech, HANK["email"])
        # Then the invitation moved to Initech's contact: Globex's Hank has none any more
        assert listed_access(acme) == accounts_say(acme)
        assert (listed_access(acme)["Globex"][HANK["email"]], listed_access(acme)["Initech"][HANK["email"]]) == \
            ("none", "invited")

        # When the operator gives Lisa an account
        services().access.create_portal_user(acme.org.org_id, customer_id=zoe.customer["customer_id"],
                                             contact_id=contact_with(zoe.customer, LISA["email"])["contact_id"],
                                             password=PASSWORD, now=bootstrap.now())
        # Then she is listed as active
        assert listed_access(acme) == accounts_say(acme) == {
            "Globex": {"zoe@globex.example": "active", HANK["email"]: "none", LISA["email"]: "active",
                       ALICE["email"]: "active"},
            "Initech": {"ap@initech.example": "none", HANK["email"]: "invited"}}


def test_the_list_of_customers_reads_the_key_and_one_page_of_customers_and_nothing_else(aws):
    Clock()
    with client() as c:
        # Given customers whose contacts have accounts, invitations and neither
        api, acme, zoe = globex_with_hank_invited(c, LISA)
        acme.admin.post("/admin/customers", {"display_name": "Initech", "email": "ap@initech.example"})

        # When the merchant lists its customers
        with counting_calls() as calls:
            answer = acme.admin.get("/admin/customers")

        # Then two calls answer it: the key's, and the Query of the page (no read of the accounts)
        assert answer.status == 200, answer.json
        assert dict(calls.operations) == {"GetItem": 1, "Query": 1}


def test_a_customer_stored_before_its_accounts_were_kept_on_it_is_listed_as_before_until_its_next_invitation(aws):
    Clock()
    with client() as c:
        # Given Globex (Zoë active, Hank invited, Lisa neither) stored as before the accounts were kept on it
        api, acme, zoe = globex_with_hank_invited(c, LISA)
        from chalicelib.tables.customers import CustomerItem
        stored = CustomerItem.get(acme.org.org_id, zoe.customer["customer_id"], consistent_read=True)
        stored.update(actions=[CustomerItem.portal_accounts.remove()])

        # When the merchant lists its customers
        with counting_calls() as calls:
            listed = listed_access(acme)
        # Then each contact is listed as the accounts say, read with them
        assert listed == {"Globex": {"zoe@globex.example": "active", HANK["email"]: "invited", LISA["email"]: "none"}}
        assert calls.operations["BatchGetItem"] == 1

        # When the merchant invites Lisa
        invite(acme.admin, zoe.customer, LISA["email"])
        # Then the customer keeps where every contact stands, and is listed without reading the accounts
        kept = adapters().uow.customers.get(acme.org.org_id, zoe.customer["customer_id"]).portal_accounts
        assert sorted(kept.values()) == ["active", "invited", "invited"]
        with counting_calls() as calls:
            listed = listed_access(acme)
        assert listed == accounts_say(acme) == {
            "Globex": {"zoe@globex.example": "active", HANK["email"]: "invited", LISA["email"]: "invited"}}
        assert "BatchGetItem" not in calls.operations


def test_an_acceptance_meeting_another_change_of_its_customer_writes_nothing_and_can_be_sent_again(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given Hank, invited
        api, acme, zoe = globex_with_hank_invited(c)
        token = link_token(emails_to(HANK["email"])[-1])

        # When he accepts while the merchant changes the customer, between the acceptance's read and its write
        from chalicelib.services.access import portal_accounts
        from chalicelib.services.accounts.commands import CustomerChanges
        recording = portal_accounts.with_account

        def meanwhile(*args):
            monkeypatch.setattr(portal_accounts, "with_account", recording)
            services().accounts.update_customer(acme.org.org_id, zoe.customer["customer_id"],
                                                CustomerChanges(phone="+1 555 0100"), bootstrap.now())
            return recording(*args)
        monkeypatch.setattr(portal_accounts, "with_account", meanwhile)
        body = {"organization": acme.org.org_id, "token": token, "password": PASSWORD}
        raced = api.as_(None).post("/portal/auth/accept-invite", body)

        # Then that acceptance is refused and wrote nothing: Hank is still invited, the change stands
        assert raced.status == 409, raced.json
        assert listed_access(acme) == accounts_say(acme) == {
            "Globex": {"zoe@globex.example": "active", HANK["email"]: "invited"}}
        assert acme.admin.get(f"/admin/customers/{zoe.customer['customer_id']}").json["phone"] == "+1 555 0100"
        # And sent again, it signs him in and he is listed as active
        assert api.as_(None).post("/portal/auth/accept-invite", body).status == 201
        assert listed_access(acme) == accounts_say(acme) == {
            "Globex": {"zoe@globex.example": "active", HANK["email"]: "active"}}


def test_the_people_of_an_account_are_read_with_the_session_check_alone(aws):
    Clock()
    with client() as c:
        # Given an owner who invited Hank
        api, acme, zoe = globex_with_hank_invited(c)

        # When she lists the people of her account
        with counting_calls() as calls:
            people = zoe.portal.get("/portal/people")

        # Then each says where they stand, from the customer the session check read: no other call
        assert [(p["email"], p["portal_status"]) for p in people.json["items"]] == [
            ("zoe@globex.example", "active"), (HANK["email"], "invited")]
        assert dict(calls.operations) == {"BatchGetItem": 1}


def test_an_invitation_sent_again_leaves_the_customer_as_it_was(aws):
    Clock()
    with client() as c:
        # Given Hank, invited
        api, acme, zoe = globex_with_hank_invited(c)
        before = adapters().uow.customers.get(acme.org.org_id, zoe.customer["customer_id"])

        # When the merchant sends his invitation again
        invite(acme.admin, zoe.customer, HANK["email"])

        # Then he is still listed as invited, and the customer was not written again (its version is the same)
        assert listed_access(acme)["Globex"][HANK["email"]] == "invited"
        assert adapters().uow.customers.get(acme.org.org_id, zoe.customer["customer_id"]).version == before.version


def test_the_operators_command_records_what_the_accounts_say_on_every_customer(aws, capsys):
    Clock()
    with client() as c:
        # Given Globex stored before the accounts were kept on it, and Initech keeping a wrong record
        # (as after a rollback across the release that began keeping it)
        api, acme, zoe = globex_with_hank_invited(c)
        initech = acme.admin.post("/admin/customers", {"display_name": "Initech", "email": "ap@initech.example"}).json
        from chalicelib.tables.customers import CustomerItem
        CustomerItem.get(acme.org.org_id, zoe.customer["customer_id"]).update(
            actions=[CustomerItem.portal_accounts.remove()])
        CustomerItem.get(acme.org.org_id, initech["customer_id"]).update(
            actions=[CustomerItem.portal_accounts.set({initech["contacts"][0]["contact_id"]: "active"})])

        # When the operator runs record-portal-access, twice
        from chalicelib import cli
        assert cli.main(["record-portal-access", "--org", acme.org.org_id]) == 0
        assert cli.main(["record-portal-access", "--org", acme.org.org_id]) == 0

        # Then both customers keep what the accounts say, written once, and are listed without reading the accounts
        said = [line for line in capsys.readouterr().out.splitlines() if line.startswith("recorded on")]
        assert said == ["recorded on 2 customer(s)", "recorded on 0 customer(s)"]
        with counting_calls() as calls:
            listed = listed_access(acme)
        assert listed == accounts_say(acme) == {
            "Globex": {"zoe@globex.example": "active", HANK["email"]: "invited"},
            "Initech": {"ap@initech.example": "none"}}
        assert "BatchGetItem" not in calls.operations
