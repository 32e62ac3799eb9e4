"""GET /portal/me: who is signed in, for whom, with which organization and features."""
from tests.support.api import Api, client
from tests.support.portal import Clock, portal_organization, signed_in_customer

TWO_CONTACTS = [{"first_name": "Hank", "last_name": "Scorpio", "email": "hank@globex.example"},
                {"first_name": "Zoë", "last_name": "Keller", "email": "zoe@globex.example", "is_primary": True}]


def test_me_shows_the_contact_the_customer_the_organization_and_the_features(aws):
    Clock()
    with client() as c:
        # Given a merchant that lets customers cancel, and a signed-in contact
        api = Api(c)
        acme = portal_organization(api, phone="+1 555 0100", website="https://acme.example")
        acme.admin.put("/admin/preferences", {"preferences": {"cancel": {"enabled": True}}})
        zoe = signed_in_customer(api, acme.org, acme.key, email="zoe@globex.example", contacts=TWO_CONTACTS)

        # When she asks who she is
        me = zoe.portal.get("/portal/me")

        # Then she sees herself, her customer, the organization's public details and the features
        assert me.status == 200
        assert me.json["contact"] == {"contact_id": zoe.contact["contact_id"], "name": "Zoë Keller",
                                      "email": "zoe@globex.example", "role": "owner", "locale": ""}
        assert me.json["customer"] == {"customer_id": zoe.customer_id, "display_name": "Globex"}
        assert me.json["organization"] == {
            "org_id": acme.org.org_id, "name": "Acme Cloud", "email": "billing@acme.example",
            "phone": "+1 555 0100", "website": "https://acme.example", "address": [], "currency": "USD",
            "currency_exponent": 2, "time_zone": "UTC", "logo_path": ""}
        assert me.json["features"]["cancel"] is True
        assert me.json["features"]["pause_resume"] is False
        assert me.json["features"]["forward_documents"] is True
        assert me.json["payments_mode"] == "simulated"
        assert me.headers["Cache-Control"] == "no-store"


def test_me_follows_the_merchants_preferences_as_they_change(aws):
    Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        assert zoe.portal.get("/portal/me").json["features"]["reviews"] is True

        acme.admin.put("/admin/preferences", {"preferences": {"reviews": False}})

        assert zoe.portal.get("/portal/me").json["features"]["reviews"] is False
