"""Every document number (INV-, CN-, EST-, PAY-) is taken in the transaction that records its
document: a recording that fails takes none, so once it is recorded on a retry it has the next
number and each organization's sequences run 1..N without a gap (docs/billing.md, "Document
numbers"). Documents made at the same moment each get a number of their own, in turn."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, note, settings, strategies as st

from chalicelib.bootstrap import services
from chalicelib.services.documents.commands import NewDocumentLine
from chalicelib.services.payments import idempotency
from tests.support.api import NOW, Answer, client
from tests.support.aws import fresh_aws
from tests.support.concurrency import at_once, dynamodb_requests_one_at_a_time
from tests.support.faults import transactions_refused_from
from tests.support.subscriptions import TERM, Shop, a_shop


def numbers_of(org_id: str) -> dict[str, list[str]]:
    """Every document number of the organization, by kind (INV, CN, EST, PAY), in order (a Scan: tests only)."""
    from chalicelib.tables.credit_notes import CreditNoteItem
    from chalicelib.tables.estimates import EstimateItem
    from chalicelib.tables.invoices import InvoiceItem
    from chalicelib.tables.payments import PaymentItem
    found = defaultdict(list)
    for model in (InvoiceItem, CreditNoteItem, EstimateItem, PaymentItem):
        for item in model.scan(model.owner.startswith(f"{org_id}#")):
            if item.number:
                found[item.number.split("-")[0]].append(item.number)
    return {kind: sorted(numbers) for kind, numbers in found.items()}


def one_to(kind: str, n: int) -> list[str]:
    return [f"{kind}-{i:06d}" for i in range(1, n + 1)]


# --- what the merchant and the customer do, through the API ---------------------------------------

def an_invoice(shop: Shop, _=None) -> Answer:
    return shop.admin.post("/admin/invoices", {"customer_id": shop.zoe.customer_id, "lines": [
        {"description": "Consulting", "unit_price_minor": 10_000, "quantity": 1}]})


def a_credit_note(shop: Shop, _=None) -> Answer:
    return shop.admin.post("/admin/credit-notes", {"customer_id": shop.zoe.customer_id, "reason": "Goodwill",
                                                   "lines": [{"description": "Goodwill", "unit_price_minor": 500}]})


def an_estimate(shop: Shop, _=None) -> Answer:
    return shop.admin.post("/admin/estimates", {"customer_id": shop.zoe.customer_id, "lines": [
        {"description": "Data migration", "unit_price_minor": 250_000}]})


def a_merchant_payment(shop: Shop, invoice: dict) -> Answer:
    return shop.admin.post("/admin/payments", {"customer_id": shop.zoe.customer_id, "invoice_id": invoice["invoice_id"],
                                               "amount_minor": invoice["total_minor"]})


def a_live_subscription(shop: Shop, _=None) -> Answer:
    return shop.admin.post("/admin/subscriptions", {"customer_id": shop.zoe.customer_id, "plan_code": "pro",
                                                    "status": "live"})


def a_change_now(shop: Shop, sub: dict) -> Answer:
    return shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes", {"plan": "biz", "when": "now"})


def a_resume(shop: Shop, sub: dict) -> Answer:
    return shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/resume", {})


def a_refund(shop: Shop, payment: dict) -> Answer:
    return shop.admin.post(f"/admin/payments/{payment['payment_id']}/refunds",
                           {"customer_id": shop.zoe.customer_id, "amount_minor": 2_500},
                           headers={"Idempotency-Key": f"refund-{payment['payment_id']}"})


def nothing(shop: Shop):
    return None


def an_invoice_made(shop: Shop) -> dict:
    return an_invoice(shop).json


def a_paid_invoice(shop: Shop) -> dict:
    return a_merchant_payment(shop, an_invoice(shop).json).json


def a_live_term(shop: Shop) -> dict:
    return shop.subscription("live", **TERM)


def a_paused_term(shop: Shop) -> dict:
    return shop.subscription("paused", **TERM)


@dataclass(frozen=True)
class Recording:
    name: str
    given: Callable[[Shop], object]           # what the document needs first
    record: Callable[[Shop, object], Answer]  # the request that records it
    refused: int                              # which of the request's transactions DynamoDB refuses
    numbers: dict[str, list[str]]             # every number afterwards


RECORDINGS = [
    Recording("an invoice", nothing, an_invoice, 1, {"INV": one_to("INV", 1)}),
    Recording("a credit note", nothing, a_credit_note, 1, {"CN": one_to("CN", 1)}),
    Recording("an estimate", nothing, an_estimate, 1, {"EST": one_to("EST", 1)}),
    Recording("a merchant's payment", an_invoice_made, a_merchant_payment, 1,
              {"INV": one_to("INV", 1), "PAY": one_to("PAY", 1)}),
    Recording("a new subscription's first invoice", nothing, a_live_subscription, 1, {"INV": one_to("INV", 1)}),
    Recording("a change's credit note and invoice", a_live_term, a_change_now, 1,
              {"CN": one_to("CN", 1), "INV": one_to("INV", 1)}),
    Recording("a resumed subscription's invoice", a_paused_term, a_resume, 1, {"INV": one_to("INV", 1)}),
    Recording("a refund's credit note", a_paid_invoice, a_refund, 2,
              {"INV": one_to("INV", 1), "PAY": one_to("PAY", 1), "CN": one_to("CN", 1)}),
]


@pytest.mark.parametrize("recording", RECORDINGS, ids=[r.name for r in RECORDINGS])
def test_a_document_whose_recording_failed_takes_the_next_number_when_it_is_recorded(aws, monkeypatch, recording):
    with client() as c:
        # Given an organization with no document of that kind yet
        shop = a_shop(c)
        given = recording.given(shop)

        # When DynamoDB refuses the transaction that records it, and the request is sent again later
        faults = transactions_refused_from(monkeypatch, recording.refused)
        failed = recording.record(shop, given)
        faults.stop()
        shop.clock.advance(seconds=idempotency.LEASE.total_seconds() + 1)   # a refund's key is free again
        recorded = recording.record(shop, given)

        # Then the failed attempt took no number: the document has the first, and no sequence has a gap
        assert failed.status == 503, failed.json
        assert recorded.status in (200, 201), recorded.json
        assert numbers_of(shop.acme.org.org_id) == recording.numbers


def test_documents_recorded_at_the_same_moment_take_consecutive_numbers(aws, monkeypatch):
    dynamodb_requests_one_at_a_time(monkeypatch)
    with client() as c:
        # Given a customer of an organization with no documents yet
        shop = a_shop(c)
        org_id, customer_id = shop.acme.org.org_id, shop.zoe.customer_id
        lines = (NewDocumentLine("Consulting", 10_000),)

        # When the merchant's back office records six invoices, credit notes and estimates at once,
        # each having read the same last numbers
        def record(n: int):
            kind = (services().documents.create_invoice, services().documents.create_credit_note,
                    services().documents.create_estimate)[n % 3]
            return kind(org_id, customer_id, lines=lines, now=NOW + timedelta(milliseconds=n))
        answers = at_once(record, 6)

        # Then every one is recorded, with a number of its own: each sequence runs 1..2
        assert all(not isinstance(a, Exception) for a in answers), answers
        assert numbers_of(org_id) == {"INV": one_to("INV", 2), "CN": one_to("CN", 2), "EST": one_to("EST", 2)}


# --- any sequence of billing actions, some failing ---------------------------------------------------

class Books:
    """A merchant, Zoë's customer with a live term of Pro, and what the actions made so far."""

    def __init__(self, shop: Shop):
        self.shop, self.sub, self.plan = shop, a_live_term(shop), "pro"
        self.invoices, self.payments, self.keys = [], [], 0

    def subscribe(self) -> Answer:
        return a_live_subscription(self.shop)

    def change(self) -> Answer:
        plan = "biz" if self.plan == "pro" else "pro"
        answer = self.shop.portal.post(f"/portal/subscriptions/{self.sub['subscription_id']}/changes",
                                       {"plan": plan, "when": "now"})
        if answer.status == 200:
            self.plan = plan
        return answer

    def cancel(self) -> Answer:
        return self.shop.portal.post(f"/portal/subscriptions/{self.sub['subscription_id']}/cancel", {"when": "now"})

    def invoice(self) -> Answer:
        answer = an_invoice(self.shop)
        if answer.status == 201:
            self.invoices.append(answer.json)
        return answer

    def credit(self) -> Answer:
        return a_credit_note(self.shop)

    def estimate(self) -> Answer:
        return an_estimate(self.shop)

    def pay(self) -> Answer | None:
        if not self.invoices:
            return None
        answer = a_merchant_payment(self.shop, self.invoices[-1])
        if answer.status == 201:
            self.payments.append(answer.json)
        return answer

    def refund(self) -> Answer | None:
        if not self.payments:
            return None
        self.keys += 1
        return self.shop.admin.post(f"/admin/payments/{self.payments[-1]['payment_id']}/refunds",
                                    {"customer_id": self.shop.zoe.customer_id, "amount_minor": 1_000},
                                    headers={"Idempotency-Key": f"refund-{self.keys}"})


