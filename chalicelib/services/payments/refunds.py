"""Refunds (domain/refunds.py): money given back from a payment, recorded against it and documented
for the customer, in one transaction: first by refunding the payment's overpayment credit, if it
left one open (domain/overpayments.py), then by a credit note refunded at once for the rest.

Two ways in, one way to record (`recorded`):
- Stripe's `charge.refunded` reports the charge's refunded total, in any order and any number of
  times: only what it adds to the payment's total is documented.
- The merchant refunds through the admin API (`refund`), once per Idempotency-Key:
  1. start: one transaction takes the key (with the refund's plan: its amount and the total it
     starts from) and the payment's refund claim, so no other refund of the payment starts meanwhile;
  2. the gateway refunds, with a key derived from the request's (a retry never refunds twice;
     a payment received offline is refunded by the merchant outside, so no gateway is asked);
  3. the refund is recorded as the total it started from plus its amount, with the answer kept and
     the claim released in the same transaction. A total Stripe reported meanwhile is not counted
     again: totals only ever raise what is recorded.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from ...domain import billing, paying
from ...domain.account_summary import SummaryChange, credit_note_moved
from ...domain.documents import CreditNote
from ...domain.engagement import ActivityRecord, Actor, Notification
from ...domain.errors import BusinessRuleViolation, ConcurrentUpdate, Conflict, InvalidInput
from ...domain.ids import new_id
from ...domain.money import Money
from ...domain.payment_plans import RefundPlan
from ...domain.payments import Payment, PaymentStatus
from ...domain.refunds import (PaymentNotRefundable, amount_to_refund, document_refund, refund_increase,
                               refund_note_needed)
from ...gateways.payments import ChargeResult, GatewayUnavailable, PaymentGatewayError
from ...tables.refund_requests import RefundRequest
from ..numbering import CREDIT_NOTE_NUMBERS, Numbers, NumberRaces, NumberTaken
from . import idempotency, settlement
from .settlement import Event

ATTEMPTS = 5          # re-read and try again when the payment changed under us
OFFLINE = "offline"   # recorded by the merchant (bank transfer, cheque): refunded outside, by them


class RefundInProgress(Conflict):
    code = "refund_in_progress"

    def __init__(self):
        super().__init__("Another refund of this payment is in progress; retry in a moment.")


class RefundPending(Conflict):
    code = "refund_pending"

    def __init__(self):
        super().__init__("The payment service has not answered yet; retry with the same Idempotency-Key "
                         "in a minute (nothing is refunded twice).")


@dataclass(frozen=True)
class Recorded:
    payment: Payment
    credit_note: CreditNote | None   # the refund note of what this report added (None: nothing, or all of
                                     # it given back from the overpayment credit)
    overpayment: CreditNote | None = None   # the payment's overpayment credit, if this report gave it back


@dataclass(frozen=True)
class Refunded:
    """A refund the merchant asked for: what was recorded (the payment as it is now and this refund's
    documents), the amount and the gateway's refund (None for a payment received offline)."""
    recorded: Recorded
    amount_minor: int
    gateway_refund_id: str | None


@dataclass(frozen=True)
class MerchantRefund:
    """The merchant's request a recorded refund answers: its answer, in its wire form (`wire`, the
    response model's), is kept, and the payment's claim released, in the transaction that records
    the refund."""
    org_id: str
    customer_id: str
    payment_id: str
    key: str
    amount_minor: int
    gateway_refund_id: str | None
    wire: Callable[[Refunded], dict]

    def answer(self, done: Recorded) -> dict:
        return self.wire(Refunded(done, self.amount_minor, self.gateway_refund_id))

    def keep_in(self, adapters, tx, done: Recorded) -> None:
        adapters.uow.refund_requests.finish_in(tx, self.org_id, self.customer_id, self.payment_id, self.key,
                                               self.answer(done))


# -- recording (both ways in) -----------------------------------------------------------------

