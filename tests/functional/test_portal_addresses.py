"""Each organization's portal has a name the merchant chooses; its address carries it, so a customer
signs in with email and password alone; the forms say the password rules the server checks."""
from chalicelib.domain.password_policy import MIN_LENGTH
from tests.support.api import Api, client
from tests.support.portal import PASSWORD, Clock, login, portal_organization, signed_in_customer


def test_a_merchant_names_its_portal_and_the_name_opens_its_sign_in(aws):
    Clock()
    with client() as c:
        # Given Acme, whose portal has no name yet
        api = Api(c)
        acme = portal_organization(api)
        assert acme.admin.get("/admin/organization").json["portal_name"] == ""

        # When the merchant names it "acme"
        named = acme.admin.patch("/admin/organization", {"portal_name": "acme"})

        # Then the name is Acme's, and the portal finds Acme by it, without a session
        assert named.status == 200 and named.json["portal_name"] == "acme"
        found = api.as_(None).get("/portal/auth/portals/acme")
        assert found.status == 200
        assert found.json == {"org_id": acme.org.org_id, "name": "Acme Cloud", "portal_name": "acme",
                              "logo_path": "", "sign_in": {"password": True, "link": False, "passkey": True}}


def test_a_customer_signs_in_with_the_organization_the_portal_name_gives(aws):
    Clock()
    with client() as c:
        # Given Zoe, a customer of Acme, whose portal is named "acme"
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        acme.admin.patch("/admin/organization", {"portal_name": "acme"})

        # When the sign-in page looks the name up and signs in with its answer
        org_id = api.as_(None).get("/portal/auth/portals/acme").json["org_id"]

        # Then her email and password are all she typed
        assert login(api, org_id, zoe.email, PASSWORD).status == 200


def test_a_name_belongs_to_one_organization(aws):
    Clock()
    with client() as c:
        # Given Acme's portal named "acme"
        api = Api(c)
        acme = portal_organization(api)
        globex = portal_organization(api, "Globex Corp")
        acme.admin.patch("/admin/organization", {"portal_name": "acme"})

        # When Globex asks for the same name
        taken = globex.admin.patch("/admin/organization", {"portal_name": "acme"})

        # Then it is refused in words, and the name still opens Acme's portal
        assert taken.status == 409 and "acme" in taken.json["error"]["message"]
        assert api.as_(None).get("/portal/auth/portals/acme").json["org_id"] == acme.org.org_id


def test_a_renamed_portal_keeps_its_old_name_for_good_so_the_links_already_emailed_open_nobody_elses(aws):
    clock = Clock()
    with client() as c:
        # Given Acme's portal named "acme", its name in every link emailed so far
        api = Api(c)
        acme = portal_organization(api)
        globex = portal_organization(api, "Globex Corp")
        acme.admin.patch("/admin/organization", {"portal_name": "acme"})
        live = globex.admin.patch("/admin/organization", {"portal_name": "acme"})

        # When Acme renames it "acme-cloud", and years pass
        assert acme.admin.patch("/admin/organization", {"portal_name": "acme-cloud"}).status == 200
        clock.advance(days=3 * 365)

        # Then both names still open Acme's portal, which answers with its name as it is now
        for name in ("acme", "acme-cloud"):
            found = api.as_(None).get(f"/portal/auth/portals/{name}")
            assert (found.json["org_id"], found.json["portal_name"]) == (acme.org.org_id, "acme-cloud")
        # And Globex claiming the released name gets the very answer it got for the live one
        released = globex.admin.patch("/admin/organization", {"portal_name": "acme"})
        assert (released.status, released.json) == (live.status, live.json)
        assert live.status == 409
        assert globex.admin.get("/admin/organization").json["portal_name"] == ""


def test_a_merchant_may_take_back_the_name_it_renamed_away_from_however_long_ago(aws):
    clock = Clock()
    with client() as c:
        # Given Acme renamed its portal from "acme" to "acme-cloud" a year ago
        api = Api(c)
        acme = portal_organization(api)
        acme.admin.patch("/admin/organization", {"portal_name": "acme"})
        acme.admin.patch("/admin/organization", {"portal_name": "acme-cloud"})
        clock.advance(days=365)

        # When it changes its mind
        back = acme.admin.patch("/admin/organization", {"portal_name": "acme"})

        # Then "acme" is its portal's name again, and "acme-cloud" the one kept for links
        assert back.status == 200 and back.json["portal_name"] == "acme"
        assert api.as_(None).get("/portal/auth/portals/acme-cloud").json["portal_name"] == "acme"



def test_a_name_given_before_names_were_recorded_is_kept_by_the_rename_that_leaves_it(aws):
    Clock()
    with client() as c:
        # Given Acme's portal named "acme" before portal names had items of their own (none was written)
        from chalicelib.bootstrap import adapters
        from chalicelib.tables.portal_addresses import PortalAddressItem
        api = Api(c)
        acme = portal_organization(api)
        globex = portal_organization(api, "Globex Corp")
        acme.admin.patch("/admin/organization", {"portal_name": "acme"})
        PortalAddressItem.get("acme").delete()
        assert adapters().uow.portal_addresses.org_for("acme") is None

        # When Acme renames it
        renamed = acme.admin.patch("/admin/organization", {"portal_name": "acme-cloud"})

        # Then the old name is Acme's from then on: it opens Acme's portal, and Globex cannot take it
        assert renamed.status == 200, renamed.json
        assert api.as_(None).get("/portal/auth/portals/acme").json["org_id"] == acme.org.org_id
        assert globex.admin.patch("/admin/organization", {"portal_name": "acme"}).status == 409

def test_a_name_that_is_not_a_readable_address_is_refused_next_to_the_field(aws):
    Clock()
    with client() as c:
        # Given Acme
        api = Api(c)
        acme = portal_organization(api)

        # When the merchant tries names with capitals, spaces, or one of the service's own
        answers = [acme.admin.patch("/admin/organization", {"portal_name": name})
                   for name in ("Acme Cloud", "ac", "-acme", "api")]

        # Then each is a 400 naming the field in words, and the portal keeps no name
        assert [a.status for a in answers] == [400, 400, 400, 400]
        assert all("portal_name" in a.json["error"]["details"]["fields"] for a in answers)
        assert "lower-case letters" in answers[0].json["error"]["details"]["fields"]["portal_name"]
        assert acme.admin.get("/admin/organization").json["portal_name"] == ""


def test_an_unknown_portal_name_is_not_found(aws):
    Clock()
    with client() as c:
        answer = Api(c).get("/portal/auth/portals/nobody-here")
    assert answer.status == 404


def test_the_password_rules_are_the_ones_the_server_checks(aws):
    Clock()
    with client() as c:
        # When the sign-in pages ask for the password rules
        rules = Api(c).get("/portal/auth/password-rules")

    # Then the minimum is the policy's
    assert rules.status == 200 and rules.json["min_length"] == MIN_LENGTH == 15
