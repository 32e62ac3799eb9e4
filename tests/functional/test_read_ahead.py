"""A GET route's items are read with its session check, in the same call (tables/read_ahead.py): the
customer's item its path names, and what it declares (a kept PDF, the account summary). Read under
the session's own customer, so another customer's id is missing as before; kept for that request
alone, so a change made between two requests is always seen."""
from __future__ import annotations

from chalicelib.tables.base import shared_client
from tests.support.api import Api, client
from tests.support.call_shapes import calls_made
from tests.support.documents import PDF_HEADERS, a_credit_note, a_payment, a_scene, an_invoice, signed_in
from tests.support.payments import pay
from tests.support.portal import new_customer


def test_an_invoice_and_its_payments_are_read_with_the_session_check_in_one_call(aws):
    with client() as c:
        # Given an invoice of Zoë's
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)

        # When she opens it
        with calls_made() as calls:
            answer = scene.zoe.portal.get(f"/portal/invoices/{invoice['invoice_id']}")

        # Then the session check's call read it, with the payments it keeps
        assert answer.status == 200 and answer.json["invoice_id"] == invoice["invoice_id"]
        assert [operation for operation, _ in calls] == ["BatchGetItem"]
        assert {"sessions", "customers", "invoices"} <= set(calls[0][1])


def test_an_invoice_paid_with_a_credit_and_two_payments_names_them_from_the_session_check_s_call(aws):
    with client() as c:
        # Given an invoice of Zoë's of 100.00: 30.00 paid by bank transfer, then the rest by card with
        # 10.00 of a credit note
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        by_bank = a_payment(scene.admin, scene.customer_id, invoice["invoice_id"], 3000)
        note = a_credit_note(scene.admin, scene.customer_id, 1000)
        by_card = pay(scene.zoe.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                                         "use_credits": True}).json

        # When she opens it
        with calls_made() as calls:
            answer = scene.zoe.portal.get(f"/portal/invoices/{invoice['invoice_id']}")

        # Then the credit note's number and the payment are the invoice's own: no other call
        assert [(c["number"], c["amount_minor"]) for c in answer.json["credits_applied"]] == [(note["number"], 1000)]
        assert [(p["payment_id"], p["amount_minor"]) for p in answer.json["payments"]] == [
            (by_card["payment_id"], 6000), (by_bank["payment_id"], 3000)]
        assert [operation for operation, _ in calls] == ["BatchGetItem"]


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


# -- a change's first read: paying (POST /portal/payments) ---------------------------------------

