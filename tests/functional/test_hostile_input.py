"""No input answers 500: JSON nested beyond any request's depth, pagination cursors that were
not given out by the list they are sent to, and signed Stripe events whose data is not of the
shape their type declares are all refused with a 400 in the error envelope, and change nothing."""
import base64
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.api import Api, client
from tests.support.payments import (a_payer, a_payment_stripe_reports_on, an_invoice, deliver, gateway_customer_of,
                                   payment_intent, stripe_event, with_webhook_secret)
from tests.support.portal import Clock

DEEP = b"[" * 20_000


def refused_as_input(answer, field: str) -> None:
    assert answer.status == 400, (answer.status, answer.body[:300])
    assert field in answer.json["error"]["details"]["fields"], answer.json


def a_payer_with_a_cursor(c) -> tuple:
    """A signed-in customer with three invoices, and the cursor of her first invoice page of one."""
    payer = a_payer(Api(c))
    for _ in range(3):
        an_invoice(payer, 1000)
    return payer, payer.portal.get("/portal/invoices?limit=1").json["next_cursor"]


def a_forged_cursor(key: dict) -> str:
    """A cursor as an attacker would make it: the encoding of a last key, without our signature."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


# --- JSON nesting --------------------------------------------------------------------------

def test_json_nested_twenty_thousand_deep_is_refused_before_sign_in(aws):
    Clock()
    with client() as c:
        # Given nobody signed in, when a body of 20,000 `[` reaches the login
        answer = Api(c).post("/portal/auth/login", raw=DEEP)

        # Then it is refused as a body we do not read, not a server error
        refused_as_input(answer, "body")
        assert "nested deeper" in answer.json["error"]["details"]["fields"]["body"]


def test_deep_json_to_a_signed_in_route_is_refused_and_writes_nothing(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 1000)
        body = b'{"invoice_ids": ' + b"[" * 5000 + b"]" * 5000 + b', "payment_method": "pm_card_visa"}'

        answer = payer.portal.post("/portal/payments", raw=body, headers={"Idempotency-Key": "deep-1"})

        refused_as_input(answer, "body")
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "open"


def test_json_as_deep_as_a_real_request_is_still_read(aws):
    Clock()
    with client() as c:
        # When a body nested a few levels (as deep as ours get) reaches the login
        answer = Api(c).post("/portal/auth/login", raw=json.dumps([[[[{"a": 1}]]]]).encode())

        # Then it was read: refused for what it holds, not for its depth
        refused_as_input(answer, "body")
        assert answer.json["error"]["details"]["fields"]["body"] == "Must be a JSON object."


# --- cursors -------------------------------------------------------------------------------

LISTS = {   # route -> the key its cursor holds
    "/portal/invoices": lambda owner: {"owner": {"S": owner}, "invoice_id": {"N": "7"}},
    "/portal/invoices?status=paid": lambda owner: {"owner": {"S": owner}},
    "/portal/subscriptions": lambda owner: {"owner": {"S": owner}, "subscription_id": {"M": {}}},
    "/portal/activity": lambda owner: {"owner": {"S": owner}},
    "/portal/payments": lambda owner: {"owner": {"S": owner}, "payment_id": {"S": ""}},
}


def test_a_cursor_in_my_own_partition_with_a_sort_key_of_the_wrong_type_or_none_is_refused(aws):
    Clock()
    with client() as c:
        # Given a signed-in customer who knows how cursors look (her partition is in every one)
        payer = a_payer(Api(c))
        owner = f"{payer.org_id}#{payer.customer_id}"

        for route, key in LISTS.items():
            # When she sends a cursor she made herself, naming her partition with a bad sort key
            joiner = "&" if "?" in route else "?"
            answer = payer.portal.get(f"{route}{joiner}cursor={a_forged_cursor(key(owner))}")

            # Then it is refused as a cursor the list never gave out
            refused_as_input(answer, "cursor")


def test_a_cursor_given_out_by_one_list_is_refused_by_another(aws):
    Clock()
    with client() as c:
        # Given a real cursor of the unfiltered invoice list
        payer, cursor = a_payer_with_a_cursor(c)
        assert payer.portal.get(f"/portal/invoices?limit=1&cursor={cursor}").status == 200

        # When it is sent to the paid invoices, the subscriptions, the payments and the activity
        for route in ("/portal/invoices?status=paid&", "/portal/invoices?status=outstanding&",
                      "/portal/subscriptions?", "/portal/payments?", "/portal/activity?"):
            # Then every other list refuses it
            refused_as_input(payer.portal.get(f"{route}cursor={cursor}"), "cursor")


def test_a_cursor_edited_by_one_character_is_refused(aws):
    Clock()
    with client() as c:
        payer, cursor = a_payer_with_a_cursor(c)
        encoded, signature = cursor.split(".")

        edited = encoded[:-1] + ("A" if encoded[-1] != "A" else "B")
        refused_as_input(payer.portal.get(f"/portal/invoices?cursor={edited}.{signature}"), "cursor")


ATTRIBUTE_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["S", "N", "M", "L", "B"]) |
                                                                st.text(max_size=3), inner, max_size=3),
    max_leaves=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(extra=st.dictionaries(st.sampled_from(["invoice_id", "subscription_id", "payment_id", "status_key",
                                              "activity_key", "org_id"]) | st.text(max_size=8),
                             ATTRIBUTE_VALUES, max_size=3),
       route=st.sampled_from(sorted(LISTS)), signature=st.sampled_from(["", ".", ".abc"]))
def test_no_made_up_cursor_in_my_partition_reaches_dynamodb(aws, extra, route, signature):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        key = {**extra, "owner": {"S": f"{payer.org_id}#{payer.customer_id}"}}
        joiner = "&" if "?" in route else "?"
        answer = payer.portal.get(f"{route}{joiner}cursor={a_forged_cursor(key)}{signature}")
        refused_as_input(answer, "cursor")


# --- webhooks ------------------------------------------------------------------------------

SHAPED_TYPES = ("payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded",
                "setup_intent.succeeded", "payment_method.detached")


def test_a_signed_event_with_empty_data_is_refused_for_every_type_we_read(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        for event_type in SHAPED_TYPES:
            # Given an event Stripe's signature vouches for, but with nothing in its data
            event = json.loads(stripe_event(event_type, {}))
            event["data"] = {}

            # When it is delivered, then it is refused: 400, in the envelope
            answer = deliver(api, json.dumps(event))
            assert answer.status == 400, (event_type, answer.body)
            assert "Stripe-Signature" in answer.json["error"]["details"]["fields"]


def test_a_signed_payment_event_with_an_amount_of_the_wrong_type_changes_nothing(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a payment waiting for 3-D Secure
        api, payer, invoice, waiting = a_payment_stripe_reports_on(c, monkeypatch)
        intent = payment_intent(waiting)

        # When signed events about it arrive with a text amount, an unknown currency, or nested deep
        for broken in ({**intent, "amount": "10000"}, {**intent, "currency": "xyz"}, {**intent, "metadata": []}):
            assert deliver(api, stripe_event("payment_intent.succeeded", broken)).status == 400
        deep = '{"id": "evt_deep", "type": "payment_intent.succeeded", "data": ' + "[" * 20_000 + "]" * 20_000 + "}"
        assert deliver(api, deep).status == 400

        # Then the invoice is still open and the payment still waits
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "open"
        assert payer.portal.get(f"/portal/payments/{waiting['payment_id']}").json["status"] == "requires_action"


def test_an_event_of_the_declared_shape_is_still_handled(aws, monkeypatch):
    Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a customer who started a card setup in the portal
        api = Api(c)
        payer = a_payer(api)
        assert payer.portal.post("/portal/payment-methods/setup").status == 200

        # When Stripe reports the setup with only the fields its shape declares
        answer = deliver(api, stripe_event("setup_intent.succeeded", {
            "id": "seti_1", "customer": gateway_customer_of(payer), "payment_method": "pm_card_visa"}))

        # Then it is handled: the card is saved, as the customer's default
        assert answer.status == 200 and answer.json == {"received": True, "handled": True}
        [saved] = payer.portal.get("/portal/payment-methods").json["items"]
        assert saved["summary"] == "Visa •••• 4242" and saved["is_default"] is True