ACTIONS = ("subscribe", "change", "cancel", "invoice", "credit", "estimate", "pay", "refund")
STEPS = st.lists(st.tuples(st.sampled_from(ACTIONS), st.booleans()), min_size=3, max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS)
def test_any_billing_actions_some_failing_leave_every_sequence_numbered_one_to_n(steps):
    with fresh_aws(), client() as c, pytest.MonkeyPatch.context() as monkeypatch:
        # Given a merchant and a customer with a live subscription
        books = Books(a_shop(c))

        # When the merchant and the customer bill, pay, refund and credit in any order, some of
        # their requests failing because DynamoDB refuses the transaction that records them
        for name, fails in steps:
            faults = transactions_refused_from(monkeypatch, 1) if fails else None
            answer = getattr(books, name)()
            if faults is not None:
                faults.stop()
            note(f"{name}{' (refused)' if fails else ''}: {answer.status if answer else '-'}")
            assert answer is None or answer.status != 500, answer.json

        # Then each sequence's numbers are exactly 1..N: none used twice, none skipped
        numbers = numbers_of(books.shop.acme.org.org_id)
        note(str(numbers))
        assert numbers == {kind: one_to(kind, len(taken)) for kind, taken in numbers.items()}


def test_subscriptions_resumed_at_the_same_moment_take_consecutive_invoice_numbers(aws, monkeypatch):
    from chalicelib.services.subscriptions.commands import Caller
    dynamodb_requests_one_at_a_time(monkeypatch)
    with client() as c:
        # Given four paused subscriptions of one customer
        shop = a_shop(c)
        subs = [a_paused_term(shop) for _ in range(4)]
        caller = Caller(shop.acme.org.org_id, shop.zoe.customer_id, shop.zoe.contact["contact_id"])

        # When the customer resumes all four at once, each having read the same last invoice number
        answers = at_once(lambda n: services().subscriptions.resume(caller, subs[n]["subscription_id"], quote_id=None,
                                                                    now=NOW + timedelta(seconds=n)), 4)

        # Then each is resumed with an invoice of its own, INV-000001 to INV-000004
        assert all(not isinstance(a, Exception) for a in answers), answers
        assert numbers_of(shop.acme.org.org_id) == {"INV": one_to("INV", 4)}


