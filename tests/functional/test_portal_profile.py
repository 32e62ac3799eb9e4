"""GET|PATCH /portal/profile and GET /portal/contacts: my contact details, my account's addresses
and the custom fields shown in the portal; every change on the timeline."""
from chalicelib.bootstrap import adapters
from tests.support.api import Api, client
from tests.support.documents import a_scene, sign_in_contact, turn
from tests.support.portal import PASSWORD, assert_refused, login, new_customer

FIELDS = [{"key": "vat_id", "label": "VAT ID", "show_in_portal": True},
          {"key": "employees", "label": "Employees", "type": "number", "show_in_portal": True},
          {"key": "tier", "label": "Tier", "type": "dropdown", "options": ["small", "large"], "show_in_portal": True},
          {"key": "risk_score", "label": "Risk score", "type": "number"}]


def with_custom_fields(scene) -> None:
    assert scene.admin.patch("/admin/organization", {"custom_fields": FIELDS}).status == 200
    answer = scene.admin.patch(f"/admin/customers/{scene.customer_id}",
                               {"custom_fields": {"vat_id": "US-1", "risk_score": 7}})
    assert answer.status == 200, answer.json


def timeline(scene) -> list[dict]:
    return scene.zoe.portal.get("/portal/activity").json["items"]


def test_my_profile_shows_my_contact_addresses_and_only_the_fields_shown_in_the_portal(aws):
    with client() as c:
        # Given custom fields, one of them internal to the merchant
        scene = a_scene(Api(c))
        with_custom_fields(scene)

        # When Zoë reads her profile
        answer = scene.zoe.portal.get("/portal/profile")

        # Then she sees her contact, the addresses, and the portal's fields with their values
        assert answer.status == 200
        assert answer.json["contact"] == {"contact_id": scene.zoe.contact["contact_id"], "first_name": "Zoë",
                                          "last_name": "Keller", "name": "Zoë Keller", "email": "zoe@globex.example",
                                          "phone": "", "is_primary": True}
        assert answer.json["customer"]["display_name"] == "Globex"
        assert answer.json["customer"]["billing_address"]["line1"] == ""
        assert [(f["key"], f["value"]) for f in answer.json["custom_fields"]] == \
            [("vat_id", "US-1"), ("employees", None), ("tier", None)]
        assert "risk_score" not in str(answer.json) and answer.json["editable"] is True


def test_details_addresses_and_custom_fields_are_updated_and_each_change_is_on_the_timeline(aws):
    with client() as c:
        # Given a customer with custom fields
        scene = a_scene(Api(c))
        with_custom_fields(scene)
        scene.clock.advance(seconds=1)

        # When Zoë changes her phone, the billing address and two custom fields
        answer = scene.zoe.portal.patch("/portal/profile", {
            "contact": {"phone": "+1 555 0199", "last_name": "Keller-Smith"},
            "billing_address": {"line1": "1 Globex Way", "city": "Cypress Creek", "country": "US"},
            "custom_fields": {"employees": 250, "tier": "large", "vat_id": None}})

        # Then the profile shows them, the merchant sees them, and the internal field is untouched
        assert answer.status == 200, answer.json
        assert answer.json["contact"]["phone"] == "+1 555 0199" and answer.json["contact"]["name"] == "Zoë Keller-Smith"
        merchant_view = scene.admin.get(f"/admin/customers/{scene.customer_id}").json
        assert merchant_view["billing_address"]["city"] == "Cypress Creek"
        assert merchant_view["custom_fields"] == {"employees": 250, "tier": "large", "risk_score": 7}
        zoe = next(p for p in merchant_view["contacts"] if p["email"] == "zoe@globex.example")
        assert (zoe["phone"], zoe["is_primary"]) == ("+1 555 0199", True)
        assert merchant_view["contacts"][0]["email"] == "zoe@globex.example"   # contacts keep their order
        # And one activity record says what changed, before and after
        [record] = [a for a in timeline(scene) if a["action"] == "profile.updated"]
        assert record["actor"] == {"type": "customer", "id": scene.zoe.contact["contact_id"], "name": "Zoë Keller"}
        assert record["before"] == {"contact.phone": "", "contact.last_name": "Keller",
                                    "billing_address": {"line1": "", "line2": "", "city": "", "state": "",
                                                        "postal_code": "", "country": ""},
                                    "custom_fields.employees": None, "custom_fields.tier": None,
                                    "custom_fields.vat_id": "US-1"}
        assert record["after"]["contact.phone"] == "+1 555 0199"
        assert record["after"]["billing_address"]["line1"] == "1 Globex Way"
        assert (record["after"]["custom_fields.employees"], record["after"]["custom_fields.vat_id"]) == (250, None)


