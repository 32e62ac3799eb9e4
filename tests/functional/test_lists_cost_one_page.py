"""What a customer owes costs the same to list and to pay however much they have paid before: the
outstanding and overdue lists and pay-all read the sparse index of open invoices, never the
customer's whole history; an invoice shows the payments it keeps, never reading the customer's."""
from dataclasses import replace
from datetime import timedelta

from exercise.request_units import measuring_units
from chalicelib.bootstrap import adapters
from chalicelib.domain.documents import InvoiceStatus
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
from chalicelib.domain.ids import new_id
from chalicelib.tables.invoices import InvoiceItem
from chalicelib.tables.payments import PaymentItem, _item as payment_item
from chalicelib.tables.metrics import counting_calls
from tests.support.api import NOW, Api, client
from tests.support.payments import Payer, a_key, a_payer, a_saved_card, an_invoice, pay
from tests.support.portal import Clock


def test_listing_and_paying_what_is_owed_reads_the_same_with_10_or_1000_paid_invoices_behind(aws):
    clock = Clock(NOW.replace(hour=23, minute=55))
    with client() as c:
        # Given two customers each owing one invoice due today and one overdue, one with 10 paid
        # invoices behind them and the other with 1,000
        api = Api(c)
        few, many = a_payer(api), a_payer(api, org_name="Initech")
        for payer, history in ((few, 10), (many, 1000)):
            an_invoice(payer, 2500, due_days=0)
            paid_invoices(payer, history)
            an_invoice(payer, 1000, due_days=15)
            a_saved_card(payer)
        clock.advance(minutes=10)      # past midnight: the first invoice is overdue

        # When each lists what they owe and what is overdue, then pays it all
        cost = {payer.customer_id: [measured(payer.portal.get, "/portal/invoices?status=outstanding"),
                                    measured(payer.portal.get, "/portal/invoices?status=overdue"),
                                    measured(pay_all, payer)]
                for payer in (few, many)}

        # Then each list shows what is owed, and the DynamoDB calls and items read are the same
        few_cost, many_cost = cost[few.customer_id], cost[many.customer_id]
        assert [len(answer.json["items"]) for answer, _ in few_cost[:2]] == [2, 1]
        assert [len(answer.json["items"]) for answer, _ in many_cost[:2]] == [2, 1]
        assert few_cost[2][0].json["amount_minor"] == many_cost[2][0].json["amount_minor"] == 3500
        assert [reads for _, reads in few_cost] == [reads for _, reads in many_cost]


def test_an_invoice_shows_its_payments_reading_the_same_with_10_or_1000_payments_behind(aws):
    Clock()
    with client() as c:
        # Given two customers each with an invoice paid in two parts, one with 10 older payments
        # behind them and the other with 1,000
        api = Api(c)
        few, many = a_payer(api), a_payer(api, org_name="Initech")
        invoices = {}
        for payer, history in ((few, 10), (many, 1000)):
            older_payments(payer, history)
            invoice = an_invoice(payer, 10000)["invoice_id"]
            first = pay(payer.portal, {"invoice_ids": [invoice], "payment_method": "pm_card_visa", "amount_minor": 3000})
            rest = pay(payer.portal, {"invoice_ids": [invoice], "payment_method": "pm_card_visa"})
            invoices[payer.customer_id] = invoice, [(rest.json["payment_id"], 7000), (first.json["payment_id"], 3000)]

        # When each opens their invoice
        cost = {payer.customer_id: measured(payer.portal.get, f"/portal/invoices/{invoices[payer.customer_id][0]}")
                for payer in (few, many)}

        # Then each sees its two payments, newest first, and the calls and items read are the same:
        # one call, the session check's
        for payer in (few, many):
            answer, _ = cost[payer.customer_id]
            assert [(p["payment_id"], p["amount_minor"]) for p in answer.json["payments"]] == \
                invoices[payer.customer_id][1]
        assert cost[few.customer_id][1] == cost[many.customer_id][1]
        assert cost[few.customer_id][1][0] == {"BatchGetItem": 1}


def older_payments(payer: Payer, count: int) -> None:
    """`count` payments of other invoices made before, written straight to the table (the history)."""
    with PaymentItem.batch_write() as batch:
        for n in range(count):
            at = NOW - timedelta(days=count - n)
            batch.save(payment_item(payer.org_id, Payment(
                payment_id=new_id("payment", at), customer_id=payer.customer_id, status=PaymentStatus.SUCCEEDED,
                amount_minor=1000, currency="USD", allocations=(Allocation(new_id("invoice", at), 1000),),
                created_at=at, gateway="simulated", method_summary="Visa •••• 4242", succeeded_at=at,
                number=f"OLD-{n:05}")))


def paid_invoices(payer: Payer, count: int) -> None:
    """`count` invoices paid in full before, written straight to the table (the history)."""
    template = adapters().uow.invoices.outstanding(payer.org_id, payer.customer_id)[0]
    with InvoiceItem.batch_write() as batch:
        for n in range(count):
            at = NOW - timedelta(days=count - n)
            paid = replace(template, invoice_id=new_id("invoice", at), number=f"OLD-{n:05}",
                           status=InvoiceStatus.PAID, issued_at=at, due_on=at.date(), paid_at=at,
                           amount_paid_minor=template.total_minor, version=None)
            batch.save(adapters().uow.invoices._item(payer.org_id, paid))


def pay_all(payer: Payer):
    return pay(payer.portal, {"all_outstanding": True, "payment_method": "pm_card_visa"}, key=a_key())


def measured(call, *args):
    with counting_calls() as count, measuring_units() as units:
        answer = call(*args)
    assert answer.status in (200, 201), answer.json
    return answer, (dict(count.operations), units.items_read, units.read)
