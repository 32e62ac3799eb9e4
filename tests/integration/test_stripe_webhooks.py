"""Stripe webhooks are verified on the raw body with stripe-python, before anything trusts them."""
import json
import time

import pytest
import stripe

from chalicelib.domain.money import Money
from chalicelib.gateways.stripe_amounts import from_stripe
from chalicelib.gateways.stripe_webhooks import InvalidWebhook, parse_event

SECRET = "whsec_test_secret"


def an_event(event_id="evt_1", event_type="payment_intent.succeeded", **object_fields) -> str:
    payment_intent = {"id": "pi_1", "object": "payment_intent", "status": "succeeded",
                      "amount": 10000, "currency": "usd", "metadata": {"payment_id": "pay_1"},
                      **object_fields}
    return json.dumps({"id": event_id, "object": "event", "type": event_type, "api_version": "2025-01-01",
                       "created": 1700000000, "data": {"object": payment_intent}})


def signed(payload: str, *, secret=SECRET, seconds_ago=0) -> str:
    return stripe.WebhookSignature.generate_signature_header(
        payload, secret, timestamp=int(time.time()) - seconds_ago)


def test_a_signed_event_is_returned_as_plain_data():
    # Given
    payload = an_event("evt_42", "payment_intent.succeeded")

    # When
    event = parse_event(payload.encode("utf-8"), signed(payload), SECRET)

    # Then
    assert type(event) is dict and type(event["data"]["object"]) is dict
    assert event["id"] == "evt_42" and event["type"] == "payment_intent.succeeded"
    assert event["data"]["object"]["metadata"] == {"payment_id": "pay_1"}


@pytest.mark.parametrize("stripes, currency, ours", [
    (10_000, "usd", Money(10_000, "USD")), (5_000, "jpy", Money(5_000, "JPY")),
    (500_000, "isk", Money(5_000, "ISK")), (12_340, "kwd", Money(12_340, "KWD")), (12_340, "bhd", Money(12_340, "BHD")),
])
def test_an_events_amounts_read_in_our_unit(stripes, currency, ours):
    # Given a signed payment_intent.succeeded in Stripe's unit (5,000 krónur are 500000 on the wire)
    payload = an_event(amount=stripes, currency=currency, amount_refunded=stripes)

    # When it is verified and its amounts read as the webhook service reads them
    intent = parse_event(payload, signed(payload), SECRET)["data"]["object"]

    # Then they are ours
    assert from_stripe(intent["amount"], intent["currency"]) == ours
    assert from_stripe(intent["amount_refunded"], intent["currency"]) == ours


def test_a_text_body_is_accepted_too():
    # When
    payload = an_event()

    # Then
    assert parse_event(payload, signed(payload), SECRET)["id"] == "evt_1"


def test_lists_in_the_event_stay_lists_of_plain_data():
    # Given
    payload = an_event(charges=[{"id": "ch_1", "object": "charge"}])

    # When
    event = parse_event(payload, signed(payload), SECRET)

    # Then
    assert event["data"]["object"]["charges"] == [{"id": "ch_1", "object": "charge"}]


def test_a_body_changed_after_signing_is_refused():
    # Given
    payload = an_event(amount=10000)
    header = signed(payload)

    # When / Then
    with pytest.raises(InvalidWebhook):
        parse_event(payload.replace("10000", "1"), header, SECRET)


def test_a_body_re_serialised_by_a_framework_no_longer_verifies():
    # Given
    payload = an_event()
    header = signed(payload)
    reformatted = json.dumps(json.loads(payload), indent=2)

    # When / Then
    with pytest.raises(InvalidWebhook):
        parse_event(reformatted, header, SECRET)


def test_a_signature_made_with_another_secret_is_refused():
    # Given
    payload = an_event()

    # When / Then
    with pytest.raises(InvalidWebhook):
        parse_event(payload, signed(payload, secret="whsec_someone_else"), SECRET)