def test_another_customers_invoice_read_ahead_for_a_payment_is_missing_and_nothing_is_written(aws):
    from tests.support.payments import a_payer, an_invoice as payable, pay
    with client() as c:
        # Given Zoë's open invoice and Ann, another customer of the same merchant, signed in
        api = Api(c)
        zoe = a_payer(api)
        ann = a_payer(api, merchant=zoe.merchant, email="ann@initech.example", display_name="Initech")
        invoice = payable(zoe, 1000)

        # When Ann pays it
        with calls_made() as calls:
            answer = pay(ann.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"})

        # Then it was read in her session check's call, under her own key, found missing: 404, nothing written
        assert answer.status == 404
        assert [operation for operation, _ in calls] == ["BatchGetItem"]
        assert zoe.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "open"


def test_a_retried_payment_is_answered_the_same_from_the_session_checks_call(aws):
    from tests.support.payments import a_payer, an_invoice as payable, pay
    with client() as c:
        # Given Zoë paid an invoice with a key
        zoe = a_payer(Api(c))
        body = {"invoice_ids": [payable(zoe, 1000)["invoice_id"]], "payment_method": "pm_card_visa"}
        first = pay(zoe.portal, body, key="once")

        # When she sends it again with the same key
        with calls_made() as calls:
            again = pay(zoe.portal, body, key="once")

        # Then the kept answer is read with her session, and replayed as it was
        assert again.status == 201 and again.json == first.json
        assert [operation for operation, _ in calls] == ["BatchGetItem"]


def test_a_payment_body_that_does_not_parse_reads_nothing_ahead_and_answers_its_field_errors(aws):
    from tests.support.payments import a_payer, pay
    with client() as c:
        zoe = a_payer(Api(c))

        # When Zoë sends a payment whose invoice id no invoice could have
        with calls_made() as calls:
            answer = pay(zoe.portal, {"invoice_ids": ["inv/../x"], "payment_method": "pm_card_visa"})

        # Then the session check read only the session and its parties, and the field is named
        assert answer.status == 400 and "invoice_ids.0" in answer.json["error"]["details"]["fields"]
        assert [set(tables) for _, tables in calls] == [{"sessions", "organizations", "customers"}]


def test_without_a_session_a_payment_is_refused_before_its_body_is_judged(aws):
    from tests.support.portal import assert_refused
    with client() as c:
        # A body that would not parse, and one that would, both without a live session: 401, not 400
        for body in ({"invoice_ids": "nope"}, {"invoice_ids": ["inv_1"], "payment_method": "pm_card_visa"}):
            assert_refused(Api(c).as_("not-a-session").post("/portal/payments", body,
                                                             headers={"Idempotency-Key": "k"}))


def keys_batch_read_by(send) -> tuple[object, int]:
    """What `send()` answered, and how many keys its BatchGetItems asked DynamoDB for."""
    keys = []

    def count(params, **_):
        keys.extend(key for table in params["RequestItems"].values() for key in table["Keys"])
    events = shared_client().meta.events
    events.register("before-parameter-build.dynamodb.BatchGetItem", count)
    try:
        return send(), len(keys)
    finally:
        events.unregister("before-parameter-build.dynamodb.BatchGetItem", count)


def test_a_forged_token_naming_a_real_customer_makes_a_payment_read_few_items_before_its_401(aws):
    from tests.support.payments import a_payer
    with client() as c:
        # Given Zoë, a real customer, and a token naming her with a made-up secret
        zoe = a_payer(Api(c))
        forged = Api(c).as_(f"{zoe.org_id}.{zoe.customer_id}.{'x' * 43}")

        def paying(ids):
            return lambda: forged.post("/portal/payments", {"invoice_ids": ids, "payment_method": "pm_card_visa"},
                                       headers={"Idempotency-Key": f"k{len(ids)}"})

        # When it pays one invoice, and then twenty-five
        one, keys_for_one = keys_batch_read_by(paying(["inv_1"]))
        many, keys_for_many = keys_batch_read_by(paying([f"inv_{n}" for n in range(25)]))

        # Then both are refused; one invoice is read ahead with its claim, twenty-five are not read at all
        assert (one.status, many.status) == (401, 401)
        assert keys_for_many == keys_for_one - 2


def test_a_changes_session_check_keeps_only_what_the_change_reads_first(aws):
    from chalicelib.bootstrap import adapters
    from chalicelib.handlers.http import ReadAhead
    from chalicelib.tables import read_ahead
    from chalicelib.tables.customers import CustomerItem
    from chalicelib.tables.invoices import InvoiceItem
    from chalicelib.tables.sessions import SessionItem
    from tests.support.payments import a_payer
    with client() as c:
        # Given Zoë signed in
        zoe = a_payer(Api(c))
        org_id, customer_id = zoe.org_id, zoe.customer_id
        invoice_key = (f"{org_id}#{customer_id}", "inv_1")
        session = next(iter(SessionItem.scan()))     # the one session of this test's world

        # When a change's session check reads ahead one invoice with her session
        with read_ahead.request():
            adapters().uow.sessions.with_parties(session.token_hash, org_id, customer_id, ahead=ReadAhead(
                {}, first_read=lambda org, customer: [(InvoiceItem, invoice_key, True)]))

            # Then the invoice (missing) answers the change's first read, and the customer read with the
            # session answers nothing: the change reads it itself
            assert read_ahead.take(InvoiceItem.Meta.table_name, invoice_key, consistent=True) is None
            assert read_ahead.take(CustomerItem.Meta.table_name, (org_id, customer_id),
                                   consistent=False) is read_ahead.NOT_HELD


def test_a_payment_and_its_kept_receipt_are_answered_from_the_session_checks_call_alone(aws):
    with client() as c:
        # Given Zoë's invoice paid, and its receipt downloaded once (kept)
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 10_000, 1))
        payment = a_payment(scene.admin, scene.customer_id, invoice["invoice_id"], 10_000)
        receipt = f"/portal/payments/{payment['payment_id']}/receipt"
        first = scene.zoe.portal.get(receipt, headers=PDF_HEADERS)

        # When she opens the payment, and downloads its receipt again
        with calls_made() as opened:
            shown = scene.zoe.portal.get(f"/portal/payments/{payment['payment_id']}")
        with calls_made() as downloaded:
            again = scene.zoe.portal.get(receipt, headers=PDF_HEADERS)

        # Then each is one call: the invoice's number comes with the payment, not from a read of it
        assert shown.json["allocations"] == [{"invoice_id": invoice["invoice_id"], "amount_minor": 10_000,
                                              "number": invoice["number"]}]
        assert [operation for operation, _ in opened] == ["BatchGetItem"]
        assert again.status == 200 and again.body == first.body
        assert [operation for operation, _ in downloaded] == ["BatchGetItem"]


def test_a_payment_recorded_before_its_invoices_facts_were_kept_with_it_reads_them(aws):
    from chalicelib.tables.base import owner_key
    from chalicelib.tables.payments import PaymentItem
    with client() as c:
        # Given Zoë's payment as recorded before: its allocation names the invoice and the amount alone
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 10_000, 1))
        payment = a_payment(scene.admin, scene.customer_id, invoice["invoice_id"], 10_000)
        item = PaymentItem.get(owner_key(scene.acme.org.org_id, scene.customer_id), payment["payment_id"])
        item.allocations = [{"invoice_id": invoice["invoice_id"], "amount_minor": 10_000}]
        item.save()

        # When she opens it
        shown = scene.zoe.portal.get(f"/portal/payments/{payment['payment_id']}")

        # Then the invoice's number is read and shown as before
        assert shown.json["allocations"][0]["number"] == invoice["number"]
