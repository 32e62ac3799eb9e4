"""Currencies through the routes: a payment never mixes currencies (pay all asks which one when
the customer owes in several), totals in KWD are whole tens of fils (a Rounding line), a part
payment must be one too, every answer says how its amounts are shown, and a currency the payment
service does not accept is refused where it is chosen."""
from dataclasses import replace

from tests.support.api import Api, client
from tests.support.payments import Payer, a_payer, an_invoice, pay
from tests.support.portal import Clock, portal_organization


def a_payer_in(api: Api, currency: str) -> Payer:
    return a_payer(api, merchant=portal_organization(api, currency=currency))


def now_billed_in(payer: Payer, currency: str) -> None:
    """The customer is billed in another currency from now on (the admin API has no such change:
    as a merchant moving a customer to another currency would leave it)."""
    from chalicelib.bootstrap import adapters
    customer = adapters().uow.customers.get(payer.org_id, payer.customer_id)
    adapters().uow.customers.save(payer.org_id, replace(customer, currency=currency))


def owing_in_usd_and_eur(api: Api) -> tuple[Payer, dict, dict, dict]:
    """A customer with invoices of 100.00 USD, 80.00 EUR and 20.00 EUR outstanding."""
    payer = a_payer(api)
    usd = an_invoice(payer, 10_000)
    now_billed_in(payer, "EUR")
    eur_1, eur_2 = an_invoice(payer, 8_000), an_invoice(payer, 2_000)
    return payer, usd, eur_1, eur_2


def status_of(payer: Payer, invoice: dict) -> str:
    return payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"]


def test_paying_everything_while_owing_in_two_currencies_asks_which_currency_and_pays_nothing(aws):
    Clock()
    with client() as c:
        # Given a customer owing 100.00 USD and 100.00 EUR
        payer, usd, eur_1, eur_2 = owing_in_usd_and_eur(Api(c))

        # When they pay everything without saying in which currency
        answer = pay(payer.portal, {"all_outstanding": True, "payment_method": "pm_card_visa"})

        # Then it is a field error naming the currencies, and nothing was paid
        assert answer.status == 400, answer.json
        assert answer.json["error"]["details"]["fields"] == {
            "currency": "You owe in EUR and USD; choose the currency to pay."}
        assert [status_of(payer, i) for i in (usd, eur_1, eur_2)] == ["open", "open", "open"]
        assert payer.portal.get("/portal/payments").json["items"] == []


def test_paying_everything_in_one_currency_pays_only_that_currencys_invoices(aws):
    Clock()
    with client() as c:
        # Given a customer owing 100.00 USD and 80.00 + 20.00 EUR
        payer, usd, eur_1, eur_2 = owing_in_usd_and_eur(Api(c))

        # When they pay everything they owe in EUR
        answer = pay(payer.portal, {"all_outstanding": True, "currency": "EUR", "payment_method": "pm_card_visa"})

        # Then one EUR payment of 100.00 paid both EUR invoices, and the USD one is still owed
        assert answer.status == 201, answer.json
        assert (answer.json["status"], answer.json["amount_minor"], answer.json["currency"]) == (
            "succeeded", 10_000, "EUR")
        assert sorted(a["invoice_id"] for a in answer.json["allocations"]) == sorted(
            [eur_1["invoice_id"], eur_2["invoice_id"]])
        assert [status_of(payer, i) for i in (usd, eur_1, eur_2)] == ["open", "paid", "paid"]


def test_paying_everything_in_a_currency_not_owed_finds_nothing_to_pay(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        an_invoice(payer, 10_000)

        answer = pay(payer.portal, {"all_outstanding": True, "currency": "EUR", "payment_method": "pm_card_visa"})

        assert answer.status == 422 and answer.json["error"]["code"] == "nothing_outstanding"


def test_invoices_of_two_currencies_cannot_be_paid_in_one_payment(aws):
    Clock()
    with client() as c:
        # Given a USD and a EUR invoice
        payer, usd, eur, _ = owing_in_usd_and_eur(Api(c))

        # When the customer pays both at once
        answer = pay(payer.portal, {"invoice_ids": [usd["invoice_id"], eur["invoice_id"]],
                                    "payment_method": "pm_card_visa"})

        # Then it is a field error on invoice_ids, and nothing was paid
        assert answer.status == 400, answer.json
        assert "EUR and USD" in answer.json["error"]["details"]["fields"]["invoice_ids"]
        assert [status_of(payer, i) for i in (usd, eur)] == ["open", "open"]


def test_a_currency_is_chosen_only_for_paying_everything(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10_000)

        answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "currency": "USD",
                                    "payment_method": "pm_card_visa"})

        assert answer.status == 400 and "currency" in answer.json["error"]["details"]["fields"]