def test_a_change_that_changes_nothing_writes_nothing(aws):
    with client() as c:
        scene = a_scene(Api(c))

        answer = scene.zoe.portal.patch("/portal/profile", {"contact": {"first_name": "Zoë"}})

        assert answer.status == 200
        assert [a for a in timeline(scene) if a["action"] == "profile.updated"] == []


BAD_PATCHES = [
    ({"custom_fields": {"risk_score": 1}}, "custom_fields.risk_score"),        # not shown in the portal
    ({"custom_fields": {"employees": "many"}}, "custom_fields.employees"),     # a number
    ({"custom_fields": {"employees": float("nan")}}, "custom_fields.employees"),
    ({"custom_fields": {"employees": 10**40}}, "custom_fields.employees"),
    ({"custom_fields": {"tier": "medium"}}, "custom_fields.tier"),             # not an option
    ({"custom_fields": {"nickname": "Z"}}, "custom_fields.nickname"),          # no such field
    ({"contact": {"first_name": ""}}, "contact.first_name"),
    ({"contact": {"is_primary": False}}, "contact.is_primary"),
    ({"billing_address": {"country": "USA"}}, "billing_address.country"),
    ({"display_name": "Evil Corp"}, "display_name"),
    ({"contact": {"email": "not-an-email"}}, "contact.email"),
    ({"contact": {"email": "hank@globex.example"}, "current_password": PASSWORD}, "contact.email"),  # a colleague's
]


def test_fields_not_shown_in_the_portal_wrong_types_and_bad_details_are_refused_and_nothing_changes(aws):
    with client() as c:
        # Given a customer with custom fields
        scene = a_scene(Api(c))
        with_custom_fields(scene)
        before = scene.admin.get(f"/admin/customers/{scene.customer_id}").json

        for body, field in BAD_PATCHES:
            # When the profile is patched with something it may not hold (next to a good change)
            answer = scene.zoe.portal.patch("/portal/profile", {"contact": {"phone": "+1 555 0100"}, **body})

            # Then the field is named, and nothing at all was changed
            assert answer.status == 400, (body, answer.json)
            assert field in answer.json["error"]["details"]["fields"], body
        assert scene.admin.get(f"/admin/customers/{scene.customer_id}").json == before
        assert [a for a in timeline(scene) if a["action"] == "profile.updated"] == []


def test_updating_details_is_refused_when_the_merchant_turned_it_off_but_they_can_be_read(aws):
    with client() as c:
        scene = a_scene(Api(c))
        turn(scene, "update_customer_details", False)

        patched = scene.zoe.portal.patch("/portal/profile", {"contact": {"phone": "+1 555 0199"}})
        read = scene.zoe.portal.get("/portal/profile")

        assert patched.status == 403 and patched.json["error"]["details"] == {"feature": "update_customer_details"}
        assert read.status == 200 and read.json["editable"] is False and read.json["contact"]["phone"] == ""

        turn(scene, "update_customer_details", True)
        assert scene.zoe.portal.patch("/portal/profile", {"contact": {"phone": "+1 555 0199"}}).status == 200


def test_changing_the_sign_in_email_needs_the_current_password(aws):
    with client() as c:
        scene = a_scene(Api(c))
        change = {"contact": {"email": "zoe.keller@globex.example"}}

        missing = scene.zoe.portal.patch("/portal/profile", change)
        wrong = scene.zoe.portal.patch("/portal/profile", {**change, "current_password": "not my password at all"})

        assert missing.status == 400 and "current_password" in missing.json["error"]["details"]["fields"]
        assert wrong.status == 400 and "current_password" in wrong.json["error"]["details"]["fields"]
        # a wrong password counts as a failed sign-in of the account
        assert adapters().uow.rate_counters.failures(f"{scene.acme.org.org_id}#zoe@globex.example").count == 1
        assert scene.zoe.portal.get("/portal/profile").json["contact"]["email"] == "zoe@globex.example"
        assert login(scene.api, scene.acme.org.org_id, "zoe.keller@globex.example", PASSWORD).status == 401


def test_contacts_lists_the_contact_persons_of_my_account_only(aws):
    with client() as c:
        scene = a_scene(Api(c))
        new_customer(scene.admin, display_name="Initech", email="bill@initech.example")
        hank = sign_in_contact(scene, "hank@globex.example")

        answer = hank.get("/portal/contacts")

        assert answer.status == 200
        assert [(p["name"], p["email"], p["is_primary"]) for p in answer.json["items"]] == [
            ("Zoë Keller", "zoe@globex.example", True), ("Hank Scorpio", "hank@globex.example", False)]


def test_profile_and_contacts_need_a_session(aws):
    with client() as c:
        anonymous = Api(c)
        assert_refused(anonymous.get("/portal/profile"))
        assert_refused(anonymous.patch("/portal/profile", {"contact": {"phone": "1"}}))
        assert_refused(anonymous.get("/portal/contacts"))
