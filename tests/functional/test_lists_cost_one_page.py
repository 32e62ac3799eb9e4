"""What a customer owes costs the same to list and to pay however much they have paid before: the
outstanding and overdue lists and pay-all read the sparse index of open invoices, never the
customer's whole history."""
from dataclasses import replace
from datetime import timedelta

from exercise.request_units import measuring_units
from chalicelib.bootstrap import adapters
from chalicelib.domain.documents import InvoiceStatus
from chalicelib.domain.ids import new_id
from chalicelib.tables.invoices import InvoiceItem
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
