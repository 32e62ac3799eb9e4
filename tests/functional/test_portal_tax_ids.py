"""GET|POST /portal/tax-ids, PUT|DELETE /portal/tax-ids/{tax_id}: the customer's tax IDs, checked per
kind, at most five, one required if the merchant says so, and printed on documents issued afterwards."""
from tests.support.api import Api, client
from tests.support.documents import PDF_HEADERS, a_scene, an_invoice, pdf_text, signed_in, turn
from tests.support.portal import new_customer

GERMAN_VAT = {"type": "eu_vat", "value": "DE 136 695 976"}
UK_VAT = {"type": "gb_vat", "value": "GB980780684"}


def added(portal: Api, body: dict) -> dict:
    answer = portal.post("/portal/tax-ids", body)
    assert answer.status == 201, answer.json
    return answer.json


def test_a_tax_id_is_added_normalised_replaced_and_removed_and_each_change_is_on_the_timeline(aws):
    with client() as c:
        scene = a_scene(Api(c))
        portal = scene.zoe.portal

        # When Zoë adds a German VAT number, written with spaces
        tax_id = added(portal, GERMAN_VAT)

        # Then it is kept normalised and listed
        assert (tax_id["type"], tax_id["value"]) == ("eu_vat", "DE136695976")
        assert portal.get("/portal/tax-ids").json == {"items": [tax_id], "required": False}

        # When she replaces it by a UK number, then removes it
        replaced = portal.put(f"/portal/tax-ids/{tax_id['tax_id']}", UK_VAT)
        assert replaced.status == 200 and replaced.json == {**tax_id, "type": "gb_vat", "value": "GB980780684"}
        assert portal.delete(f"/portal/tax-ids/{tax_id['tax_id']}").status == 204

        # Then none is left, and the timeline says what changed
        assert portal.get("/portal/tax-ids").json["items"] == []
        actions = [a["action"] for a in portal.get("/portal/activity").json["items"]]
        assert {"tax_id.added", "tax_id.replaced", "tax_id.removed"} <= set(actions)


def test_adding_the_same_number_again_adds_nothing(aws):
    with client() as c:
        scene = a_scene(Api(c))
        first = added(scene.zoe.portal, GERMAN_VAT)
        again = added(scene.zoe.portal, {"type": "eu_vat", "value": "de136695976"})
        assert again == first and len(scene.zoe.portal.get("/portal/tax-ids").json["items"]) == 1


def test_an_invalid_number_is_a_field_error_naming_its_kind_and_writes_nothing(aws):
    with client() as c:
        scene = a_scene(Api(c))
        answer = scene.zoe.portal.post("/portal/tax-ids", {"type": "eu_vat", "value": "DE136695977"})
        assert answer.status == 400
        assert answer.json["error"]["details"]["fields"] == {
            "value": "This is not a valid German VAT number: the check digit does not match."}
        unknown = scene.zoe.portal.post("/portal/tax-ids", {"type": "ch_uid", "value": "CHE123"})
        assert unknown.status == 400 and "type" in str(unknown.json["error"]["details"]["fields"])
        assert scene.zoe.portal.get("/portal/tax-ids").json["items"] == []


def test_an_account_holds_at_most_five_tax_ids(aws):
    with client() as c:
        scene = a_scene(Api(c))
        for value in ("DE136695976", "FR40303265045", "IT00743110157", "BE0403019261", "NL004495445B01"):
            added(scene.zoe.portal, {"type": "eu_vat", "value": value})
        sixth = scene.zoe.portal.post("/portal/tax-ids", UK_VAT)
        assert sixth.status == 422 and sixth.json["error"]["code"] == "too_many_tax_ids"


def test_when_the_merchant_requires_one_the_last_cannot_be_removed_but_can_be_replaced(aws):
    with client() as c:
        scene = a_scene(Api(c))
        turn(scene, "require_tax_id", True)
        assert scene.zoe.portal.get("/portal/tax-ids").json == {"items": [], "required": True}
        tax_id = added(scene.zoe.portal, GERMAN_VAT)

        removed = scene.zoe.portal.delete(f"/portal/tax-ids/{tax_id['tax_id']}")

        assert removed.status == 422 and removed.json["error"]["code"] == "tax_id_required"
        assert "needs a tax ID" in removed.json["error"]["message"]
        assert scene.zoe.portal.put(f"/portal/tax-ids/{tax_id['tax_id']}", UK_VAT).status == 200
        assert len(scene.zoe.portal.get("/portal/tax-ids").json["items"]) == 1


