"""The repository contract: the same behaviour from the DynamoDB repositories (PynamoDB over moto) and
from the in-memory ones the fast service tests use (tests/support/memory_uow.py), so that what a
service test proves in memory holds against the tables. Each test runs once against each."""
from __future__ import annotations

import inspect
from dataclasses import replace
from datetime import date, timedelta

import pytest

from chalicelib.domain.account_summary import SummaryChange
from chalicelib.domain.documents import CreditNoteStatus, InvoiceStatus
from chalicelib.domain.engagement import ActivityRecord, Actor
from chalicelib.domain.errors import ConcurrentUpdate, InvalidInput, NotFound
from chalicelib.domain.ids import new_id
from chalicelib.domain.money import Money
from chalicelib.domain.payment_plans import MethodToSave, PaymentPlan, RefundPlan
from chalicelib.domain.payments import PaymentMethod, PaymentStatus
from chalicelib.domain.statement import Balance, LedgerEntry, LedgerSince
from chalicelib.services import repositories
from tests.support.domain_builders import (NOW, a_credit_note, a_customer, a_payment, a_subscription, an_invoice,
                                          an_organization)
from tests.support.memory_uow import MemoryUnitOfWork

ORG, GLOBEX, INITECH = "org_acme", "cus_globex", "cus_initech"


@pytest.fixture(params=["dynamo", "memory"])
def uow(request):
    """Each implementation, holding Acme Cloud with two customers, Globex and Initech."""
    if request.param == "memory":
        books = MemoryUnitOfWork()
    else:
        request.getfixturevalue("aws")
        from chalicelib.tables.unit_of_work import DynamoUnitOfWork
        books = DynamoUnitOfWork()
    books.organizations.add(an_organization(ORG))
    books.customers.add(ORG, a_customer(GLOBEX))
    books.customers.add(ORG, a_customer(INITECH, display_name="Initech"))
    return books


def an_invoice_of(uow, customer_id: str = GLOBEX, total_minor: int = 10_000, **changes):
    return uow.invoices.add(ORG, an_invoice(total_minor, customer_id=customer_id, **changes))


def paid(invoice, amount_minor: int | None = None):
    amount = invoice.balance_minor if amount_minor is None else amount_minor
    left = invoice.balance_minor - amount
    return replace(invoice, amount_paid_minor=invoice.amount_paid_minor + amount, paid_at=NOW if not left else None,
                   status=InvoiceStatus.PAID if not left else InvoiceStatus.PARTIALLY_PAID)


# -- both implementations have every method the interfaces name ---------------------------------------

INTERFACES = {name: interface for name, interface in inspect.get_annotations(repositories.PaymentsUnitOfWork).items()}


@pytest.mark.parametrize("name", sorted(INTERFACES))
def test_each_repository_offers_what_its_interface_names_with_the_same_parameters(name):
    interface = getattr(repositories, INTERFACES[name])
    dynamo = _dynamo_repository_class(name)
    memory = type(getattr(MemoryUnitOfWork(), name))
    for method in _methods(interface):
        wanted = _parameters(getattr(interface, method))
        assert _parameters(getattr(dynamo, method)) == wanted, f"DynamoDB {name}.{method}"
        assert _parameters(getattr(memory, method)) == wanted, f"in-memory {name}.{method}"


def _dynamo_repository_class(name: str):
    import importlib

    from chalicelib.tables.unit_of_work import REPOSITORIES
    module, class_name, _ = REPOSITORIES[name]
    return getattr(importlib.import_module(f"chalicelib.tables.{module}"), class_name)


def _methods(interface) -> list[str]:
    return [name for klass in interface.__mro__ if klass.__module__ == repositories.__name__
            for name, value in vars(klass).items() if inspect.isfunction(value) and not name.startswith("_")]


def _parameters(function) -> list[tuple[str, object]]:
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values() if p.name != "self"]


# -- put, get, scoped reads ---------------------------------------------------------------------------

def test_a_document_added_is_read_back_at_its_first_version(uow):
    invoice = an_invoice_of(uow)

    found = uow.invoices.get(ORG, GLOBEX, invoice.invoice_id)

    assert found == invoice and found.version == 1


