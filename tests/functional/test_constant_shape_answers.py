"""Requests that must not tell whether an account exists, or whether an address is taken, make the
same DynamoDB calls on the same tables either way: what differs is decided later, when the
outbox sends (or drops) the email. Recorded as botocore builds each request."""
from tests.support.api import Api, client
from tests.support.call_shapes import calls_made
from tests.support.sign_in import forgot
from tests.support.documents import a_scene, signed_in
from tests.support.portal import PASSWORD, new_customer, portal_organization, signed_in_customer


def test_forgot_password_makes_the_same_calls_for_an_account_an_invited_contact_and_an_unknown_email(aws):
    with client() as c:
        # Given Zoë's account, and Hank who is invited but has not chosen a password
        api = Api(c)
        acme = portal_organization(api)
        org_id = acme.org.org_id
        signed_in_customer(api, acme.org, acme.key)
        initech = new_customer(acme.admin, display_name="Initech", email="hank@initech.example")
        assert acme.admin.post(f"/admin/customers/{initech['customer_id']}/portal-invite",
                               {"contact_id": initech["contacts"][0]["contact_id"]}).status == 202

        # When each asks for a reset link
        shapes = {}
        for email in ("zoe@globex.example", "hank@initech.example", "nobody@globex.example"):
            with calls_made() as calls:
                answer = forgot(api, org_id, email)
            shapes[email] = (answer.status, answer.json, calls)

        # Then each request made the same calls on the same tables, and got the same answer
        assert shapes["zoe@globex.example"] == shapes["hank@initech.example"] == shapes["nobody@globex.example"]
        assert ("PutItem", ("emails",)) in shapes["nobody@globex.example"][2]


def test_asking_for_a_taken_or_a_free_sign_in_email_makes_the_same_calls(aws):
    with client() as c:
        # Given Bill of Initech with a portal account
        scene = a_scene(Api(c))
        initech = new_customer(scene.admin, display_name="Initech", email="bill@initech.example")
        signed_in(scene.api, scene.acme.org.org_id, initech, "bill@initech.example")

        # When Zoë asks for his address, and then for a free one
        shapes = []
        for email in ("bill@initech.example", "zoe.private@globex.example"):
            with calls_made() as calls:
                answer = scene.zoe.portal.patch("/portal/profile", {"contact": {"email": email},
                                                                    "current_password": PASSWORD})
            shapes.append((answer.status, calls))

        # Then both made the same calls on the same tables
        assert shapes[0] == shapes[1] and shapes[0][0] == 200
