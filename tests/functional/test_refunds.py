"""Refunds are documents: a refund reported by Stripe (charge.refunded, a cumulative total, in any
order, any number of times) or asked by the merchant (POST /admin/payments/{id}/refunds, once per
Idempotency-Key) is recorded against the payment and documented by a credit note refunded at once,
so that statement closing == open invoices - available credits == dashboard after every step."""
from chalicelib.bootstrap import adapters
from tests.support.api import Api, client
from tests.support.documents import a_payment
from tests.support.payments import (Books, a_card_payment, a_credit_note, a_merchant_refund, a_payer, a_refund_event,
                                    agree, an_invoice, counting_gateway, deliver, pay, the_books,
                                    with_webhook_secret)
from tests.support.portal import Clock

SETTLED = Books(0, 0, 0)


def a_paid_invoice(api: Api, amount_minor: int = 10_000):
    """A customer whose invoice was paid by card in the portal."""
    payer = a_payer(api)
    invoice = an_invoice(payer, amount_minor)
    return payer, invoice, a_card_payment(payer, invoice)


def refund_notes(payer) -> list:
    notes = adapters().uow.credit_notes.page(payer.org_id, payer.customer_id, limit=100, cursor=None).items
    return sorted((n for n in notes if n.payment_id), key=lambda n: n.number)


def statement_rows(payer) -> list[tuple]:
    [usd] = payer.portal.get("/portal/statements?from=2026-01-01&to=2026-11-25").json["statements"]
    return [(row["kind"], row["amount"]["amount_minor"], row["balance"]["amount_minor"]) for row in usd["rows"]]


# --- Stripe's charge.refunded -------------------------------------------------------------------