def test_another_customers_document_is_not_found_like_a_missing_one(uow):
    invoice = an_invoice_of(uow, INITECH)

    with pytest.raises(NotFound):
        uow.invoices.get(ORG, GLOBEX, invoice.invoice_id)
    with pytest.raises(NotFound):
        uow.invoices.with_parties(ORG, GLOBEX, invoice.invoice_id)
    assert uow.invoices.get_many(ORG, GLOBEX, [invoice.invoice_id]) == {}


def test_a_payment_read_with_its_state_leaves_out_another_customers_invoices_and_claims(uow):
    theirs = an_invoice_of(uow, INITECH)

    state = uow.payments.state(ORG, GLOBEX, org=True, customer=True, invoice_ids=[theirs.invoice_id],
                               claim_ids=[theirs.invoice_id])

    assert (state.org.org_id, state.customer.customer_id) == (ORG, GLOBEX)
    assert state.invoices == {} and state.claims == {} and state.plan is None


def test_reading_a_missing_payment_with_its_state_is_not_found(uow):
    with pytest.raises(NotFound):
        uow.payments.state(ORG, GLOBEX, org=True, payment_id="pay_missing")


# -- conditional writes -------------------------------------------------------------------------------

def test_a_document_written_back_on_a_version_someone_else_moved_on_is_refused(uow):
    invoice = an_invoice_of(uow)
    uow.invoices.save(ORG, replace(invoice, notes="first"))

    with pytest.raises(ConcurrentUpdate):
        uow.invoices.save(ORG, replace(invoice, notes="second"))
    assert uow.invoices.get(ORG, GLOBEX, invoice.invoice_id).notes == "first"


def test_a_new_document_is_not_written_over_one_with_its_id(uow):
    invoice = an_invoice_of(uow)

    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("invoice") as tx:
            uow.invoices.save_in(tx, ORG, replace(invoice, version=None, notes="again"), before=None, now=NOW)

    assert uow.invoices.get(ORG, GLOBEX, invoice.invoice_id).notes == ""


def test_a_document_added_under_an_id_taken_is_refused_and_the_first_kept(uow):
    invoice = an_invoice_of(uow)

    with pytest.raises(Exception):   # never happens with ids made by new_id: no domain error for it
        uow.invoices.add(ORG, replace(invoice, version=None, notes="a second one"))

    assert uow.invoices.get(ORG, GLOBEX, invoice.invoice_id).notes == ""


def test_an_invoice_is_claimed_by_one_payment_at_a_time_and_released_only_by_its_holder(uow):
    invoice = an_invoice_of(uow)
    with uow.transaction("invoice") as tx:
        uow.invoice_claims.claim_in(tx, ORG, GLOBEX, invoice.invoice_id, "pay_first", NOW)

    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("invoice") as tx:
            uow.invoice_claims.claim_in(tx, ORG, GLOBEX, invoice.invoice_id, "pay_second", NOW)
    uow.invoice_claims.release(ORG, GLOBEX, invoice.invoice_id, "pay_second")

    assert uow.payments.state(ORG, GLOBEX, claim_ids=[invoice.invoice_id]).claims == {invoice.invoice_id: "pay_first"}
    uow.invoice_claims.release(ORG, GLOBEX, invoice.invoice_id, "pay_first")
    assert uow.payments.state(ORG, GLOBEX, claim_ids=[invoice.invoice_id]).claims == {}


def test_a_claim_is_refused_on_an_invoice_that_changed_since_it_was_read(uow):
    read = an_invoice_of(uow)
    uow.invoices.save(ORG, paid(read, 4_000))

    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("invoice") as tx:
            uow.invoice_claims.claim_in(tx, ORG, GLOBEX, read.invoice_id, "pay_1", NOW)
            uow.invoice_claims.unchanged_in(tx, ORG, read)
    assert uow.payments.state(ORG, GLOBEX, claim_ids=[read.invoice_id]).claims == {}


def test_a_request_key_left_in_progress_long_ago_is_taken_again_and_a_recent_one_is_not(uow):
    key = uow.idempotency.request_key(ORG, GLOBEX, "portal_payment", "k-left")
    with uow.transaction("invoice") as tx:
        uow.idempotency.begin_in(tx, key, "hash-a", NOW)

    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("invoice") as tx:
            uow.idempotency.begin_in(tx, key, "hash-a", NOW + timedelta(seconds=89))
    with uow.transaction("invoice") as tx:
        uow.idempotency.begin_in(tx, key, "hash-a", NOW + timedelta(seconds=91))

    assert uow.idempotency.find(key).created_at == NOW + timedelta(seconds=91)


