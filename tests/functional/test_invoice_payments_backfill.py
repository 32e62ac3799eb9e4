"""The operator's backfill (`record-invoice-payments`): invoices paid or credited before they kept
their payments and credit notes' numbers are given them, so their detail is one call like any
other's, and shows what it showed before."""
from chalicelib import cli
from chalicelib.tables.base import owner_key
from chalicelib.tables.invoices import InvoiceItem
from tests.support.api import Api, client
from tests.support.call_shapes import calls_made
from tests.support.payments import a_credit_note, a_payer, an_invoice, pay
from tests.support.portal import Clock


def test_invoices_paid_before_they_kept_their_payments_keep_them_after_the_backfill(aws, capsys):
    clock = Clock()
    with client() as c:
        # Given, stored as invoices were before they kept their payments and credit notes' numbers:
        # an invoice paid in two parts, the second with 10.00 of credit; one the merchant recorded
        # a payment of; and one whose payments do not add up to what it was paid
        payer = a_payer(Api(c))
        in_parts, recorded, odd = (an_invoice(payer, 10000)["invoice_id"] for _ in range(3))
        pay(payer.portal, {"invoice_ids": [in_parts], "payment_method": "pm_card_visa", "amount_minor": 3000})
        clock.advance(minutes=5)
        a_credit_note(payer, 1000)
        pay(payer.portal, {"invoice_ids": [in_parts], "payment_method": "pm_card_visa", "use_credits": True})
        payer.admin.post("/admin/payments", {"customer_id": payer.customer_id, "invoice_id": recorded,
                                             "amount_minor": 4000})
        pay(payer.portal, {"invoice_ids": [odd], "payment_method": "pm_card_visa", "amount_minor": 2000})
        for invoice_id in (in_parts, recorded, odd):
            stored_before_invoices_kept_them(payer, invoice_id, paid_besides=500 if invoice_id == odd else 0)
        shown_before = {invoice_id: shown(payer, invoice_id) for invoice_id in (in_parts, recorded)}

        # When the operator runs the backfill, twice
        capsys.readouterr()
        assert cli.main(["record-invoice-payments", "--org", payer.org_id]) == 0
        first_run = capsys.readouterr().out
        assert cli.main(["record-invoice-payments", "--org", payer.org_id]) == 0
        second_run = capsys.readouterr().out

        # Then the first two are shown as before, in one call; the odd one is left to be found
        # each time, and said so
        for invoice_id in (in_parts, recorded):
            with calls_made() as calls:
                assert shown(payer, invoice_id) == shown_before[invoice_id]
            assert [operation for operation, _ in calls] == ["BatchGetItem"]
        with calls_made() as calls:
            shown(payer, odd)
        assert [operation for operation, _ in calls] == ["BatchGetItem", "Query"]
        assert first_run.splitlines()[-1].startswith("2 invoice(s) now keep their payments; 1 left as they were")
        assert second_run.splitlines()[-1].startswith("0 invoice(s) now keep their payments; 1 left as they were")


def stored_before_invoices_kept_them(payer, invoice_id: str, *, paid_besides: int = 0) -> None:
    """The invoice without its payments and its credit notes' numbers (and, with `paid_besides`,
    paid that much more than its payments say)."""
    stored = InvoiceItem.get(owner_key(payer.org_id, payer.customer_id), invoice_id)
    credits = [{name: value for name, value in credit.items() if name != "number"}
               for credit in stored.credits_applied]
    stored.update(actions=[InvoiceItem.payments_applied.remove(), InvoiceItem.credits_applied.set(credits),
                           InvoiceItem.amount_paid_minor.add(paid_besides)])


def shown(payer, invoice_id: str) -> tuple:
    detail = payer.portal.get(f"/portal/invoices/{invoice_id}").json
    return ([(p["payment_id"], p["amount_minor"], p["method_summary"]) for p in detail["payments"]],
            [(c["number"], c["amount_minor"]) for c in detail["credits_applied"]], detail["balance_minor"])
