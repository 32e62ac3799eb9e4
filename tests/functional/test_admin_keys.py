"""Merchant API keys name their organization (`pk_admin_<org_id>.<secret>`): a GET route's key check
reads the key with what the route reads of its organization, in one call. The name says where to
read, never whose the key is; keys of the older form keep working."""
from __future__ import annotations

from chalicelib.bootstrap import adapters
from chalicelib.domain.tokens import new_token
from chalicelib.services.access.merchant_access import key_hash
from chalicelib.tables.metrics import counting_calls
from tests.support.api import NOW, Api, client, new_organization


def test_a_new_key_names_its_organization_and_opens_it(aws):
    # Given a new organization and its key
    org, key = new_organization("Acme Cloud")

    with client() as c:
        # When the key asks for the organization
        with counting_calls() as calls:
            answer = Api(c, key).get("/admin/organization")

    # Then the key named it, and one call read the key and the organization
    assert key.startswith(f"pk_admin_{org.org_id}.")
    assert answer.status == 200 and answer.json["org_id"] == org.org_id
    assert dict(calls.operations) == {"BatchGetItem": 1}


def test_a_customer_the_path_names_is_read_with_the_key(aws):
    # Given a customer of Acme's
    org, key = new_organization("Acme Cloud")
    with client() as c:
        merchant = Api(c, key)
        customer = merchant.post("/admin/customers", {"display_name": "Globex", "email": "zoe@globex.example"}).json

        # When the merchant reads its activity
        with counting_calls() as calls:
            answer = merchant.get(f"/admin/customers/{customer['customer_id']}/activity")

    # Then the key and the customer were one call, the activity the other
    assert answer.status == 200
    assert dict(calls.operations) == {"BatchGetItem": 1, "Query": 1}


def test_a_key_renamed_to_another_organization_is_refused(aws):
    # Given Acme's key, and Initech with a customer
    acme, key = new_organization("Acme Cloud")
    initech, initech_key = new_organization("Initech")
    _, _, secret = key.partition(".")
    with client() as c:
        theirs = Api(c, initech_key).post("/admin/customers", {"display_name": "Hooli",
                                                               "email": "gavin@hooli.example"}).json

        # When the key's name is rewritten to Initech's, or is malformed
        forged = [f"pk_admin_{initech.org_id}.{secret}", f"pk_admin_.{secret}", f"pk_admin_{acme.org_id}.",
                  f"pk_admin_{acme.org_id}.{secret}.x", f"pk_admin_{acme.org_id}#x.{secret}"]
        answers = [Api(c, token).get(path) for token in forged
                   for path in ("/admin/organization", f"/admin/customers/{theirs['customer_id']}")]

        # Then each is refused as an unknown key is, and the key itself still works
        assert {a.status for a in answers} == {401}
        assert Api(c, key).get("/admin/organization").json["org_id"] == acme.org_id


def test_a_key_naming_another_organization_than_its_own_is_refused(aws):
    # Given a key stored as Acme's whose name says Initech (as a key made by a bug, or a stolen hash table
    # entry reused, would be): the name must not decide whose it is
    acme, _ = new_organization("Acme Cloud")
    initech, initech_key = new_organization("Initech")
    forged = f"pk_admin_{initech.org_id}.{new_token()}"
    adapters().uow.api_keys.add(key_hash=key_hash(forged), key_id="api_key_forged", org_id=acme.org_id,
                                name="forged", hint=forged[-4:], now=NOW)
    with client() as c:
        theirs = Api(c, initech_key).post("/admin/customers", {"display_name": "Hooli",
                                                               "email": "gavin@hooli.example"}).json

        # When it asks for Initech's organization and customer
        answers = [Api(c, forged).get(path) for path in ("/admin/organization",
                                                         f"/admin/customers/{theirs['customer_id']}")]

    # Then it is refused as an unknown key is
    assert [a.status for a in answers] == [401, 401]


def test_a_key_of_the_older_form_keeps_working(aws):
    # Given a key issued before keys named their organization
    org, _ = new_organization("Acme Cloud")
    older = "pk_admin_" + new_token()
    adapters().uow.api_keys.add(key_hash=key_hash(older), key_id="api_key_older", org_id=org.org_id,
                                name="older", hint=older[-4:], now=NOW)

    with client() as c:
        # Then it still opens its organization, and its customers
        merchant = Api(c, older)
        assert merchant.get("/admin/organization").json["org_id"] == org.org_id
        customer = merchant.post("/admin/customers", {"display_name": "Globex", "email": "zoe@globex.example"})
        assert merchant.get(f"/admin/customers/{customer.json['customer_id']}").status == 200