def test_a_request_key_is_taken_once_in_a_transaction_and_answers_what_was_kept(uow):
    key = uow.idempotency.request_key(ORG, GLOBEX, "portal_payment", "k-1")
    with uow.transaction("invoice") as tx:
        uow.idempotency.begin_in(tx, key, "hash-a", NOW)

    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("invoice") as tx:
            uow.idempotency.begin_in(tx, key, "hash-a", NOW)
    waiting = uow.payments.state(ORG, GLOBEX, request_key=key).request
    uow.idempotency.finish(key, 201, {"payment_id": "pay_1", "amount_minor": 10_000})
    done = uow.idempotency.find(key)

    assert (waiting.state, waiting.request_hash) == ("in_progress", "hash-a")
    assert (done.state, done.status_code, done.response) == ("done", 201, {"payment_id": "pay_1", "amount_minor": 10_000})
    uow.idempotency.release(key)   # an answered request keeps its key
    assert uow.idempotency.find(key) is not None
    assert uow.payments.state(ORG, GLOBEX, request_key=uow.idempotency.request_key(ORG, GLOBEX, "x", "k")).request is None


def test_a_number_is_taken_in_a_transaction_only_on_the_last_number_read(uow):
    class Taken(ConcurrentUpdate):
        def __init__(self, last: int):
            super().__init__("payment")
            self.last = last
    assert uow.payments.state(ORG, GLOBEX, sequences=["payment_seq"]).last_numbers == {"payment_seq": 0}
    with uow.transaction("payment") as tx:
        assert uow.sequences.take_in(tx, ORG, "payment_seq", last=0, taken=Taken) == 1

    with pytest.raises(Taken) as taken:
        with uow.transaction("payment") as tx:
            uow.sequences.take_in(tx, ORG, "payment_seq", last=0, taken=Taken)
    assert taken.value.last == 1
    with uow.transaction("payment") as tx:
        uow.sequences.take_in(tx, ORG, "payment_seq", last=1, taken=Taken)
    assert uow.sequences.last_number(ORG, "payment_seq") == 2
    assert uow.payments.state(ORG, GLOBEX, sequences=["payment_seq"]).last_numbers == {"payment_seq": 2}
    with uow.transaction("payment") as tx:   # two documents of one sequence: one update takes both
        assert uow.sequences.take_in(tx, ORG, "payment_seq", last=2, taken=Taken, count=2) == 3
    assert uow.sequences.last_number(ORG, "payment_seq") == 4

    # and a number taken meanwhile is told whatever else failed with it (the transaction is sent again)
    key = uow.idempotency.payment_key(ORG, GLOBEX, "portal", "k-numbered")
    with uow.transaction("payment") as tx:
        uow.idempotency.add_payment_plan_in(tx, key, PLAN, NOW)
    with pytest.raises(Taken) as taken:
        with uow.transaction("payment") as tx:
            uow.idempotency.add_payment_plan_in(tx, key, PLAN, NOW)
            uow.sequences.take_in(tx, ORG, "payment_seq", last=2, taken=Taken)
    assert taken.value.last == 4


def test_a_payment_key_is_bound_to_one_plan(uow):
    key = uow.idempotency.payment_key(ORG, GLOBEX, "portal", "k-3")
    with uow.transaction("invoice") as tx:
        uow.idempotency.add_payment_plan_in(tx, key, PLAN, NOW)

    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("invoice") as tx:
            uow.idempotency.add_payment_plan_in(tx, key, PaymentPlan("pay_2"), NOW)
    assert uow.idempotency.payment_plan(key) == PLAN
    assert uow.payments.state(ORG, GLOBEX, payment_key=key).plan == PLAN


PLAN = PaymentPlan("pay_1", ("inv_1",), (("inv_1", "cn_1", 500),), MethodToSave(
    "pm_1", new=True, gateway="simulated", gateway_method_id="pm_card_visa", brand="visa", last4="4242", exp_month=12,
    exp_year=2030), gateway_customer_id="cus_g1", gateway_method_id="pm_card_visa", off_session=False,
    gateway_key="charge:pay_1", description="Invoice INV-1")