@pytest.mark.parametrize("header", ["", None, "garbage", "t=notanumber,v1=abc", "t=1700000000"])
def test_a_missing_or_malformed_signature_header_is_refused(header):
    with pytest.raises(InvalidWebhook):
        parse_event(an_event(), header, SECRET)


def test_a_stale_timestamp_is_refused():
    # Given
    payload = an_event()

    # When
    with pytest.raises(InvalidWebhook) as error:
        parse_event(payload, signed(payload, seconds_ago=301), SECRET, tolerance=300)

    # Then
    assert "tolerance" in str(error.value)


def test_a_timestamp_within_the_tolerance_is_accepted():
    # When
    payload = an_event()

    # Then
    assert parse_event(payload, signed(payload, seconds_ago=290), SECRET, tolerance=300)["id"] == "evt_1"


@pytest.mark.parametrize("payload", ["{not json", "[1, 2]", '"an event"', "{}"])
def test_a_signed_body_that_is_not_an_event_is_refused(payload):
    with pytest.raises(InvalidWebhook):
        parse_event(payload, signed(payload), SECRET)


def test_a_body_that_is_not_utf8_is_refused():
    with pytest.raises(InvalidWebhook):
        parse_event(b"\xff\xfe{}", "t=1700000000,v1=abc", SECRET)


def test_a_missing_secret_is_a_configuration_error_not_a_bad_request():
    # Given
    payload = an_event()

    # When
    with pytest.raises(ValueError) as error:
        parse_event(payload, signed(payload), "")

    # Then
    assert not isinstance(error.value, InvalidWebhook)


def a_signed(event_type: str, data_object: dict) -> tuple[str, str]:
    payload = json.dumps({"id": "evt_1", "object": "event", "type": event_type, "api_version": "2025-01-01",
                          "created": 1700000000, "data": {"object": data_object}})
    return payload, signed(payload)


A_DISPUTE = {"id": "dp_1", "object": "dispute", "amount": 10000, "currency": "usd", "status": "needs_response",
             "reason": "fraudulent", "payment_intent": "pi_1", "charge": "ch_1"}
A_RENEWED_CARD = {"id": "pm_1", "object": "payment_method", "type": "card", "customer": "cus_1",
                  "card": {"brand": "visa", "last4": "1881", "exp_month": 3, "exp_year": 2031}}


@pytest.mark.parametrize("event_type, data_object", [
    ("charge.dispute.created", A_DISPUTE), ("charge.dispute.closed", {**A_DISPUTE, "status": "lost"}),
    ("payment_method.updated", A_RENEWED_CARD), ("payment_method.automatic_updated", A_RENEWED_CARD),
    ("payment_method.updated", {"id": "pm_2", "object": "payment_method", "type": "sepa_debit", "customer": None}),
    ("payment_intent.canceled", {"id": "pi_1", "object": "payment_intent", "status": "canceled", "amount": 10000,
                                 "currency": "usd"}),
])
def test_disputes_card_updates_and_cancellations_as_stripe_sends_them_are_accepted(event_type, data_object):
    payload, header = a_signed(event_type, data_object)

    assert parse_event(payload, header, SECRET)["data"]["object"]["id"] == data_object["id"]


@pytest.mark.parametrize("event_type, data_object", [
    ("charge.dispute.created", {k: v for k, v in A_DISPUTE.items() if k != "amount"}),
    ("charge.dispute.closed", {**A_DISPUTE, "amount": "10000"}),
    ("charge.dispute.created", {**A_DISPUTE, "currency": "xyz"}),
    ("payment_method.updated", {**A_RENEWED_CARD, "card": {**A_RENEWED_CARD["card"], "last4": "18"}}),
    ("payment_method.automatic_updated", {**A_RENEWED_CARD, "card": {**A_RENEWED_CARD["card"], "exp_month": 13}}),
])
def test_disputes_and_card_updates_without_the_fields_read_are_refused(event_type, data_object):
    payload, header = a_signed(event_type, data_object)

    with pytest.raises(InvalidWebhook):
        parse_event(payload, header, SECRET)
