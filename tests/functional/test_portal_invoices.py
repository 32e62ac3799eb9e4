"""GET /portal/invoices (filters, cursor) and GET /portal/invoices/{id} (lines, taxes, credits
applied, payments)."""
from chalicelib.tables.base import owner_key
from chalicelib.tables.invoices import InvoiceItem
from tests.support.api import NOW, Api, client
from tests.support.payments import a_credit_note, a_payer, an_invoice, pay
from tests.support.portal import Clock


def numbers(payer, query: str = "") -> list[str]:
    answer = payer.portal.get(f"/portal/invoices{query}")
    assert answer.status == 200, answer.json
    return [i["number"] for i in answer.json["items"]]


def test_each_filter_lists_its_invoices_newest_first_and_what_is_owed_latest_due_first(aws):
    clock = Clock(NOW.replace(hour=23, minute=50))
    with client() as c:
        # Given one invoice in each state (issued a minute apart), one of them due the day it was issued
        payer = a_payer(Api(c))
        made = {}
        for name in ("open", "overdue", "paid", "partially_paid", "void"):
            made[name] = an_invoice(payer, 1000, due_days=0 if name == "overdue" else 15)
            clock.advance(minutes=1)
        clock.advance(minutes=10)      # past midnight: the day it was due has passed
        pay(payer.portal, {"invoice_ids": [made["paid"]["invoice_id"]], "payment_method": "pm_card_visa"})
        pay(payer.portal, {"invoice_ids": [made["partially_paid"]["invoice_id"]], "payment_method": "pm_card_visa",
                           "amount_minor": 400})
        payer.admin.post(f"/admin/invoices/{made['void']['invoice_id']}/void", {"customer_id": payer.customer_id})
        number = {name: invoice["number"] for name, invoice in made.items()}

        # When the customer filters, then each list holds what its name says
        assert numbers(payer) == [number[n] for n in ("void", "partially_paid", "paid", "overdue", "open")]
        assert numbers(payer, "?status=all") == numbers(payer)
        assert numbers(payer, "?status=outstanding") == [number[n] for n in ("partially_paid", "open", "overdue")]
        assert numbers(payer, "?status=overdue") == [number["overdue"]]
        assert numbers(payer, "?status=paid") == [number["paid"]]
        assert numbers(payer, "?status=partially_paid") == [number["partially_paid"]]
        assert numbers(payer, "?status=void") == [number["void"]]
        overdue = payer.portal.get("/portal/invoices?status=overdue").json["items"][0]
        assert overdue["overdue"] is True and overdue["balance_minor"] == 1000


def test_lists_are_paged_with_a_cursor(aws):
    clock = Clock()
    with client() as c:
        payer = a_payer(Api(c))
        for _ in range(5):
            an_invoice(payer, 1000)
            clock.advance(minutes=1)

        for query in ("?status=all", "?status=outstanding"):
            first = payer.portal.get(f"/portal/invoices{query}&limit=2").json
            second = payer.portal.get(f"/portal/invoices{query}&limit=2&cursor={first['next_cursor']}").json
            third = payer.portal.get(f"/portal/invoices{query}&limit=2&cursor={second['next_cursor']}").json

            seen = [i["invoice_id"] for page in (first, second, third) for i in page["items"]]
            assert len(seen) == len(set(seen)) == 5
            assert third["next_cursor"] is None