def test_a_kwd_invoice_is_rounded_to_whole_tens_of_fils_by_a_rounding_line(aws):
    Clock()
    with client() as c:
        # Given a merchant billing in Kuwaiti dinars
        payer = a_payer_in(Api(c), "KWD")

        # When it invoices 12.345 KWD
        invoice = an_invoice(payer, 12_345)

        # Then the invoice says 12.350, the 0.005 on a Rounding line, and shows in three decimals
        detail = payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json
        assert (detail["subtotal_minor"], detail["total_minor"], detail["balance_minor"]) == (12_345, 12_350, 12_350)
        assert [(line["kind"], line["amount_minor"]) for line in detail["lines"]] == [("charge", 12_345),
                                                                                      ("rounding", 5)]
        assert (detail["currency"], detail["currency_exponent"]) == ("KWD", 3)


def test_a_part_payment_in_kwd_must_be_whole_tens_of_fils(aws):
    Clock()
    with client() as c:
        # Given a KWD invoice of 12.350
        payer = a_payer_in(Api(c), "KWD")
        invoice = an_invoice(payer, 12_350)

        # When the customer pays 5.005 of it, then 5.000
        refused = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                                     "amount_minor": 5_005})
        paid = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                                  "amount_minor": 5_000})

        # Then 5.005 is a field error saying what would do, and 5.000 leaves 7.350 to pay
        assert refused.status == 400, refused.json
        assert refused.json["error"]["details"]["fields"] == {"amount_minor": (
            "KWD is paid in steps of 0.010 KWD: 5.005 KWD is not a whole number of them (5.000 KWD or 5.010 KWD is).")}
        assert paid.status == 201 and paid.json["status"] == "succeeded", paid.json
        assert (paid.json["amount_minor"], paid.json["currency_exponent"]) == (5_000, 3)
        after = payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json
        assert (after["status"], after["balance_minor"]) == ("partially_paid", 7_350)


def test_an_offline_payment_in_kwd_must_be_whole_tens_of_fils_too(aws):
    Clock()
    with client() as c:
        payer = a_payer_in(Api(c), "KWD")
        invoice = an_invoice(payer, 12_350)

        answer = payer.admin.post("/admin/payments", {"customer_id": payer.customer_id,
                                                      "invoice_id": invoice["invoice_id"], "amount_minor": 1})

        assert answer.status == 400 and "amount_minor" in answer.json["error"]["details"]["fields"]


def test_every_answer_naming_a_currency_says_its_decimals(aws):
    Clock()
    with client() as c:
        # Given a merchant billing in yen, with one invoice paid
        payer = a_payer_in(Api(c), "JPY")
        invoice = an_invoice(payer, 5_000)
        payment = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"})

        # When the customer reads who they are, their home, the invoice and the payments
        me = payer.portal.get("/portal/me").json
        home = payer.portal.get("/portal/dashboard").json
        detail = payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json
        payments = payer.portal.get("/portal/payments").json

        # Then every object naming the currency says it has no decimals
        assert (me["organization"]["currency"], me["organization"]["currency_exponent"]) == ("JPY", 0)
        assert home["outstanding"]["currency_exponent"] == home["available_credits"]["currency_exponent"] == 0
        assert home["last_payment"]["currency_exponent"] == 0
        assert detail["currency_exponent"] == payment.json["currency_exponent"] == 0
        assert payments["items"][0]["currency_exponent"] == 0


def test_a_currency_the_payment_service_does_not_accept_is_refused_where_it_is_chosen(aws):
    Clock()
    with client() as c:
        # Given a merchant in USD
        payer = a_payer(Api(c))

        # When it offers a plan, an addon, a coupon or a customer in Iraqi dinars (Stripe has none)
        answers = [payer.admin.post("/admin/plans", {"code": "iq", "name": "IQ", "price_minor": 1, "currency": "IQD"}),
                   payer.admin.post("/admin/addons", {"code": "iq", "name": "IQ", "price_minor": 1,
                                                      "currency": "IQD"}),
                   payer.admin.post("/admin/coupons", {"code": "iq", "name": "IQ", "amount_off_minor": 1,
                                                       "currency": "IQD", "duration": "once"}),
                   payer.admin.post("/admin/customers", {"display_name": "Iq", "email": "ap@iq.example",
                                                         "currency": "IQD"})]

        # Then each is a field error on its currency
        for answer in answers:
            assert answer.status == 400, answer.json
            assert answer.json["error"]["details"]["fields"] == {
                "currency": "IQD is not a currency the payment service accepts."}