def test_a_full_refund_by_stripe_is_a_refunded_credit_note_and_the_books_still_agree(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given an invoice of 100.00 paid by card, and the books agreeing that nothing is owed
        api = Api(c)
        payer, invoice, payment = a_paid_invoice(api)
        assert the_books(payer) == SETTLED

        # When Stripe reports the whole charge refunded, a minute later
        clock.advance(minutes=1)
        assert deliver(api, a_refund_event(payment, 10_000)).status == 200

        # Then a credit note documents the refund: closed, refunded in full, linked to the payment and invoice
        [note] = refund_notes(payer)
        assert (note.status.value, note.total_minor, note.balance_minor, note.refunded_minor) == (
            "closed", 10_000, 0, 10_000)
        assert (note.payment_id, note.invoice_id) == (payment["payment_id"], invoice["invoice_id"])
        assert note.lines[0].description.startswith(f"Refund of payment {payment['number']} (")
        # And the payment records it, the invoice stays paid
        seen = payer.portal.get(f"/portal/payments/{payment['payment_id']}").json
        assert seen["refunded_minor"] == 10_000
        assert [(r["number"], r["amount_minor"]) for r in seen["refunds"]] == [(note.number, 10_000)]
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "paid"
        # And the statement shows the credit and its refund, netting to nothing: the books agree
        assert statement_rows(payer) == [("invoice", 10_000, 10_000), ("payment", -10_000, 0),
                                         ("credit_note", -10_000, -10_000), ("refund", 10_000, 0)]
        assert the_books(payer) == SETTLED


def test_a_partial_refund_by_stripe_documents_only_the_part_refunded(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given an invoice of 100.00 paid by card, and 30.00 of credit from another credit note
        api = Api(c)
        payer, invoice, payment = a_paid_invoice(api)
        a_credit_note(payer, 3_000)

        # When Stripe reports 25.00 of the charge refunded
        assert deliver(api, a_refund_event(payment, 2_500)).status == 200

        # Then 25.00 is documented and refunded, the other credit is still available, and the books agree
        [note] = refund_notes(payer)
        assert (note.total_minor, note.refunded_minor, note.balance_minor) == (2_500, 2_500, 0)
        assert payer.portal.get("/portal/dashboard").json["available_credits"]["amount_minor"] == 3_000
        assert the_books(payer) == Books(-3_000, -3_000, -3_000)


def test_the_same_refund_event_delivered_twice_is_documented_once(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a paid invoice
        api = Api(c)
        payer, _invoice, payment = a_paid_invoice(api)
        event = a_refund_event(payment, 4_000, event_id="evt_refund")

        # When Stripe delivers the same charge.refunded twice
        first, again = deliver(api, event), deliver(api, event)

        # Then it took effect once
        assert first.json == {"received": True, "handled": True}
        assert again.json == {"received": True, "duplicate": True}
        assert [n.total_minor for n in refund_notes(payer)] == [4_000]
        assert agree(the_books(payer)) and the_books(payer) == SETTLED


def test_cumulative_refund_events_out_of_order_count_the_highest_total_once(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a paid invoice, refunded 10.00 then 30.00 more at Stripe
        api = Api(c)
        payer, _invoice, payment = a_paid_invoice(api)

        # When the second report (40.00 in all) arrives before the first (10.00 in all)
        deliver(api, a_refund_event(payment, 4_000))
        after_the_second = the_books(payer)
        deliver(api, a_refund_event(payment, 1_000))

        # Then 40.00 is documented once, the late report adds nothing, and the books agree at each step
        assert [n.total_minor for n in refund_notes(payer)] == [4_000]
        assert adapters().uow.payments.get(payer.org_id, payer.customer_id,
                                           payment["payment_id"]).refunded_minor == 4_000
        assert after_the_second == the_books(payer) == SETTLED


def test_cumulative_refund_events_in_order_document_each_increase(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        payer, _invoice, payment = a_paid_invoice(api)

        for total in (1_000, 4_000, 12_000):   # the last is more than was paid: capped at 100.00
            deliver(api, a_refund_event(payment, total))
            assert the_books(payer) == SETTLED

        assert [n.total_minor for n in refund_notes(payer)] == [1_000, 3_000, 6_000]
        assert adapters().uow.payments.get(payer.org_id, payer.customer_id,
                                           payment["payment_id"]).refunded_minor == 10_000


# --- the merchant's refund ----------------------------------------------------------------------

def test_a_merchant_refund_gives_money_back_once_however_often_it_is_retried(aws, monkeypatch):
    Clock()
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given an invoice of 100.00 paid by card
        api = Api(c)
        payer, invoice, payment = a_paid_invoice(api)

        # When the merchant refunds 30.00, and the request is sent again with the same key
        first = a_merchant_refund(payer, payment, 3_000, key="refund-1", reason="Late delivery")
        retry = a_merchant_refund(payer, payment, 3_000, key="refund-1", reason="Late delivery")

        # Then the gateway refunded 30.00 once, and both answers are the same
        assert first.status == retry.status == 201, first.json
        assert first.json == retry.json
        assert gateway.refunded_minor == 3_000 and len(gateway.refund_calls) == 1
        answer = first.json
        assert (answer["amount_minor"], answer["payment"]["refunded_minor"]) == (3_000, 3_000)
        note = answer["credit_note"]
        assert (note["status"], note["total_minor"], note["balance_minor"], note["refunded_minor"]) == (
            "closed", 3_000, 0, 3_000)
        assert (note["payment_id"], note["invoice_id"]) == (payment["payment_id"], invoice["invoice_id"])
        assert note["reason"] == f"Refund of payment {payment['number']}: Late delivery"
        assert [n.number for n in refund_notes(payer)] == [note["number"]]
        # And the books agree
        assert the_books(payer) == SETTLED


def test_a_merchant_refund_of_the_rest_then_more_is_refused(aws, monkeypatch):
    Clock()
    counting_gateway(monkeypatch)
    with client() as c:
        api = Api(c)
        payer, _invoice, payment = a_paid_invoice(api)
        assert a_merchant_refund(payer, payment, 3_000).status == 201

        # When the merchant asks for more than is left, then for the rest (no amount), then for anything
        too_much = a_merchant_refund(payer, payment, 7_001)
        rest = a_merchant_refund(payer, payment)
        nothing_left = a_merchant_refund(payer, payment, 1)

        assert too_much.status == 422 and too_much.json["error"]["code"] == "refund_exceeds_payment"
        assert too_much.json["error"]["details"]["refundable_minor"] == 7_000
        assert rest.status == 201 and rest.json["amount_minor"] == 7_000
        assert nothing_left.status == 422 and nothing_left.json["error"]["code"] == "payment_fully_refunded"
        assert [n.total_minor for n in refund_notes(payer)] == [3_000, 7_000]
        assert the_books(payer) == SETTLED


def test_a_refund_of_a_payment_that_did_not_succeed_or_is_someone_elses_is_refused_writing_nothing(aws, monkeypatch):
    from chalicelib.tables.metrics import WRITES, counting_calls
    Clock()
    counting_gateway(monkeypatch)
    with client() as c:
        api = Api(c)
        payer = a_payer(api)
        waiting = pay(payer.portal, {"invoice_ids": [an_invoice(payer)["invoice_id"]],
                                     "payment_method": "pm_card_authenticationRequired"}).json
        other = a_payer(api, org_name="Initech", email="bob@initech.example")
        other_payment = a_card_payment(other, an_invoice(other))

        with counting_calls() as calls:
            not_succeeded = a_merchant_refund(payer, waiting, 1_000)
            not_ours = payer.admin.post(f"/admin/payments/{other_payment['payment_id']}/refunds",
                                        {"customer_id": other.customer_id}, headers={"Idempotency-Key": "k-1"})
            no_key = payer.admin.post(f"/admin/payments/{waiting['payment_id']}/refunds",
                                      {"customer_id": payer.customer_id})

        assert not_succeeded.status == 409 and not_succeeded.json["error"]["code"] == "payment_not_refundable"
        assert not_succeeded.json["error"]["details"]["status"] == "requires_action"
        assert not_ours.status == 404
        assert no_key.status == 400 and "Idempotency-Key" in no_key.json["error"]["details"]["fields"]
        assert {op: n for op, n in calls.operations.items() if op in WRITES} == {}


def test_a_key_sent_again_with_another_amount_is_refused(aws, monkeypatch):
    Clock()
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        api = Api(c)
        payer, _invoice, payment = a_paid_invoice(api)
        assert a_merchant_refund(payer, payment, 1_000, key="k").status == 201

        reused = a_merchant_refund(payer, payment, 2_000, key="k")

        assert reused.status == 422 and reused.json["error"]["code"] == "idempotency_key_reused"
        assert gateway.refunded_minor == 1_000


def test_a_refund_whose_answer_was_lost_holds_the_payment_until_its_retry_refunds_nothing_twice(aws, monkeypatch):
    clock = Clock()
    gateway = counting_gateway(monkeypatch, lose_refund_answers=1)
    with client() as c:
        # Given a merchant refund of 30.00 that went through at the gateway, whose answer never came back
        api = Api(c)
        payer, _invoice, payment = a_paid_invoice(api)
        lost = a_merchant_refund(payer, payment, 3_000, key="refund-1")

        # When another refund of the payment is asked meanwhile, and the same request is sent again at once
        other = a_merchant_refund(payer, payment, 1_000, key="refund-2")
        too_soon = a_merchant_refund(payer, payment, 3_000, key="refund-1")
        # And when it is sent again two minutes later
        clock.advance(minutes=2)
        retried = a_merchant_refund(payer, payment, 3_000, key="refund-1")

        # Then the first is pending, the others wait, and the retry records the one refund the gateway made
        assert (lost.status, lost.json["error"]["code"]) == (409, "refund_pending")
        assert (other.status, other.json["error"]["code"]) == (409, "refund_in_progress")
        assert (too_soon.status, too_soon.json["error"]["code"]) == (409, "request_in_progress")
        assert retried.status == 201, retried.json
        assert gateway.refunded_minor == 3_000 and len(set(gateway.refund_calls)) == 1
        assert [n.total_minor for n in refund_notes(payer)] == [3_000]
        assert the_books(payer) == SETTLED
        # And the payment is free for the next refund
        assert a_merchant_refund(payer, payment, 1_000, key="refund-2").status == 201


def test_stripe_reporting_a_merchant_refund_afterwards_adds_nothing(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    counting_gateway(monkeypatch)
    with client() as c:
        # Given a merchant refund of 30.00 through the portal's back office
        api = Api(c)
        payer, _invoice, payment = a_paid_invoice(api)
        assert a_merchant_refund(payer, payment, 3_000).status == 201

        # When Stripe reports it too (30.00 refunded in all), then a refund made in its dashboard (50.00 in all)
        deliver(api, a_refund_event(payment, 3_000))
        deliver(api, a_refund_event(payment, 5_000))

        # Then the merchant's refund is documented once, and the dashboard's one by its own note
        assert [n.total_minor for n in refund_notes(payer)] == [3_000, 2_000]
        assert the_books(payer) == SETTLED


def test_a_payment_received_offline_is_refunded_by_the_merchant_and_documented(aws, monkeypatch):
    Clock()
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given 40.00 of an invoice of 100.00 received by bank transfer
        api = Api(c)
        payer = a_payer(api)
        invoice = an_invoice(payer, 10_000)
        received = a_payment(payer.admin, payer.customer_id, invoice["invoice_id"], 4_000)

        # When the merchant refunds it (they pay it back themselves)
        answer = a_merchant_refund(payer, received)

        # Then no gateway is asked, the refund is documented, the invoice still owes 60.00, and the books agree
        assert answer.status == 201, answer.json
        assert (answer.json["amount_minor"], answer.json["gateway_refund_id"]) == (4_000, None)
        assert gateway.refund_calls == []
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["balance_minor"] == 6_000
        assert the_books(payer) == Books(6_000, 6_000, 6_000)


def test_the_customer_sees_the_refund_on_the_payment_its_receipt_and_statement(aws, monkeypatch):
    from tests.support.documents import PDF_HEADERS, pdf_text
    clock = Clock()
    counting_gateway(monkeypatch)
    with client() as c:
        api = Api(c)
        payer, _invoice, payment = a_paid_invoice(api)
        clock.advance(minutes=1)
        note = a_merchant_refund(payer, payment, 2_500).json["credit_note"]

        seen = payer.portal.get(f"/portal/payments/{payment['payment_id']}").json
        listed = payer.portal.get("/portal/payments").json["items"]
        receipt = payer.portal.get(f"/portal/payments/{payment['payment_id']}/receipt", headers=PDF_HEADERS)
        [usd] = payer.portal.get("/portal/statements?from=2026-11-01&to=2026-11-25").json["statements"]

        assert seen["refunded_minor"] == 2_500
        assert [(r["credit_note_id"], r["number"], r["amount_minor"]) for r in seen["refunds"]] == [
            (note["credit_note_id"], note["number"], 2_500)]
        assert listed[0]["refunds"] == seen["refunds"]
        text = pdf_text(receipt.body)
        assert "Refunded" in text and note["number"] in text and "$75.00" in text
        assert [(r["kind"], r["reference"]) for r in usd["rows"]][-2:] == [("credit_note", note["number"]),
                                                                          ("refund", note["number"])]
        assert usd["credited"]["amount_minor"] == usd["refunded"]["amount_minor"] == 2_500