def recorded(adapters, org_id: str, customer_id: str, payment_id: str, refunded_total_minor: int, now: datetime, *,
             event: Event | None = None, reason: str = "", known: Payment | None = None,
             request: MerchantRefund | None = None) -> Recorded:
    """Record that `refunded_total_minor` of the payment has been given back in all: the increase
    over what it records gives back the payment's overpayment credit first, and the rest is
    documented by a refund credit note, in one transaction with the payment, the ledger, the account
    summary, the activity, the merchant's notification and the event (or request) it answers. A
    refund note's number lost to another document is sent again with the next one, the payment
    not re-read (services/numbering.py)."""
    conflicts, races = 0, NumberRaces()
    last_numbers: dict[str, int] = {}
    while conflicts < ATTEMPTS:
        payment, known = known or adapters.uow.payments.get(org_id, customer_id, payment_id), None
        if payment.status != PaymentStatus.SUCCEEDED:
            # a refund proves the charge succeeded: its own event may still be on its way
            payment = settlement.succeeded(adapters, org_id, customer_id, payment_id, ChargeResult(
                "succeeded", payment.gateway_payment_id, Money(payment.amount_minor, payment.currency)), now)
        added = refund_increase(payment, refunded_total_minor)
        numbers = Numbers(adapters, org_id, last_numbers, resent=True)
        try:
            if not added:
                _nothing_new(adapters, payment, now, event, request)
                return Recorded(payment, None)
            return _document(adapters, org_id, payment, added, numbers, now, event, reason, request)
        except NumberTaken as taken:
            if not races.lost_one():
                break
            known, last_numbers = payment, numbers.after(taken)
            continue
        except ConcurrentUpdate:
            conflicts += 1
            continue
    raise ConcurrentUpdate("payment")


def _document(adapters, org_id: str, payment: Payment, added: int, numbers: Numbers, now: datetime,
              event: Event | None, reason: str, request: MerchantRefund | None) -> Recorded:
    credit = _overpayment_credit(adapters, org_id, payment)
    note_id = number = None
    if refund_note_needed(payment, added, credit):
        note_id = new_id("credit_note", now)
        number = billing.number("CN", numbers.next(CREDIT_NOTE_NUMBERS))
    done = document_refund(payment, added, overpayment=credit, credit_note_id=note_id, number=number, now=now,
                           reason=reason)
    amount = Money(added, payment.currency)
    documents = ", ".join(note.number for note in (done.overpayment, done.credit_note) if note is not None)
    with adapters.uow.transaction("payment") as tx:
        numbers.take_in(tx)
        item = adapters.uow.payments.save_in(tx, org_id, done.payment, before=payment, now=now)
        if done.credit_note is not None:
            adapters.uow.credit_notes.save_in(tx, org_id, done.credit_note, before=None, now=now)
        if done.overpayment is not None:
            _credit_given_back_in(adapters, tx, org_id, credit, done.overpayment, now)
        adapters.uow.activity.record(org_id, _activity(done.payment, now, event,
                                                       f"{_text(amount)} refunded, {documents}"), tx)
        adapters.uow.notifications.add(org_id, Notification(
            new_id("notification", now), "payment_refunded",
            f"{_text(amount)} of payment {payment.payment_id} refunded ({documents})", now,
            customer_id=payment.customer_id, subject_type="payment", subject_id=payment.payment_id), tx)
        if event is not None:
            adapters.uow.webhook_events.record_in(tx, event.event_id, event.type, now)
        if request is not None:
            request.keep_in(adapters, tx, Recorded(done.payment, done.credit_note, done.overpayment))
    return Recorded(adapters.uow.payments.saved(item), done.credit_note, done.overpayment)


def _credit_given_back_in(adapters, tx, org_id: str, before: CreditNote, after: CreditNote, now: datetime) -> None:
    """The overpayment credit given back: the note (its refund entry with it), and the dashboard's
    available credits and open-credit-note list."""
    adapters.uow.credit_notes.save_in(tx, org_id, after, before=before, now=now)
    adapters.uow.account_summaries.apply_in(tx, org_id, after.customer_id, after.currency,
                                            SummaryChange(credits_minor=after.balance_minor - before.balance_minor)
                                            + credit_note_moved(before, after))


def _overpayment_credit(adapters, org_id: str, payment: Payment) -> CreditNote | None:
    """The payment's overpayment credit, if it left one (read consistently: its transaction is
    conditional on the version read)."""
    if not payment.overpayment_credit_note_id:
        return None
    return adapters.uow.credit_notes.get(org_id, payment.customer_id, payment.overpayment_credit_note_id,
                                         consistent=True)


def _nothing_new(adapters, payment: Payment, now: datetime, event: Event | None,
                 request: MerchantRefund | None) -> None:
    """A total already recorded (reported late or again): only the report itself is kept."""
    if event is not None:
        adapters.uow.webhook_events.record(event.event_id, event.type, now)
    if request is not None:
        with adapters.uow.transaction("refund") as tx:
            request.keep_in(adapters, tx, Recorded(payment, None))


