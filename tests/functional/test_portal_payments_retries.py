"""Double clicks and retries never charge twice: the Idempotency-Key replays the first answer,
and a payment whose answer was lost is finished by the next attempt with the same gateway key.
The key costs no call of its own: a payment is two reads and two transactions, a replay two reads,
a refused request no write."""
from chalicelib.tables.metrics import counting_calls
from tests.support.api import Api, client
from tests.support.call_shapes import calls_made
from tests.support.payments import a_payer, an_invoice, counting_gateway, pay
from tests.support.portal import Clock


def test_a_double_click_with_the_same_key_answers_the_same_payment_and_charges_once(aws, monkeypatch):
    Clock()
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        body = {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"}

        first = pay(payer.portal, body, key="checkout-1")
        second = pay(payer.portal, body, key="checkout-1")

        assert first.status == second.status == 201
        assert second.json == first.json
        assert gateway.charges == 1
        assert len(payer.portal.get("/portal/payments").json["items"]) == 1


def test_the_same_key_spelled_differently_is_still_the_same_request(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)

        first = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"},
                    key="k")
        second = pay(payer.portal, {"payment_method": "pm_card_visa", "save_for_future": False,
                                    "invoice_ids": [invoice["invoice_id"]]}, key="k")

        assert second.status == 201 and second.json["payment_id"] == first.json["payment_id"]


