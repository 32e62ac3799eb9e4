"""Paying invoices and settling payments, the use cases themselves (services/payments/portal.py,
collection.py, settlement.py) run on the in-memory unit of work: no HTTP, no moto, the simulated
gateway. The repository contract (tests/contract) holds the in-memory repositories to the DynamoDB
ones; the functional tests drive the same rules through the API."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.domain.account_summary import SummaryChange
from chalicelib.domain.documents import InvoiceStatus
from chalicelib.domain.errors import BusinessRuleViolation, Throttled
from chalicelib.domain.money import Money
from chalicelib.domain.payments import PaymentStatus
from chalicelib.gateways.payments import ChargeResult
from chalicelib.handlers.admin.refunds import refund_answer
from chalicelib.handlers.portal.payments import payment_answer
from chalicelib.services.payments import portal, refunds, settlement
from chalicelib.services.payments.commands import PayInvoices
from tests.support.domain_builders import NOW, an_invoice
from tests.support.fast_services import MemoryAdapters, a_merchant_with_a_customer

ORG, CUSTOMER = "org_acme", "cus_globex"


def an_open_invoice(adapters: MemoryAdapters, total_minor: int = 10_000, **changes):
    """An invoice Globex owes, counted in its account summary as issuing it would count it."""
    invoice = adapters.uow.invoices.add(ORG, an_invoice(total_minor, **changes))
    with adapters.uow.transaction("invoice") as tx:
        adapters.uow.account_summaries.apply_in(tx, ORG, CUSTOMER, "USD", SummaryChange(
            outstanding_count=1, outstanding_minor=invoice.balance_minor))
    return invoice


def pay(adapters: MemoryAdapters, invoice, *, card: str = "pm_card_visa", key: str = "key-1", **choices) -> dict:
    command = PayInvoices(card, (invoice.invoice_id,), **choices)
    return portal.pay(adapters, ORG, CUSTOMER, command, idempotency_key=key, now=adapters.now(), wire=payment_answer)


def invoice_now(adapters: MemoryAdapters, invoice):
    return adapters.uow.invoices.get(ORG, CUSTOMER, invoice.invoice_id)


def claims_on(adapters: MemoryAdapters, invoice) -> dict:
    return adapters.uow.payments.state(ORG, CUSTOMER, claim_ids=[invoice.invoice_id]).claims


def templates_sent(adapters: MemoryAdapters) -> list[str]:
    return sorted(record.template for record in adapters.uow.tables["emails"].values())


# -- paying one invoice -------------------------------------------------------------------------

def test_paying_an_invoice_settles_it_in_full_and_tells_the_customer_and_the_merchant():
    adapters = a_merchant_with_a_customer()
    invoice = an_open_invoice(adapters)

    answer = pay(adapters, invoice)

    assert (answer["status"], answer["amount_minor"]) == ("succeeded", 10_000)
    paid = invoice_now(adapters, invoice)
    assert (paid.status, paid.balance_minor, paid.paid_at) == (InvoiceStatus.PAID, 0, NOW)
    assert claims_on(adapters, invoice) == {}
    summary = adapters.uow.account_summaries.get(ORG, CUSTOMER, "USD")
    assert (summary.outstanding_count, summary.outstanding_minor, summary.last_payment_id) == (
        0, 0, answer["payment_id"])
    assert templates_sent(adapters) == ["merchant_notification", "payment_receipt"]
    assert [e.kind for e in adapters.uow.ledger.entries_before(ORG, CUSTOMER, NOW + timedelta(seconds=1))] == [
        "payment"]


def test_a_retried_request_answers_the_first_payment_and_charges_once():
    adapters = a_merchant_with_a_customer()
    invoice = an_open_invoice(adapters)

    first = pay(adapters, invoice, key="same-key")
    again = pay(adapters, invoice, key="same-key")

    assert again == first
    assert len(adapters.uow.payments.page(ORG, CUSTOMER, limit=10, cursor=None).items) == 1


def test_an_invoice_paid_already_is_not_paid_again_with_a_new_key():
    adapters = a_merchant_with_a_customer()
    invoice = an_open_invoice(adapters)
    pay(adapters, invoice, key="first")

    with pytest.raises(BusinessRuleViolation) as refused:
        pay(adapters, invoice, key="second")

    assert refused.value.code == "invoice_not_outstanding"


# -- a partial payment --------------------------------------------------------------------------

def test_a_part_payment_leaves_the_rest_owed():
    adapters = a_merchant_with_a_customer()
    invoice = an_open_invoice(adapters)

    answer = pay(adapters, invoice, amount_minor=4_000)

    left = invoice_now(adapters, invoice)
    assert answer["status"] == "succeeded"
    assert (left.status, left.amount_paid_minor, left.balance_minor) == (InvoiceStatus.PARTIALLY_PAID, 4_000, 6_000)
    summary = adapters.uow.account_summaries.get(ORG, CUSTOMER, "USD")
    assert (summary.outstanding_count, summary.outstanding_minor) == (1, 6_000)


# -- refusals -----------------------------------------------------------------------------------

def test_a_declined_card_leaves_the_invoice_owed_and_free_for_another_payment():
    adapters = a_merchant_with_a_customer()
    invoice = an_open_invoice(adapters)

    answer = pay(adapters, invoice, card="pm_card_chargeDeclined")

    assert (answer["status"], answer["failure_code"]) == ("failed", "card_declined")
    assert invoice_now(adapters, invoice).status == InvoiceStatus.OPEN
    assert claims_on(adapters, invoice) == {}
    assert pay(adapters, invoice, key="with-another-card")["status"] == "succeeded"


def test_the_customers_payments_beyond_the_hourly_limit_are_refused_before_the_gateway_sees_them():
    adapters = a_merchant_with_a_customer()
    adapters.settings = replace(adapters.settings, rate_limit_overrides={"payment_customer": 1})
    first, second = an_open_invoice(adapters), an_open_invoice(adapters, number="INV-000002")
    pay(adapters, first, key="one")

    with pytest.raises(Throttled):
        pay(adapters, second, key="two")

    assert invoice_now(adapters, second).status == InvoiceStatus.OPEN
    assert claims_on(adapters, second) == {}


def test_after_the_failed_payments_allowed_the_customers_next_payment_is_refused():
    adapters = a_merchant_with_a_customer()
    adapters.settings = replace(adapters.settings, rate_limit_overrides={"payment_failure_customer": 2})
    invoice = an_open_invoice(adapters)
    for attempt in range(2):
        pay(adapters, invoice, card="pm_card_chargeDeclined", key=f"declined-{attempt}")

    with pytest.raises(Throttled):
        pay(adapters, invoice, key="good-card")


# -- outcomes the gateway reports later (webhooks) ------------------------------------------------

def a_payment_waiting_for_authentication(adapters: MemoryAdapters, invoice):
    answer = pay(adapters, invoice, card="pm_card_authenticationRequired")
    assert answer["status"] == "requires_action"
    return adapters.uow.payments.get(ORG, CUSTOMER, answer["payment_id"])


def succeeded_at_the_gateway(payment) -> ChargeResult:
    return ChargeResult("succeeded", payment.gateway_payment_id, Money(payment.amount_minor, payment.currency))


def test_a_webhook_delivered_twice_settles_the_payment_once():
    adapters = a_merchant_with_a_customer()
    invoice = an_open_invoice(adapters)
    waiting = a_payment_waiting_for_authentication(adapters, invoice)
    event = settlement.Event("evt_1", "payment_intent.succeeded")

    first = settlement.record(adapters, ORG, waiting, succeeded_at_the_gateway(waiting), NOW, event=event)
    again = settlement.record(adapters, ORG, waiting, succeeded_at_the_gateway(waiting), NOW, event=event)

    assert first.status == again.status == PaymentStatus.SUCCEEDED
    assert again.version == first.version   # nothing written the second time
    assert invoice_now(adapters, invoice).amount_paid_minor == 10_000
    assert adapters.uow.webhook_events.seen("evt_1")
    assert templates_sent(adapters) == ["merchant_notification", "payment_receipt"]


def test_a_failure_reported_after_the_success_changes_nothing():
    adapters = a_merchant_with_a_customer()
    invoice = an_open_invoice(adapters)
    waiting = a_payment_waiting_for_authentication(adapters, invoice)
    settlement.record(adapters, ORG, waiting, succeeded_at_the_gateway(waiting), NOW,
                      event=settlement.Event("evt_ok", "payment_intent.succeeded"))

    late = settlement.record(adapters, ORG, waiting, ChargeResult(
        "failed", waiting.gateway_payment_id, Money(10_000, "USD"), failure_code="card_declined"), NOW,
        event=settlement.Event("evt_late", "payment_intent.payment_failed"))

    assert late.status == PaymentStatus.SUCCEEDED
    assert invoice_now(adapters, invoice).status == InvoiceStatus.PAID
    assert adapters.uow.webhook_events.seen("evt_late")


def test_money_for_an_invoice_paid_meanwhile_is_kept_as_the_customers_credit():
    adapters = a_merchant_with_a_customer()
    invoice = an_open_invoice(adapters)
    waiting = a_payment_waiting_for_authentication(adapters, invoice)
    current = invoice_now(adapters, invoice)
    adapters.uow.invoices.save(ORG, replace(current, status=InvoiceStatus.PAID, amount_paid_minor=10_000, paid_at=NOW))

    done = settlement.record(adapters, ORG, waiting, succeeded_at_the_gateway(waiting), NOW)

    credit = adapters.uow.credit_notes.get(ORG, CUSTOMER, done.overpayment_credit_note_id)
    assert (done.status, credit.balance_minor, credit.kind.value) == (PaymentStatus.SUCCEEDED, 10_000, "overpayment")


# -- the merchant's refunds -----------------------------------------------------------------------

def refund(adapters: MemoryAdapters, payment_id: str, amount_minor: int | None, *, key: str) -> dict:
    return refunds.refund(adapters, ORG, CUSTOMER, payment_id, amount_minor=amount_minor, reason="Goodwill",
                          idempotency_key=key, now=NOW, wire=refund_answer)


def test_a_refund_retried_with_its_key_gives_back_once_and_is_documented_by_a_credit_note():
    adapters = a_merchant_with_a_customer()
    paid = pay(adapters, an_open_invoice(adapters))

    first = refund(adapters, paid["payment_id"], 2_500, key="refund-1")
    again = refund(adapters, paid["payment_id"], 2_500, key="refund-1")

    assert again == first
    payment = adapters.uow.payments.get(ORG, CUSTOMER, paid["payment_id"])
    assert payment.refunded_minor == 2_500
    note = adapters.uow.credit_notes.get(ORG, CUSTOMER, first["credit_note"]["credit_note_id"])
    assert (note.kind.value, note.total_minor) == ("refund", 2_500)


def test_no_more_is_given_back_than_was_paid():
    adapters = a_merchant_with_a_customer()
    paid = pay(adapters, an_open_invoice(adapters))
    refund(adapters, paid["payment_id"], None, key="all-of-it")

    with pytest.raises(BusinessRuleViolation):
        refund(adapters, paid["payment_id"], 100, key="one-more")

    assert adapters.uow.payments.get(ORG, CUSTOMER, paid["payment_id"]).refunded_minor == 10_000
