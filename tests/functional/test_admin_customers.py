from tests.support.api import Api, client, new_organization


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