def test_changing_tax_ids_is_refused_when_the_merchant_turned_off_updating_details(aws):
    with client() as c:
        scene = a_scene(Api(c))
        turn(scene, "update_customer_details", False)
        answer = scene.zoe.portal.post("/portal/tax-ids", GERMAN_VAT)
        assert answer.status == 403 and answer.json["error"]["details"] == {"feature": "update_customer_details"}


def test_another_customers_tax_id_is_not_found_like_a_missing_one(aws):
    with client() as c:
        scene = a_scene(Api(c))
        tax_id = added(scene.zoe.portal, GERMAN_VAT)
        other = new_customer(scene.admin, display_name="Initech", email="bill@initech.example")
        bill = signed_in(scene.api, scene.acme.org.org_id, other, "bill@initech.example").portal

        for answer in (bill.put(f"/portal/tax-ids/{tax_id['tax_id']}", UK_VAT),
                       bill.delete(f"/portal/tax-ids/{tax_id['tax_id']}"),
                       bill.delete("/portal/tax-ids/txi_missing")):
            assert answer.status == 404, answer.json
        assert bill.get("/portal/tax-ids").json["items"] == []
        assert scene.zoe.portal.get("/portal/tax-ids").json["items"] == [tax_id]


def test_documents_print_the_tax_ids_of_when_they_were_issued(aws):
    with client() as c:
        # Given an invoice issued while Globex had a German VAT number
        scene = a_scene(Api(c))
        tax_id = added(scene.zoe.portal, GERMAN_VAT)
        scene.clock.advance(minutes=1)
        old = an_invoice(scene.admin, scene.customer_id)

        # When Globex replaces it by a UK number and is invoiced again
        scene.clock.advance(minutes=5)
        assert scene.zoe.portal.put(f"/portal/tax-ids/{tax_id['tax_id']}", UK_VAT).status == 200
        scene.clock.advance(minutes=1)
        new = an_invoice(scene.admin, scene.customer_id)

        # Then each PDF prints the number the customer had when it was issued
        def text(invoice):
            return pdf_text(scene.zoe.portal.get(f"/portal/invoices/{invoice['invoice_id']}/pdf",
                                                 headers=PDF_HEADERS).body)
        assert "VAT DE136695976" in text(old) and "GB980780684" not in text(old)
        assert "VAT GB980780684" in text(new) and "DE136695976" not in text(new)


def test_the_merchant_sets_a_customers_tax_ids_checked_as_in_the_portal(aws):
    with client() as c:
        # Given a customer with a German VAT number of its own
        scene = a_scene(Api(c))
        mine = added(scene.zoe.portal, GERMAN_VAT)
        customer = f"/admin/customers/{scene.customer_id}"

        # When the merchant sends a list with an invalid number, nothing changes, and the field says why
        refused = scene.admin.patch(customer, {"tax_ids": [GERMAN_VAT, {"type": "au_abn", "value": "83914571674"}]})
        assert refused.status == 400
        assert refused.json["error"]["details"]["fields"] == {
            "tax_ids.1.value": "This is not a valid Australian Business Number: the check digits do not match."}
        assert scene.admin.get(customer).json["tax_ids"] == [mine]

        # When the list is valid, it replaces the customer's, keeping the id of the number it had
        answer = scene.admin.patch(customer, {"tax_ids": [GERMAN_VAT, {"type": "au_abn", "value": "83 914 571 673"}]})
        assert answer.status == 200, answer.json
        assert answer.json["tax_ids"][0] == mine and answer.json["tax_ids"][1]["value"] == "83914571673"
        assert scene.zoe.portal.get("/portal/tax-ids").json["items"] == answer.json["tax_ids"]
