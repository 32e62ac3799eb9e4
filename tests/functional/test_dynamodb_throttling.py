"""DynamoDB throttling, injected on the wire in front of moto: a throttled read or write is retried
with backoff and the request still succeeds, exactly once; throttling that outlasts the retries
answers 503 in the error envelope with Retry-After, and leaves nothing written half-way."""
import pytest

from tests.support.api import Api, client
from tests.support.faults import throttling
from tests.support.payments import a_payer, an_invoice, counting_gateway, pay
from tests.support.portal import Clock
from tests.support.subscriptions import TERM, a_shop

EDIT_ONLY = {"edit_subscription": {"enabled": True}}
THROTTLING_CODES = ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]


def assert_busy(answer) -> None:
    """503 in the envelope, with when to try again: never a bare 500."""
    assert answer.status == 503, (answer.status, answer.json)
    assert set(answer.json["error"]) == {"code", "message", "details"}
    assert answer.json["error"]["code"] == "temporarily_unavailable"
    assert answer.headers["Retry-After"] == str(answer.json["error"]["details"]["retry_after_seconds"])


def zoe_with_an_open_invoice(c):
    payer = a_payer(Api(c))
    return payer, an_invoice(payer, 10000)


def test_the_dynamodb_client_retries_in_standard_mode_with_an_explicit_number_of_attempts(aws):
    from chalicelib.tables.base import shared_client
    assert shared_client().meta.config.retries == {"mode": "standard", "total_max_attempts": 4}


@pytest.mark.parametrize("code", THROTTLING_CODES)
def test_throttled_reads_on_a_portal_route_are_retried_with_backoff_and_answer_200(aws, monkeypatch, code):
    Clock()
    with client() as c:
        # Given Zoë with an invoice, and DynamoDB throttling the next reads of her session and invoices
        payer, invoice = zoe_with_an_open_invoice(c)
        faults = throttling(monkeypatch)
        faults.next("BatchGetItem", times=2, code=code)   # the session, read with her customer and organization
        faults.next("Query", times=3, code=code)

        # When she lists her invoices
        answer = payer.portal.get("/portal/invoices")

        # Then the route answers as if nothing had happened, botocore having waited between attempts
        assert answer.status == 200, answer.json
        assert [i["invoice_id"] for i in answer.json["items"]] == [invoice["invoice_id"]]
        assert faults.refused == {"BatchGetItem": 2, "Query": 3}
        assert len(faults.backoffs) == 5 and all(delay > 0 for delay in faults.backoffs)


def test_a_throttled_payment_transaction_is_retried_and_charges_and_records_once(aws, monkeypatch):
    Clock()
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given an open invoice, and DynamoDB throttling the payment's first transaction three times
        payer, invoice = zoe_with_an_open_invoice(c)
        faults = throttling(monkeypatch)
        faults.next("TransactWriteItems", times=3)

        # When Zoë pays it
        answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"})

        # Then the payment went through once: one charge, one payment, the invoice paid
        assert answer.status == 201, answer.json
        assert answer.json["status"] == "succeeded"
        assert faults.refused["TransactWriteItems"] == 3
        assert gateway.charges == 1
        assert [p["payment_id"] for p in payer.portal.get("/portal/payments").json["items"]] == [
            answer.json["payment_id"]]
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "paid"


def test_a_subscription_change_throttled_item_by_item_is_resent_and_applied_once(aws, monkeypatch):
    with client() as c:
        # Given Pro mid-term, and its change's transaction throttled as a whole, then on one item
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        faults = throttling(monkeypatch)
        faults.next("TransactWriteItems", times=1, code="ThrottlingException")
        faults.next_cancelled("TransactWriteItems", times=1, item_codes=["None", "ThrottlingError"])

        # When Zoë moves to Business now
        answer = shop.portal.post(f"{path}/changes", {"plan": "biz", "when": "now"})

        # Then it is done once: Business, one prorated invoice for it
        assert answer.status == 200, answer.json
        assert faults.refused["TransactWriteItems"] == 2
        assert shop.portal.get(path).json["plan"]["code"] == "biz"
        assert [i["invoice_id"] for i in shop.portal.get(f"{path}/invoices").json["items"]] == [
            answer.json["invoice"]["invoice_id"]]


def test_a_payment_throttled_beyond_the_retries_answers_503_and_neither_charges_nor_records(aws, monkeypatch):
    Clock()
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given an open invoice, and DynamoDB refusing every transaction for now
        payer, invoice = zoe_with_an_open_invoice(c)
        faults = throttling(monkeypatch)
        faults.always("TransactWriteItems")
        body = {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"}

        # When Zoë pays it
        answer = pay(payer.portal, body, key="checkout-1")

        # Then she is told to try again shortly; nothing was charged or recorded
        assert_busy(answer)
        faults.stop()
        assert gateway.calls == []
        assert payer.portal.get("/portal/payments").json["items"] == []
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "open"
        # And once DynamoDB keeps up, the same click (same key) pays it
        retry = pay(payer.portal, body, key="checkout-1")
        assert (retry.status, retry.json["status"], gateway.charges) == (201, "succeeded", 1)


def test_a_subscription_change_throttled_beyond_the_retries_answers_503_and_changes_nothing(aws, monkeypatch):
    with client() as c:
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        faults = throttling(monkeypatch)
        faults.always("TransactWriteItems", code="ThrottlingException")

        answer = shop.portal.post(f"{path}/changes", {"plan": "biz", "when": "now"})

        assert_busy(answer)
        faults.stop()
        assert shop.portal.get(path).json["plan"]["code"] == "pro"
        assert shop.portal.get(f"{path}/invoices").json["items"] == []
        assert shop.portal.get("/portal/dashboard").json["available_credits"]["amount_minor"] == 0


@pytest.mark.parametrize("caller", ["portal", "admin"])
def test_a_session_or_key_that_cannot_be_read_answers_503_not_401(aws, monkeypatch, caller):
    # A 401 would sign the customer out of the browser portal because DynamoDB was busy.
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        faults = throttling(monkeypatch)
        faults.always("BatchGetItem" if caller == "portal" else "GetItem")   # a session, or a key

        answer = payer.portal.get("/portal/me") if caller == "portal" else payer.admin.get("/admin/customers")

        assert_busy(answer)