def test_a_payment_is_refunded_by_one_request_at_a_time_and_its_answer_kept(uow):
    invoice = an_invoice_of(uow)
    payment = a_payment(invoice)
    with uow.transaction("invoice") as tx:
        uow.payments.save_in(tx, ORG, payment, before=None, now=NOW)
    first, second = (uow.refund_requests.request_key(ORG, GLOBEX, k) for k in ("refund-1", "refund-2"))
    fresh = uow.refund_requests.read(ORG, GLOBEX, payment.payment_id, first)
    with uow.transaction("refund") as tx:
        uow.refund_requests.start_in(tx, ORG, GLOBEX, payment.payment_id, first, "hash-1", RefundPlan(500, 0),
                                     NOW, stale=fresh)

    with pytest.raises(ConcurrentUpdate):   # another key, on what was read before the first started
        with uow.transaction("refund") as tx:
            uow.refund_requests.start_in(tx, ORG, GLOBEX, payment.payment_id, second, "hash-2", RefundPlan(500, 0), NOW,
                                         stale=fresh)
    running = uow.refund_requests.read(ORG, GLOBEX, payment.payment_id, first)
    with uow.transaction("refund") as tx:
        uow.refund_requests.finish_in(tx, ORG, GLOBEX, payment.payment_id, first, {"refunded_minor": 500})
    done = uow.refund_requests.read(ORG, GLOBEX, payment.payment_id, first)

    assert (running.request.state, running.request.response, running.claim.request_key) == (
        "in_progress", {"amount_minor": 500, "refunded_before": 0}, first)
    assert (done.request.state, done.request.response, done.claim) == ("done", {"refunded_minor": 500}, None)
    with pytest.raises(NotFound):
        uow.refund_requests.read(ORG, INITECH, payment.payment_id, first)


def test_a_webhook_event_takes_effect_once(uow):
    with uow.transaction("payment") as tx:
        uow.webhook_events.record_in(tx, "evt_1", "payment_intent.succeeded", NOW)

    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("payment") as tx:
            uow.webhook_events.record_in(tx, "evt_1", "payment_intent.succeeded", NOW)
    assert uow.webhook_events.record("evt_1", "payment_intent.succeeded", NOW) is False
    assert uow.webhook_events.record("evt_2", "charge.refunded", NOW) is True
    assert uow.webhook_events.seen("evt_2")


def test_a_counter_counts_up_to_its_limit_and_no_further(uow):
    counts = [uow.rate_counters.count_up_to("payments#cus", max_events=2, expires_at=NOW + timedelta(hours=1))
              for _ in range(3)]

    assert counts == [1, 2, None]


# -- transactions: all or nothing ---------------------------------------------------------------------

def test_a_transaction_with_one_failed_condition_writes_nothing(uow):
    invoice = an_invoice_of(uow)
    uow.invoices.save(ORG, replace(invoice, notes="moved on"))
    payment = a_payment(invoice)

    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("invoice") as tx:
            uow.payments.save_in(tx, ORG, replace(payment, status=PaymentStatus.SUCCEEDED, succeeded_at=NOW),
                                 before=payment, now=NOW)
            uow.webhook_events.record_in(tx, "evt_9", "payment_intent.succeeded", NOW)
            uow.invoices.save_in(tx, ORG, paid(invoice), before=invoice, now=NOW)

    with pytest.raises(NotFound):
        uow.payments.get(ORG, GLOBEX, payment.payment_id)
    assert not uow.webhook_events.seen("evt_9")
    assert uow.ledger.is_empty(ORG, GLOBEX)


def test_a_committed_transaction_writes_every_item_with_its_ledger_entries(uow):
    invoice = an_invoice_of(uow)
    pending = a_payment(invoice)
    with uow.transaction("invoice") as tx:
        item = uow.payments.save_in(tx, ORG, pending, before=None, now=NOW)
    pending = uow.payments.saved(item)
    done = replace(pending, status=PaymentStatus.SUCCEEDED, succeeded_at=NOW)

    with uow.transaction("invoice") as tx:
        written = uow.payments.save_in(tx, ORG, done, before=pending, now=NOW,
                                       invoice_numbers={invoice.invoice_id: invoice.number})
        uow.invoices.save_in(tx, ORG, paid(invoice), before=invoice, now=NOW)

    assert uow.payments.saved(written) == uow.payments.get(ORG, GLOBEX, pending.payment_id)
    assert uow.payments.get(ORG, GLOBEX, pending.payment_id).version == 2
    assert uow.invoices.get(ORG, GLOBEX, invoice.invoice_id).status == InvoiceStatus.PAID
    assert [e.kind for e in uow.ledger.entries_before(ORG, GLOBEX, NOW + timedelta(seconds=1))] == ["payment"]