def test_the_same_key_with_another_request_is_refused(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        one, other = an_invoice(payer, 10000), an_invoice(payer, 500)
        pay(payer.portal, {"invoice_ids": [one["invoice_id"]], "payment_method": "pm_card_visa"}, key="k")

        reused = pay(payer.portal, {"invoice_ids": [other["invoice_id"]], "payment_method": "pm_card_visa"}, key="k")

        assert reused.status == 422 and reused.json["error"]["code"] == "idempotency_key_reused"
        assert payer.portal.get(f"/portal/invoices/{other['invoice_id']}").json["status"] == "open"


def test_a_retry_of_a_declined_payment_replays_the_decline_and_a_new_key_tries_again(aws, monkeypatch):
    Clock()
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        declined = {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_chargeDeclined"}

        first = pay(payer.portal, declined, key="a")
        replay = pay(payer.portal, declined, key="a")
        fresh = pay(payer.portal, declined, key="b")

        assert replay.json == first.json
        assert fresh.json["payment_id"] != first.json["payment_id"]
        assert len(gateway.calls) == 2


def test_a_refused_request_keeps_its_key_free_for_the_corrected_retry(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        body = {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"}
        payer.admin.post("/admin/payments", {"customer_id": payer.customer_id, "invoice_id": invoice["invoice_id"],
                                             "amount_minor": 10000})

        assert pay(payer.portal, body, key="k").status == 422
        other = an_invoice(payer, 500)
        retry = pay(payer.portal, {**body, "invoice_ids": [other["invoice_id"]]}, key="k")

        assert retry.status == 201 and retry.json["status"] == "succeeded"


def test_a_payment_whose_answer_was_lost_is_finished_by_the_retry_without_charging_again(aws, monkeypatch):
    clock = Clock()
    # Given a gateway that charges but whose answer never arrives (the runner died, or timed out)
    gateway = counting_gateway(monkeypatch, lose_answers=1)
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        body = {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"}
        lost = pay(payer.portal, body, key="k")
        assert lost.status == 409 and lost.json["error"]["code"] == "payment_pending"
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "open"

        # When the customer retries at once, then after a minute
        too_soon = pay(payer.portal, body, key="k")
        clock.advance(seconds=61)
        retried = pay(payer.portal, body, key="k")

        # Then the retry finishes the same payment: charged once, invoice paid once
        assert too_soon.status == 409
        assert retried.status == 201 and retried.json["status"] == "succeeded"
        assert retried.json["payment_id"] == lost.json["error"]["details"]["payment_id"]
        assert gateway.charges == 1 and len(gateway.calls) == 2
        after = payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json
        assert after["status"] == "paid" and after["amount_paid_minor"] == 10000


def test_a_new_payment_of_an_invoice_held_by_a_lost_payment_finishes_that_one_first(aws, monkeypatch):
    clock = Clock()
    gateway = counting_gateway(monkeypatch, lose_answers=1)
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        body = {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"}
        pay(payer.portal, body, key="first")

        meanwhile = pay(payer.portal, body, key="second")
        clock.advance(seconds=61)
        later = pay(payer.portal, body, key="third")

        assert meanwhile.status == 409 and meanwhile.json["error"]["code"] == "payment_in_progress"
        assert later.status == 422 and later.json["error"]["code"] == "invoice_not_outstanding"
        assert gateway.charges == 1
        statuses = [p["status"] for p in payer.portal.get("/portal/payments").json["items"]]
        assert statuses == ["succeeded"]


def test_a_payment_takes_one_read_and_two_transactions_and_its_replay_one_read(aws):
    Clock()
    with client() as c:
        # Given a customer who paid before (the gateway knows them: a first payment also records that),
        # with an open invoice
        payer, body = a_payer_who_paid_before(Api(c))

        # When the customer pays it, then sends the same request again, then the same key with another body
        with counting_calls() as paying:
            first = pay(payer.portal, body, key="k")
        with counting_calls() as replaying:
            again = pay(payer.portal, body, key="k")
        with counting_calls() as refusing:
            reused = pay(payer.portal, {**body, "payment_method": "pm_card_mastercard"}, key="k")

        # Then paying read the session with everything the payment reads, and wrote the claim and the outcome
        assert first.status == 201 and again.json == first.json
        assert dict(paying.operations) == {"BatchGetItem": 1, "TransactWriteItems": 2}
        # And the replay and the refusal read in that one call and wrote nothing
        assert dict(replaying.operations) == {"BatchGetItem": 1}
        assert reused.status == 422 and dict(refusing.operations) == {"BatchGetItem": 1}


def test_a_payment_is_read_with_its_session_check(aws):
    Clock()
    with client() as c:
        # Given a customer who paid before, with an open invoice
        payer, body = a_payer_who_paid_before(Api(c))

        # When the customer pays it
        with calls_made() as calls:
            paid = pay(payer.portal, body, key="k")

        # Then the session check's one read read the organization, the customer and what the payment reads
        reads = [set(tables) for operation, tables in calls if operation == "BatchGetItem"]
        assert paid.status == 201 and len(reads) == 1
        assert {"sessions", "organizations", "customers", "idempotency", "invoices", "rate_counters",
                "sequences"} <= reads[0]


def test_paying_all_outstanding_reads_the_invoices_it_finds_in_a_second_read(aws):
    Clock()
    with client() as c:
        # Given a customer with an open invoice
        payer, body = a_payer_who_paid_before(Api(c))

        # When they pay all they owe (the invoices are not known before they are looked up)
        with calls_made() as calls:
            paid = pay(payer.portal, {"all_outstanding": True, "payment_method": "pm_card_visa"}, key="all")

        # Then the session check read the rest ahead, and a second read the invoices found and their claims
        reads = [set(tables) for operation, tables in calls if operation == "BatchGetItem"]
        assert paid.status == 201 and paid.json["amount_minor"] == 10000
        assert [operation for operation, _ in calls].count("Query") == 1
        assert "sequences" in reads[0] and reads[1] == {"invoices", "idempotency"}


def a_payer_who_paid_before(api: Api):
    """A customer who paid an invoice before, and the body paying their open one."""
    payer = a_payer(api)
    earlier = {"invoice_ids": [an_invoice(payer, 5000)["invoice_id"]], "payment_method": "pm_card_visa"}
    assert pay(payer.portal, earlier, key="earlier").status == 201
    return payer, {"invoice_ids": [an_invoice(payer, 10000)["invoice_id"]], "payment_method": "pm_card_visa"}
