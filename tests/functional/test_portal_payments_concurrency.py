"""Ten payments of one invoice at once, with one key or ten: the invoice is charged exactly once.

The threads call the service behind POST /portal/payments (chalice.test.Client keeps one
`current_request` for the whole app, so it cannot serve threads). DynamoDB applies each request
atomically; moto in-process does not when threads share it, so DynamoDB requests are serialised
here, as the service serialises them: the races under test are between requests, which is
where they are in production."""
from chalicelib.bootstrap import adapters, services
from chalicelib.domain.errors import DomainError
from chalicelib.handlers.portal.payments import payment_answer
from chalicelib.services.payments import collection
from chalicelib.services.payments.commands import PayInvoices
from tests.support.api import NOW, Api, client
from tests.support.concurrency import at_once, dynamodb_requests_one_at_a_time
from tests.support.payments import a_payer, a_saved_card, an_invoice, counting_gateway
from tests.support.portal import Clock

THREADS = 10


def codes(answers) -> set:
    return {a.code if isinstance(a, DomainError) else a["status"] for a in answers}


def assert_paid_once(payer, invoice, gateway):
    assert gateway.charges == 1
    paid = payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json
    assert paid["status"] == "paid" and paid["amount_paid_minor"] == invoice["total_minor"]
    made = payer.portal.get("/portal/payments").json["items"]
    assert [p["status"] for p in made if p["status"] == "succeeded"] == ["succeeded"]
    home = payer.portal.get("/portal/dashboard").json
    assert home["outstanding"]["count"] == 0 and home["outstanding"]["total_minor"] == 0


def test_ten_payments_of_one_invoice_with_different_keys_charge_it_once(aws, monkeypatch):
    Clock()
    dynamodb_requests_one_at_a_time(monkeypatch)
    gateway = counting_gateway(monkeypatch, pause=0.02)
    with client() as c:
        # Given an open invoice
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        request = PayInvoices("pm_card_visa", (invoice["invoice_id"],))

        # When ten browsers pay it at the same moment, each with its own key
        answers = at_once(lambda n: services().payments.pay(payer.org_id, payer.customer_id, request,
                                                            idempotency_key=f"tab-{n}", now=NOW, wire=payment_answer))

        # Then one payment succeeded; the others were told it is in progress or already paid
        assert [a for a in answers if isinstance(a, dict)] and codes(answers) <= {
            "succeeded", "payment_in_progress", "invoice_not_outstanding", "concurrent_update"}
        assert sum(isinstance(a, dict) for a in answers) == 1
        assert_paid_once(payer, invoice, gateway)


def test_ten_payments_of_one_invoice_with_the_same_key_charge_it_once_and_agree(aws, monkeypatch):
    Clock()
    dynamodb_requests_one_at_a_time(monkeypatch)
    gateway = counting_gateway(monkeypatch, pause=0.02)
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        request = PayInvoices("pm_card_visa", (invoice["invoice_id"],))

        answers = at_once(lambda n: services().payments.pay(payer.org_id, payer.customer_id, request,
                                                            idempotency_key="double-click", now=NOW,
                                                            wire=payment_answer))
        retry = services().payments.pay(payer.org_id, payer.customer_id, request, idempotency_key="double-click",
                                        now=NOW, wire=payment_answer)

        # (a request that finds the key's payment still with the gateway is told it is pending: the
        # browser keeps the key for that answer, and the retry answers the payment)
        assert codes(answers) <= {"succeeded", "payment_pending"}
        assert {a["payment_id"] for a in answers if isinstance(a, dict)} == {retry["payment_id"]}
        assert_paid_once(payer, invoice, gateway)


def test_ten_off_session_collections_with_one_key_charge_once_and_answer_the_same_payment(aws, monkeypatch):
    Clock()
    dynamodb_requests_one_at_a_time(monkeypatch)
    gateway = counting_gateway(monkeypatch, pause=0.02)
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        card = a_saved_card(payer)

        answers = at_once(lambda n: collection.collect_off_session(
            adapters(), payer.org_id, payer.customer_id, invoice["invoice_id"],
            payment_method_id=card["payment_method_id"],
            idempotency_key="renewal:sub_1:2026-11-25", now=NOW))

        assert {a.payment_id for a in answers if not isinstance(a, DomainError)} and \
            len({a.payment_id for a in answers if not isinstance(a, DomainError)}) == 1
        assert codes([a for a in answers if isinstance(a, DomainError)]) <= {"payment_in_progress",
                                                                            "concurrent_update"}
        assert_paid_once(payer, invoice, gateway)


def test_ten_payments_of_ten_invoices_at_once_take_ten_numbers_without_a_gap(aws, monkeypatch):
    Clock()
    dynamodb_requests_one_at_a_time(monkeypatch)
    gateway = counting_gateway(monkeypatch, pause=0.02)
    with client() as c:
        # Given ten open invoices of one customer
        payer = a_payer(Api(c))
        a_saved_card(payer)   # the gateway knows the customer before the race
        invoices = [an_invoice(payer, 1_000 + n) for n in range(THREADS)]

        # When ten browsers pay one each at the same moment, each payment read the same last number
        answers = at_once(lambda n: services().payments.pay(
            payer.org_id, payer.customer_id, PayInvoices("pm_card_visa", (invoices[n]["invoice_id"],)),
            idempotency_key=f"tab-{n}", now=NOW, wire=payment_answer))

        # Then each went through once with a number of its own, PAY-000001 to PAY-000010
        assert [a["status"] if isinstance(a, dict) else a.code for a in answers] == ["succeeded"] * THREADS
        assert sorted(a["number"] for a in answers) == [f"PAY-{n:06d}" for n in range(1, THREADS + 1)]
        assert gateway.charges == THREADS