def test_a_transaction_may_not_touch_one_item_twice(uow):
    invoice = an_invoice_of(uow)

    with pytest.raises(Exception) as refused:
        with uow.transaction("invoice") as tx:
            uow.invoices.save_in(tx, ORG, replace(invoice, notes="one"), before=invoice, now=NOW)
            uow.invoice_claims.unchanged_in(tx, ORG, invoice)

    assert not isinstance(refused.value, ConcurrentUpdate)   # a mistake in the code, not a race
    assert uow.invoices.get(ORG, GLOBEX, invoice.invoice_id).notes == ""


def test_ledger_entries_take_one_more_item_per_currency_their_balance(uow):
    # Given three entries in two currencies, written in one transaction
    entries = [an_entry("invoice", 5_000, "inv_1"), an_entry("invoice", 2_000, "inv_2"),
               an_entry("invoice", 900, "inv_3", currency="JPY")]

    with uow.transaction("invoice") as tx:
        uow.ledger.record_in(tx, ORG, GLOBEX, entries)

        # Then the transaction holds five items: the entries, and each currency's balance once
        assert tx.item_count() == 5

    # And the balances count them, not yet trusted (no marker)
    assert uow.ledger.balances(ORG, GLOBEX) == ({"USD": Balance(7_000, 2), "JPY": Balance(900, 1)}, False)
    assert not uow.ledger.since(ORG, GLOBEX, NOW).counts_every_entry


def test_a_marked_ledger_answers_the_entries_since_an_instant_with_every_balance(uow):
    # Given an entry a day before an instant, one exactly at it, and the customer's marker
    with uow.transaction("invoice") as tx:
        uow.ledger.record_in(tx, ORG, GLOBEX, [an_entry("invoice", 5_000, "inv_1", at=NOW - timedelta(days=1)),
                                               an_entry("payment", -3_000, "pay_1", at=NOW)])
    uow.ledger.mark_balances_complete(ORG, GLOBEX)

    # When the entries since that instant are read
    since = uow.ledger.since(ORG, GLOBEX, NOW)

    # Then they are the one at it, with the balance of both; another customer's are not there
    assert [e.reference for e in since.entries] == ["pay_1"] and since.balances == {"USD": Balance(2_000, 2)}
    assert since.counts_every_entry
    assert uow.ledger.since(ORG, INITECH, NOW) == LedgerSince([], {}, False) and uow.ledger.balances(ORG, INITECH) == ({}, False)
    assert not uow.ledger.is_empty(ORG, GLOBEX)


def an_entry(kind: str, minor: int, reference: str, *, currency: str = "USD", at=NOW) -> LedgerEntry:
    return LedgerEntry(at, kind, reference, reference, Money(minor, currency))


def test_summary_changes_add_up_and_list_the_open_credit_notes(uow):
    with uow.transaction("invoice") as tx:
        uow.account_summaries.apply_in(tx, ORG, GLOBEX, "USD", SummaryChange(
            outstanding_count=2, outstanding_minor=15_000, credits_minor=2_000,
            credit_notes_opened=frozenset({"cn_1", "cn_2"})))
    with uow.transaction("payment") as tx:
        uow.account_summaries.apply_in(tx, ORG, GLOBEX, "USD", SummaryChange(
            outstanding_count=-1, outstanding_minor=-10_000, credits_minor=-500,
            credit_notes_closed=frozenset({"cn_1"})), last_payment=("pay_1", 10_000, NOW, "inv_1"))

    summary = uow.account_summaries.get(ORG, GLOBEX, "USD")

    assert (summary.outstanding_count, summary.outstanding_minor, summary.credits_minor) == (1, 5_000, 1_500)
    assert summary.open_credit_note_ids == {"cn_2"}
    assert (summary.last_payment_id, summary.last_payment_minor, summary.last_payment_invoice_id) == (
        "pay_1", 10_000, "inv_1")
    assert uow.account_summaries.get(ORG, INITECH, "EUR").outstanding_count == 0


def a_card(payment_method_id: str, *, minutes: int = 0, is_default: bool = False) -> PaymentMethod:
    return PaymentMethod(payment_method_id, GLOBEX, "simulated", f"pm_sim_{payment_method_id}", "visa", "4242", 12,
                         2030, NOW + timedelta(minutes=minutes), is_default=is_default)


