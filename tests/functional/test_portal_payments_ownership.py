"""Another customer's invoice, payment or payment method answers 404 on every route, exactly like
a missing id (a second customer of the same organization, and a customer of another one); lists
show only one's own; a refused session is 401 everywhere."""
from tests.support.api import Api, client
from tests.support.payments import a_payer, a_saved_card, an_invoice, pay
from tests.support.portal import Clock, assert_refused

ID_ROUTES = [
    ("GET", "/portal/invoices/{invoice}", None),
    ("GET", "/portal/payments/{payment}", None),
    ("POST", "/portal/payments/{payment}/confirm-action", {"approve": True}),
    ("POST", "/portal/payment-methods/{method}/default", None),
    ("PUT", "/portal/payment-methods/{method}", {"payment_method": "pm_card_visa"}),
    ("DELETE", "/portal/payment-methods/{method}", None),
]


def owned_things(payer) -> dict:
    """An invoice, a payment waiting for 3-D Secure and a saved card of `payer`."""
    invoice = an_invoice(payer, 1000)
    waiting = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                 "payment_method": "pm_card_authenticationRequired"}).json
    return {"invoice": invoice["invoice_id"], "payment": waiting["payment_id"],
            "method": a_saved_card(payer)["payment_method_id"]}


def test_another_customers_ids_answer_404_like_missing_ones_on_every_route(aws):
    Clock()
    with client() as c:
        # Given Zoë, Ann (same organization) and Bob (another organization), each with their things
        api = Api(c)
        zoe = a_payer(api)
        ann = a_payer(api, merchant=zoe.merchant, email="ann@initech.example", display_name="Initech")
        bob = a_payer(api, org_name="Umbrella Corp", email="bob@hooli.example", display_name="Hooli")
        theirs = {"ann": owned_things(ann), "bob": owned_things(bob)}
        missing = {"invoice": "inv_01M8997DG0000000000000000X", "payment": "pay_01M8997DG0000000000000000X",
                   "method": "pm_01M8997DG0000000000000000X"}

        # When Zoë addresses them, then each answers exactly as a missing id does
        for method, path, body in ID_ROUTES:
            expected = zoe.portal.call(method, path.format(**missing), body)
            assert expected.status == 404, (path, expected.json)
            for owner, things in theirs.items():
                answer = zoe.portal.call(method, path.format(**things), body)
                assert (answer.status, answer.json["error"]["code"]) == (404, "not_found"), (owner, path)
                assert answer.json["error"]["message"] == expected.json["error"]["message"]

        # And paying with their invoice or their saved card is 404 too
        for things in theirs.values():
            assert pay(zoe.portal, {"invoice_ids": [things["invoice"]], "payment_method": "pm_card_visa"}).status == 404
            mine = an_invoice(zoe, 500)
            assert pay(zoe.portal, {"invoice_ids": [mine["invoice_id"]],
                                    "payment_method": things["method"]}).status == 404

        # And nothing of theirs changed
        for owner, payer in (("ann", ann), ("bob", bob)):
            assert payer.portal.get(f"/portal/invoices/{theirs[owner]['invoice']}").json["status"] == "open"
            assert payer.portal.get(f"/portal/payments/{theirs[owner]['payment']}").json["status"] == "requires_action"
            assert len(payer.portal.get("/portal/payment-methods").json["items"]) == 1


def test_lists_and_the_dashboard_show_only_ones_own(aws):
    Clock()
    with client() as c:
        api = Api(c)
        zoe = a_payer(api)
        ann = a_payer(api, merchant=zoe.merchant, email="ann@initech.example", display_name="Initech")
        owned_things(ann)

        assert zoe.portal.get("/portal/invoices").json["items"] == []
        assert zoe.portal.get("/portal/payments").json["items"] == []
        assert zoe.portal.get("/portal/payment-methods").json["items"] == []
        assert zoe.portal.get("/portal/dashboard").json["outstanding"]["count"] == 0


def test_every_payment_route_refuses_a_request_without_a_session(aws):
    Clock()
    with client() as c:
        api = Api(c)
        zoe = a_payer(api)
        things = owned_things(zoe)
        routes = ID_ROUTES + [("GET", "/portal/invoices", None), ("GET", "/portal/payments", None),
                              ("POST", "/portal/payments", {"all_outstanding": True, "payment_method": "pm_card_visa"}),
                              ("GET", "/portal/payment-methods", None), ("POST", "/portal/payment-methods/setup", None),
                              ("POST", "/portal/payment-methods", {"payment_method": "pm_card_visa"}),
                              ("GET", "/portal/dashboard", None)]

        for token in (None, "not-a-session"):
            for method, path, body in routes:
                assert_refused(api.as_(token).call(method, path.format(**things), body,
                                                   headers={"Idempotency-Key": "k"}))

        assert zoe.portal.get(f"/portal/invoices/{things['invoice']}").json["status"] == "open"