def test_a_charge_taken_is_recorded_however_many_number_races_it_loses_first(aws, monkeypatch):
    from chalicelib.services import numbering
    from chalicelib.services.payments import settlement
    with client() as c:
        # Given an open invoice, and other payments of the organization taking the next payment number
        # first, more times in a row than a request's documents retry (sixteen renewals at once do)
        shop = a_shop(c)
        invoice = an_invoice(shop).json
        settle, lost = settlement._settle, []

        def losing_first(adapters, org_id, state, numbers, *rest):
            if len(lost) < numbering.NUMBER_ATTEMPTS + 5:
                lost.append(1)
                raise numbering.NumberTaken(numbering.PAYMENT_NUMBERS, 0)   # the sequence as it stands
            return settle(adapters, org_id, state, numbers, *rest)
        monkeypatch.setattr(settlement, "_settle", losing_first)
        monkeypatch.setattr(numbering, "JITTER_SECONDS", 0)

        # When Zoë pays it with her card
        paid = shop.portal.post("/portal/payments", {"invoice_ids": [invoice["invoice_id"]],
                                                     "payment_method": "pm_card_visa"},
                                headers={"Idempotency-Key": "pay-after-races"})

    # Then, those races lost, the payment is recorded with the sequence's next number
    assert len(lost) == numbering.NUMBER_ATTEMPTS + 5
    assert paid.status == 201 and paid.json["number"] == "PAY-000001", paid.json