def test_the_methods_mirror_is_written_whole_on_its_version_and_a_payments_card_is_appended(uow):
    # Given a customer created now (an empty mirror), a card added with the mirror written whole
    uow.account_summaries.start(ORG, GLOBEX, "USD")
    assert uow.account_summaries.mirrored_methods(ORG, GLOBEX) == ()
    read = uow.account_summaries.mirror_read(ORG, GLOBEX)
    first = a_card("pm_a", is_default=True)
    with uow.transaction("payment method") as tx:
        uow.payment_methods.put_in(tx, ORG, first)
        uow.account_summaries.mirror_in(tx, ORG, GLOBEX, read, "USD", [], put=(first,))
    # When a payment saves another card, appended with its figures
    second = a_card("pm_b", minutes=1)
    with uow.transaction("invoice") as tx:
        uow.payment_methods.put_in(tx, ORG, second)
        uow.account_summaries.apply_in(tx, ORG, GLOBEX, "USD", SummaryChange(outstanding_count=1),
                                       new_method=second)

    # Then the mirror holds both, as their table does, and the figures moved
    assert uow.account_summaries.mirrored_methods(ORG, GLOBEX) == tuple(uow.payment_methods.of_customer(ORG, GLOBEX))
    assert len(uow.account_summaries.mirrored_methods(ORG, GLOBEX)) == 2
    assert uow.account_summaries.get(ORG, GLOBEX, "USD").outstanding_count == 1
    # And a whole write prepared on the version read before the payment is refused, writing nothing
    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("payment method") as tx:
            uow.account_summaries.mirror_in(tx, ORG, GLOBEX, read, "USD", [])
    assert len(uow.account_summaries.mirrored_methods(ORG, GLOBEX)) == 2


def test_a_summary_not_mirrored_is_not_trusted_until_written_whole(uow):
    # Given a summary written by figures alone, then a payment's card appended
    card = a_card("pm_a", is_default=True)
    with uow.transaction("invoice") as tx:
        uow.account_summaries.apply_in(tx, ORG, GLOBEX, "USD", SummaryChange(outstanding_count=1))
    with uow.transaction("invoice") as tx:
        uow.payment_methods.put_in(tx, ORG, card)
        uow.account_summaries.apply_in(tx, ORG, GLOBEX, "USD", SummaryChange(), new_method=card)
    uow.account_summaries.start(ORG, GLOBEX, "USD")    # too late: the summary exists

    assert uow.account_summaries.mirrored_methods(ORG, GLOBEX) is None
    assert uow.account_summaries.get(ORG, GLOBEX, "USD").payment_methods is None

    # When the mirror is written whole on its version read, before the methods
    read = uow.account_summaries.mirror_read(ORG, GLOBEX)
    kept = uow.payment_methods.of_customer(ORG, GLOBEX)
    with uow.transaction("payment method") as tx:
        uow.account_summaries.mirror_in(tx, ORG, GLOBEX, read, "USD", kept)

    # Then it is trusted, and a customer without any summary has none
    assert uow.account_summaries.mirrored_methods(ORG, GLOBEX) == tuple(kept)
    assert uow.account_summaries.mirrored_methods(ORG, INITECH) is None


# -- lists: order and pages ---------------------------------------------------------------------------

def test_payments_list_newest_first_a_page_at_a_time(uow):
    invoice = an_invoice_of(uow)
    made = []
    for minutes in range(3):
        payment = a_payment(invoice, amount_minor=1_000, at=NOW + timedelta(minutes=minutes))
        with uow.transaction("invoice") as tx:
            uow.payments.save_in(tx, ORG, payment, before=None, now=NOW)
        made.append(payment.payment_id)

    first = uow.payments.page(ORG, GLOBEX, limit=2, cursor=None)
    second = uow.payments.page(ORG, GLOBEX, limit=2, cursor=first.next_cursor)

    assert [p.payment_id for p in first.items + second.items] == made[::-1]
    assert first.next_cursor and second.next_cursor is None


def test_a_cursor_given_to_one_customer_is_refused_for_another(uow):
    invoice = an_invoice_of(uow)
    for minutes in range(2):
        with uow.transaction("invoice") as tx:
            uow.payments.save_in(tx, ORG, a_payment(invoice, at=NOW + timedelta(minutes=minutes)), before=None,
                                 now=NOW)
    cursor = uow.payments.page(ORG, GLOBEX, limit=1, cursor=None).next_cursor

    with pytest.raises(InvalidInput):
        uow.payments.page(ORG, INITECH, limit=1, cursor=cursor)