# -- the merchant's refund --------------------------------------------------------------------

def refund(adapters, org_id: str, customer_id: str, payment_id: str, *, amount_minor: int | None, reason: str,
           idempotency_key: str | None, now: datetime, wire: Callable[[Refunded], dict]) -> dict:
    """Give back `amount_minor` of a payment (all that is left when None). The answer, in its wire form
    `wire(refunded)`, is replayed as it was to every retry with the same key; another payment's,
    another customer's or another organization's payment is not found."""
    if not idempotency_key or len(idempotency_key) > 255 or not idempotency_key.isprintable():
        raise InvalidInput({"Idempotency-Key": "Send a unique key of 1 to 255 characters with each refund."})
    key = adapters.uow.refund_requests.request_key(org_id, customer_id, idempotency_key)
    digest = idempotency.request_hash({"payment_id": payment_id, "amount_minor": amount_minor, "reason": reason})
    state = adapters.uow.refund_requests.read(org_id, customer_id, payment_id, key)
    now = state.org.now(now)
    plan = _plan(state, key, digest, amount_minor, now)
    if isinstance(plan, Replay):
        return plan.answer
    payment = state.payment
    with adapters.uow.transaction("refund") as tx:
        adapters.uow.refund_requests.start_in(tx, org_id, customer_id, payment_id, key, digest, plan, now, stale=state)
    try:
        gateway_refund_id = _give_back(adapters, payment, plan.amount_minor, key)
    except PaymentGatewayError as error:
        adapters.uow.refund_requests.release(org_id, customer_id, payment_id, key)
        raise BusinessRuleViolation(f"The payment service refused the refund: {error.message}",
                                    "refund_refused", {"gateway_code": error.code}) from None
    request = MerchantRefund(org_id, customer_id, payment_id, key, plan.amount_minor, gateway_refund_id, wire)
    done = recorded(adapters, org_id, customer_id, payment_id, plan.refunded_before + plan.amount_minor, now,
                    reason=reason, known=payment, request=request)
    return request.answer(done)


@dataclass(frozen=True)
class Replay:
    """A retry of a refund done already: its answer as it was given, in its wire form."""
    answer: dict


def _plan(state: RefundRequest, key: str, digest: str, amount_minor: int | None,
          now: datetime) -> RefundPlan | Replay:
    """What this request refunds: a new refund's amount and the total it starts from, a stopped one's
    plan (its runner died: it is continued, refunding nothing twice), or the answer to replay."""
    stored, claim = state.request, state.claim
    if stored is not None:
        if stored.request_hash != digest:
            raise BusinessRuleViolation("This Idempotency-Key was used with another request; use a new key.",
                                        "idempotency_key_reused")
        if stored.state == "done":
            return Replay(stored.response)
        if now - stored.created_at < idempotency.LEASE:
            raise idempotency.RequestInProgress()
    if claim is not None and claim.request_key != key and now - claim.created_at < idempotency.LEASE:
        raise RefundInProgress()
    if stored is not None:
        return RefundPlan.from_stored(stored.response)
    if state.payment.gateway != OFFLINE and not state.payment.gateway_payment_id:
        raise PaymentNotRefundable(state.payment, "This payment has no charge at the payment service to refund.")
    if amount_minor is not None:
        paying.require_whole_part(amount_minor, state.payment.currency)   # what the gateway can move
    return RefundPlan(amount_to_refund(state.payment, amount_minor), state.payment.refunded_minor)


def _give_back(adapters, payment: Payment, amount_minor: int, key: str) -> str | None:
    """Refund at the gateway (None for a payment received offline: the merchant pays it back)."""
    if payment.gateway == OFFLINE:
        return None
    try:
        return adapters.gateway.refund(
            gateway_payment_id=payment.gateway_payment_id, amount=Money(amount_minor, payment.currency),
            idempotency_key=f"refund:{hashlib.sha256(key.encode()).hexdigest()[:40]}")
    except GatewayUnavailable:
        raise RefundPending() from None


# -- shared pieces ----------------------------------------------------------------------------

def _activity(payment: Payment, now: datetime, event: Event | None, summary: str) -> ActivityRecord:
    actor = Actor("gateway", event.event_id) if event is not None else Actor("merchant", "back office")
    return ActivityRecord(new_id("activity", now), payment.customer_id, actor, "payment.refunded", "payment",
                          payment.payment_id, now, summary)


def _text(amount: Money) -> str:
    return amount.labelled()