def test_a_bad_filter_or_cursor_is_invalid_input(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        for _ in range(2):
            an_invoice(payer, 1000)
        cursor = payer.portal.get("/portal/invoices?limit=1").json["next_cursor"]

        for query in ("?status=unpaid", "?cursor=not-a-cursor", f"?status=paid&cursor={cursor}", "?limit=0"):
            answer = payer.portal.get(f"/portal/invoices{query}")
            assert answer.status == 400, (query, answer.json)


def test_an_invoice_shows_its_lines_taxes_credits_and_payments(aws):
    Clock()
    with client() as c:
        # Given an invoice of 100.00 + 10 % tax, a credit of 10.00 applied, and two payments
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000, tax_rate_bp=1000)
        note = a_credit_note(payer, 1000)
        first = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                                   "use_credits": True, }, key="a")
        assert first.json["amount_minor"] == 10000

        detail = payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json

        assert detail["lines"] == [{"description": "Consulting", "quantity": 1, "unit_price_minor": 10000,
                                    "amount_minor": 10000, "kind": "charge", "period_start": None, "period_end": None}]
        assert (detail["subtotal_minor"], detail["tax_minor"], detail["total_minor"]) == (10000, 1000, 11000)
        assert detail["taxes"] == [{"name": "Tax", "rate_bp": 1000, "amount_minor": 1000}]
        assert [(c["number"], c["amount_minor"]) for c in detail["credits_applied"]] == [(note["number"], 1000)]
        assert [(p["payment_id"], p["amount_minor"]) for p in detail["payments"]] == [(first.json["payment_id"], 10000)]
        assert detail["status"] == "paid" and detail["balance_minor"] == 0


def test_an_invoice_paid_in_parts_lists_each_payment(aws):
    clock = Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice, first, rest = paid_in_two_parts(payer, clock)

        detail = payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json

        assert [(p["payment_id"], p["amount_minor"]) for p in detail["payments"]] == [
            (rest.json["payment_id"], 7000), (first.json["payment_id"], 3000)]
        assert detail["status"] == "paid"


def test_an_invoice_paid_before_invoices_kept_their_payments_and_credits_still_lists_each(aws):
    clock = Clock()
    with client() as c:
        # Given an invoice paid in two parts, the second with 10.00 of credit, stored as invoices were
        # before they kept their payments and their credit notes' numbers
        payer = a_payer(Api(c))
        note = a_credit_note(payer, 1000)
        invoice, first, rest = paid_in_two_parts(payer, clock, use_credits=True)
        stored = InvoiceItem.get(owner_key(payer.org_id, payer.customer_id), invoice["invoice_id"])
        credits = [{name: value for name, value in credit.items() if name != "number"}
                   for credit in stored.credits_applied]
        stored.update(actions=[InvoiceItem.payments_applied.remove(), InvoiceItem.credits_applied.set(credits)])

        # When the customer opens it
        detail = payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json

        # Then its payments are found among the customer's and the credit note's number is read, as
        # the invoice shows them now
        assert [(p["payment_id"], p["amount_minor"], p["method_summary"]) for p in detail["payments"]] == [
            (rest.json["payment_id"], 6000, "Visa •••• 4242"), (first.json["payment_id"], 3000, "Visa •••• 4242")]
        assert [(c["number"], c["amount_minor"]) for c in detail["credits_applied"]] == [(note["number"], 1000)]


def test_a_payment_the_merchant_records_is_listed_on_the_invoice_with_how_it_was_paid(aws):
    Clock()
    with client() as c:
        # Given an invoice of which the merchant records 40.00 received by bank transfer
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        recorded = payer.admin.post("/admin/payments", {"customer_id": payer.customer_id,
                                                        "invoice_id": invoice["invoice_id"], "amount_minor": 4000})
        assert recorded.status == 201, recorded.json

        # When the customer opens it
        detail = payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json

        # Then the payment is there, and 60.00 is left to pay
        assert [(p["payment_id"], p["amount_minor"], p["method_summary"]) for p in detail["payments"]] == [
            (recorded.json["payment_id"], 4000, "Bank Transfer")]
        assert (detail["status"], detail["balance_minor"]) == ("partially_paid", 6000)


def paid_in_two_parts(payer, clock, *, use_credits: bool = False):
    """A new invoice of 100.00 paid 30.00 by card, then five minutes later the rest (with the
    customer's credit, if `use_credits`): (the invoice, the first payment's answer, the second's)."""
    invoice = an_invoice(payer, 10000)
    first = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                               "amount_minor": 3000})
    clock.advance(minutes=5)
    rest = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                              "use_credits": use_credits})
    return invoice, first, rest