def test_outstanding_invoices_come_oldest_due_first_without_those_paid(uow):
    later = an_invoice_of(uow, due_on=date(2026, 12, 20), number="INV-000002")
    sooner = an_invoice_of(uow, due_on=date(2026, 12, 5), number="INV-000003")
    settled = an_invoice_of(uow, due_on=date(2026, 12, 1), number="INV-000004")
    uow.invoices.save(ORG, paid(settled))

    assert [i.number for i in uow.invoices.outstanding(ORG, GLOBEX)] == [sooner.number, later.number]


def test_open_credit_notes_are_listed_by_status(uow):
    kept = uow.credit_notes.add(ORG, a_credit_note())
    uow.credit_notes.add(ORG, a_credit_note(number="CN-000002", status=CreditNoteStatus.CLOSED, balance_minor=0))

    assert [n.credit_note_id for n in uow.credit_notes.all_in_status(ORG, GLOBEX, "open")] == [kept.credit_note_id]


def test_the_timeline_lists_newest_first(uow):
    ids = [new_id("activity", NOW + timedelta(seconds=s)) for s in range(3)]
    for activity_id in ids:
        uow.activity.record(ORG, ActivityRecord(activity_id, GLOBEX, Actor("customer", GLOBEX), "payment.succeeded",
                                                "payment", "pay_1", NOW))

    assert [r.activity_id for r in uow.activity.page(ORG, GLOBEX, limit=10, cursor=None).items] == ids[::-1]


def test_a_subscription_is_read_with_its_organization_and_another_customers_is_missing(uow):
    sub = uow.subscriptions.add(ORG, a_subscription(customer_id=GLOBEX), clock="live")

    org, found = uow.subscriptions.with_organization(ORG, GLOBEX, sub.subscription_id, consistent=False)
    assert (org.org_id, found) == (ORG, sub)
    assert uow.subscriptions.with_organization(ORG, INITECH, sub.subscription_id)[1] is None
    with pytest.raises(NotFound):
        uow.subscriptions.with_organization("org_other", GLOBEX, sub.subscription_id)


def test_the_credit_notes_of_a_subscription_are_those_issued_for_it_alone(uow):
    # Given two notes for one subscription, one for another, and one of the customer's own
    ours = [uow.credit_notes.add(ORG, a_credit_note(number=f"CN-00000{n}", subscription_id="sub_a")) for n in (1, 2)]
    uow.credit_notes.add(ORG, a_credit_note(number="CN-000003", subscription_id="sub_b"))
    uow.credit_notes.add(ORG, a_credit_note(number="CN-000004"))

    # Then the subscription's are its two
    found = uow.credit_notes.of_subscription(ORG, GLOBEX, "sub_a")
    assert sorted(n.number for n in found) == [n.number for n in ours]



def test_a_write_judged_on_a_subscription_as_read_fails_once_it_changed_and_writes_nothing(uow):
    # Given an open invoice, and a subscription read, then changed by another write
    invoice = an_invoice_of(uow)
    read = uow.subscriptions.add(ORG, a_subscription(customer_id=GLOBEX), clock="live")
    with uow.transaction("subscription") as tx:
        uow.subscriptions.put_in(tx, ORG, replace(read, reference="changed meanwhile"), clock="live")

    # When a transaction writes the invoice on the condition that the subscription is as read
    # Then it fails as a lost race and writes nothing
    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("invoice") as tx:
            uow.invoices.save_in(tx, ORG, paid(invoice), before=invoice, now=NOW)
            uow.subscriptions.unchanged_in(tx, ORG, read)
    assert uow.invoices.get(ORG, GLOBEX, invoice.invoice_id).status == invoice.status

    # And on the subscription as it stands now, it goes through
    with uow.transaction("invoice") as tx:
        uow.invoices.save_in(tx, ORG, paid(invoice), before=invoice, now=NOW)
        uow.subscriptions.unchanged_in(tx, ORG, uow.subscriptions.get(ORG, GLOBEX, read.subscription_id))
    assert uow.invoices.get(ORG, GLOBEX, invoice.invoice_id).status == InvoiceStatus.PAID
