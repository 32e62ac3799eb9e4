"""A GET route's items are read with its session check, in the same call (tables/read_ahead.py): the
customer's item its path names, and what it declares (a kept PDF, the account summary). Read under
the session's own customer, so another customer's id is missing as before; kept for that request
alone, so a change made between two requests is always seen."""
from __future__ import annotations

from tests.support.api import Api, client
from tests.support.call_shapes import calls_made
from tests.support.documents import PDF_HEADERS, a_payment, a_scene, an_invoice, signed_in
from tests.support.portal import new_customer


def test_an_invoice_is_read_with_the_session_check_and_its_payments_are_the_only_other_call(aws):
    with client() as c:
        # Given an invoice of Zoë's
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)

        # When she opens it
        with calls_made() as calls:
            answer = scene.zoe.portal.get(f"/portal/invoices/{invoice['invoice_id']}")

        # Then the session check's call read it, and the payments that paid it were the one more
        assert answer.status == 200 and answer.json["invoice_id"] == invoice["invoice_id"]
        assert [operation for operation, _ in calls] == ["BatchGetItem", "Query"]
        assert {"sessions", "customers", "invoices"} <= set(calls[0][1])


def test_another_customers_invoice_read_ahead_is_missing_as_before(aws):
    with client() as c:
        # Given Zoë's invoice and another customer of the same merchant, signed in
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        other = new_customer(scene.admin, display_name="Initech", email="bill@initech.example")
        bill = signed_in(scene.api, scene.acme.org.org_id, other, "bill@initech.example")

        # When he asks for it, its PDF and an id no one has
        asked = [bill.portal.get(f"/portal/invoices/{invoice['invoice_id']}"),
                 bill.portal.get(f"/portal/invoices/{invoice['invoice_id']}/pdf", headers=PDF_HEADERS),
                 bill.portal.get("/portal/invoices/inv_nobody")]

        # Then each is not found, the same answer
        assert [a.status for a in asked] == [404, 404, 404]
        assert asked[0].json == asked[2].json


def test_a_change_between_two_requests_is_seen_by_the_second(aws):
    with client() as c:
        # Given Zoë has opened an open invoice
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 10_000, 1))
        path = f"/portal/invoices/{invoice['invoice_id']}"
        assert scene.zoe.portal.get(path).json["status"] == "open"

        # When the merchant records its payment
        a_payment(scene.admin, scene.customer_id, invoice["invoice_id"], 10_000)

        # Then the next request shows it paid
        assert scene.zoe.portal.get(path).json["status"] == "paid"


def test_a_kept_pdf_is_answered_from_the_session_checks_call_alone(aws):
    with client() as c:
        # Given an invoice Zoë has downloaded once (its PDF is kept)
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        path = f"/portal/invoices/{invoice['invoice_id']}/pdf"
        first = scene.zoe.portal.get(path, headers=PDF_HEADERS)

        # When she downloads it again
        with calls_made() as calls:
            second = scene.zoe.portal.get(path, headers=PDF_HEADERS)

        # Then one call read the session, the invoice and its kept copy, and the same PDF is answered
        assert second.status == 200 and second.body == first.body
        assert [operation for operation, _ in calls] == ["BatchGetItem"]
        assert {"sessions", "invoices", "rendered_documents"} <= set(calls[0][1])


def test_a_change_reads_nothing_ahead(aws):
    with client() as c:
        # Given an invoice of Zoë's
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)

        # When she forwards it (a POST naming it)
        with calls_made() as calls:
            answer = scene.zoe.portal.post(f"/portal/invoices/{invoice['invoice_id']}/forward",
                                           {"contact_ids": [scene.contact_id("hank@globex.example")]})

        # Then its session check read the session and its parties only: the change reads what it needs itself
        assert answer.status == 202
        assert calls[0][0] == "BatchGetItem" and "invoices" not in calls[0][1]


def test_nothing_read_ahead_outlives_its_request(aws):
    from chalicelib.tables import read_ahead
    from chalicelib.tables.organizations import OrganizationItem
    with client() as c:
        # Given an invoice Zoë has just opened (read ahead by her session check)
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        assert scene.zoe.portal.get(f"/portal/invoices/{invoice['invoice_id']}").status == 200

    # Then, the request over, nothing its session check read (the organization, which the route did not
    # read again) answers a later read in this thread: the next request's, a job's
    held = read_ahead.take(OrganizationItem.Meta.table_name, (scene.acme.org.org_id,), consistent=False)
    assert held is read_ahead.NOT_HELD
