from tests.support.api import Api, client, new_organization
from tests.support.portal import Clock, invite, portal_organization


def test_merchant_creates_and_lists_customers(aws):
    # Given an organization and its key
    org, key = new_organization()
    with client() as c:
        api = Api(c, key)
        # When it adds a customer with two contacts
        created = api.post("/admin/customers", {
            "display_name": "Globex", "email": "ap@globex.example",
            "contacts": [{"first_name": "Hank", "email": "hank@globex.example"},
                         {"first_name": "Lisa", "email": "lisa@globex.example", "is_primary": True}]})
        # Then the customer is listed, with Lisa as its only primary contact
        assert created.status == 201, created.json
        listed = api.get("/admin/customers")
        assert [c["display_name"] for c in listed.json["items"]] == ["Globex"]
        primaries = [p["first_name"] for p in created.json["contacts"] if p["is_primary"]]
        assert primaries == ["Lisa"]


def test_the_list_of_customers_says_where_each_contact_stands_with_the_portal(aws):
    Clock()
    with client() as c:
        # Given a customer with three contacts: one who accepted an invitation, one invited, one never
        api = Api(c)
        acme = portal_organization(api)
        customer = acme.admin.post("/admin/customers", {
            "display_name": "Globex", "email": "ap@globex.example",
            "contacts": [{"first_name": "Zoë", "email": "zoe@globex.example", "is_primary": True},
                         {"first_name": "Hank", "email": "hank@globex.example"},
                         {"first_name": "Lisa", "email": "lisa@globex.example"}]}).json
        token = invite(acme.admin, customer, "zoe@globex.example")
        assert api.as_(None).post("/portal/auth/accept-invite", {
            "organization": acme.org.org_id, "token": token, "password": "quiet orange lantern meadow 42"}).status == 201
        invite(acme.admin, customer, "hank@globex.example")

        # When the merchant lists its customers
        [listed] = acme.admin.get("/admin/customers").json["items"]

        # Then each contact says whether it has an account, an invitation waiting, or neither
        assert {p["email"]: p["portal_access"] for p in listed["contacts"]} == {
            "zoe@globex.example": "active", "hank@globex.example": "invited", "lisa@globex.example": "none"}
