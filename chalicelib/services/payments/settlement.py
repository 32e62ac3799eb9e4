"""Recording what became of a payment: succeeded, requires_action or failed (refunds: refunds.py).

Each outcome is one transaction, together with the webhook event that reported it (if any), and
conditional on the payment as it was read: the same outcome arriving twice (a retry, a webhook,
a confirmation) takes effect once, and a success always wins over a failure reported late or out
of order. Money that no longer fits an invoice (it was paid or voided meanwhile) becomes the
payment's overpayment credit (domain/overpayments.py), so a charge is never lost nor counted twice.
What a success does to the invoices, credit notes and account summary is decided in
`domain/settling.settle`; this module reads, writes and tells.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable

from ... import metrics
from ...domain import billing, settling
from ...domain.account_summary import credit_note_moved
from ...domain.calendar import local_date
from ...domain.documents import CreditNote, Invoice
from ...domain.engagement import ActivityRecord, Actor, Notification
from ...domain.errors import ConcurrentUpdate
from ...domain.ids import new_id
from ...domain.locales import day_text, money_text
from ...domain.money import Money
from ...domain.overpayments import overpayment_credit
from ...domain.payment_plans import MethodToSave, PaymentPlan
from ...domain.payments import Payment, PaymentMethod, PaymentStatus
from ...domain.subscription import Subscription
from ...gateways.payments import ChargeResult, PaymentGatewayError
from ...tables.payments import PaymentState
from ..accounts import languages, outbox as mail
from ..numbering import CREDIT_NOTE_NUMBERS, PAYMENT_NUMBERS, Numbers, NumberTaken, settlement_races
from ..subscriptions import recovery
from . import velocity

ATTEMPTS = 5   # re-read and try again when an invoice or credit note changed under us
FINAL = (PaymentStatus.SUCCEEDED, PaymentStatus.FAILED)
TRANSACTION_ITEMS = 100   # DynamoDB's most per TransactWriteItems


@dataclass(frozen=True)
class Event:
    """The webhook event reporting an outcome: recorded with its effect, exactly once."""
    event_id: str
    type: str


@dataclass(frozen=True)
class KeptAnswer:
    """The answer to the request that made the payment (services/idempotency.Reply), kept in the
    transaction that records the outcome rather than in a write of its own: `wire(payment)`, the
    answer's wire form."""
    reply: object
    wire: Callable[[Payment], dict]

    def keep_in(self, adapters, tx, payment: Payment) -> None:
        self.reply.keep_in(adapters, tx, self.wire(payment))

    def committed(self) -> None:
        self.reply.committed()


def record(adapters, org_id: str, payment: Payment, result: ChargeResult, now: datetime, *,
           event: Event | None = None, known: PaymentState | None = None, answer: KeptAnswer | None = None) -> Payment:
    """Record the gateway's answer about `payment`. `known`: what the caller has just read or
    written about it (its payment, organization, customer; its plan, invoices, claims and credit
    notes when `plan` is set), so that it is not read again: only a first guess, since every write
    is conditional on it and a conflict reads it afresh."""
    outcome = {"succeeded": succeeded, "requires_action": requires_action}.get(result.status, failed)
    return outcome(adapters, org_id, payment.customer_id, payment.payment_id, result, now, event=event, known=known,
                   answer=answer)


def plan_of(adapters, org_id: str, payment: Payment) -> PaymentPlan | None:
    """How the payment was asked for (kept under its payment key); None for payments made elsewhere."""
    key = _plan_key(adapters, org_id, payment)
    return adapters.uow.idempotency.payment_plan(key) if key else None


def read_payment(adapters, org_id: str, customer_id: str, payment_id: str) -> PaymentState:
    """The payment with its organization and customer, in one read."""
    return adapters.uow.payments.state(org_id, customer_id, org=True, customer=True, payment_id=payment_id)


def _with_plan(adapters, org_id: str, state: PaymentState, *, invoices: bool = True,
               counter_keys: list[str] = (), numbered: bool = False) -> PaymentState:
    """`state` and the payment's plan, invoices (unless not wanted), claims, credit notes, the
    rate counters named and, if `numbered`, the payment number sequence: one read, and a second for
    what only the plan names (credits, invoices it credits but does not pay)."""
    payment = state.payment
    allocated = [a.invoice_id for a in payment.allocations]
    found = adapters.uow.payments.state(org_id, payment.customer_id, payment_key=_plan_key(adapters, org_id, payment),
                                        invoice_ids=allocated if invoices else (), claim_ids=allocated,
                                        counter_keys=counter_keys, sequences=(PAYMENT_NUMBERS,) if numbered else ())
    plan = found.plan or PaymentPlan.none(payment.payment_id)
    more = {"invoice_ids": [c[0] for c in plan.credits if c[0] not in allocated] if invoices else [],
            "claim_ids": [i for i in plan.invoice_ids if i not in allocated],
            "note_ids": [c[1] for c in plan.credits]}
    rest = adapters.uow.payments.state(org_id, payment.customer_id, **more) if any(more.values()) else PaymentState()
    return replace(state, plan=plan, invoices={**found.invoices, **rest.invoices},
                   claims={**found.claims, **rest.claims}, notes=rest.notes,
                   counters={**state.counters, **found.counters},
                   last_numbers={**state.last_numbers, **found.last_numbers})


def _with_counters(adapters, org_id: str, state: PaymentState, counter_keys: list[str]) -> PaymentState:
    """`state` with its plan (invoices aside) and the velocity counters named: read together when
    neither is known yet, the counters alone when only they are missing."""
    if state.plan is None:
        return _with_plan(adapters, org_id, state, invoices=False, counter_keys=counter_keys)
    missing = [k for k in counter_keys if k not in state.counters]
    if not missing:
        return state
    found = adapters.uow.payments.state(org_id, state.payment.customer_id, counter_keys=missing)
    return replace(state, counters={**state.counters, **found.counters})


def _current(adapters, org_id: str, customer_id: str, payment_id: str, known: PaymentState | None) -> PaymentState:
    return known or read_payment(adapters, org_id, customer_id, payment_id)


def _plan_key(adapters, org_id: str, payment: Payment) -> str | None:
    if not payment.idempotency_key:
        return None
    return adapters.uow.idempotency.payment_key(org_id, payment.customer_id, payment.source, payment.idempotency_key)


# -- succeeded --------------------------------------------------------------------------------

def succeeded(adapters, org_id: str, customer_id: str, payment_id: str, result: ChargeResult, now: datetime, *,
              event: Event | None = None, known: PaymentState | None = None,
              answer: KeptAnswer | None = None) -> Payment:
    """The payment went through: it takes the organization's next payment number (PAY-000012) in the
    transaction that records it (services/numbering.py), so a number is used only by a payment recorded
    as paid; when another payment took that number first, the transaction is sent again with the next
    one (an overpayment's credit note is numbered the same way), for as long as `numbering.settlement_races` says."""
    conflicts, races = 0, settlement_races()
    while conflicts < ATTEMPTS:
        state, known = _current(adapters, org_id, customer_id, payment_id, known), None
        if state.payment.status == PaymentStatus.SUCCEEDED:
            _event_alone(adapters, event, now)
            return state.payment
        if state.plan is None:
            state = _with_plan(adapters, org_id, state, numbered=True)
        numbers = Numbers(adapters, org_id, state.last_numbers, resent=True)   # read now if not read with the rest
        try:
            done, unreleased = _settle(adapters, org_id, state, numbers, result, now, event, answer)
        except NumberTaken as taken:
            if not races.lost_one():
                break
            known = replace(state, last_numbers=numbers.after(taken))
            continue
        except ConcurrentUpdate:
            conflicts += 1
            continue
        _release_claims(adapters, org_id, done, unreleased)
        metrics.count("PaymentsSucceeded", source=done.source)
        return done
    raise ConcurrentUpdate("payment")


def _settle(adapters, org_id: str, state: PaymentState, numbers: Numbers, result: ChargeResult, now: datetime,
            event: Event | None, answer: KeptAnswer | None) -> tuple[Payment, list[str]]:
    payment, plan = state.payment, state.plan
    number = billing.number("PAY", numbers.next(PAYMENT_NUMBERS))
    customer_id = payment.customer_id
    before, notes = state.invoices, state.notes
    method_summary = payment.method_summary or _summary(result)
    outcome = settling.settle(payment.allocations, plan.credits, before, notes, now, payment_id=payment.payment_id,
                              method_summary=method_summary)
    after, allocations, used_notes, change = outcome.invoices, outcome.allocations, outcome.notes, outcome.change
    org, customer = state.org, state.customer
    done = replace(payment, status=PaymentStatus.SUCCEEDED, allocations=allocations, succeeded_at=now, number=number,
                   gateway_payment_id=result.gateway_payment_id or payment.gateway_payment_id,
                   method_summary=method_summary, client_secret=None,
                   failure_code=None, failure_message=None)
    overpaid = None
    if outcome.excess_minor:
        done, overpaid = _overpayment(numbers, done, outcome.excess_minor, now)
    if overpaid is not None:
        change += credit_note_moved(None, overpaid)
    settled = [invoice for invoice_id, invoice in after.items() if before[invoice_id].is_outstanding()]
    revived = recovery.recovered(adapters, org, customer_id, settled, now)
    paid_numbers = [before[a.invoice_id].number for a in allocations]
    queued = emails(org, customer, done, paid_numbers, now) if done.amount_minor else []
    new_method = _new_method(adapters, org_id, plan.save_method, customer_id, now)
    with adapters.uow.transaction("invoice") as tx:
        numbers.take_in(tx)
        item = adapters.uow.payments.save_in(tx, org_id, done, before=payment, now=now,
                                             invoice_numbers={i: invoice.number for i, invoice in before.items()})
        for invoice_id, invoice in after.items():
            if invoice is not before[invoice_id]:
                adapters.uow.invoices.save_in(tx, org_id, invoice, before=before[invoice_id], now=now)
        for note_id, note in used_notes.items():
            adapters.uow.credit_notes.save_in(tx, org_id, note, before=notes[note_id], now=now)
        if overpaid is not None:
            adapters.uow.credit_notes.save_in(tx, org_id, overpaid, before=None, now=now)
        last = (done.payment_id, done.amount_minor, now, allocations[0].invoice_id if allocations else None)
        adapters.uow.account_summaries.apply_in(tx, org_id, customer_id, done.currency, change,
                                                last_payment=last if done.amount_minor else None,
                                                new_method=new_method)
        revived = _save_method_in(adapters, tx, org_id, plan.save_method, new_method, customer_id,
                                  list(after.values()), now, revived)
        payment_record = _activity(done, "payment.succeeded", now, event,
                                   f"{_amount(done)} for {', '.join(paid_numbers) or 'credit'}")
        adapters.uow.activity.record(org_id, payment_record, tx)
        recovery.save_in(adapters, tx, org, revived, payment_record.actor, now)
        if done.amount_minor:
            adapters.uow.notifications.add(org_id, Notification(
                new_id("notification", now), "payment_received",
                f"Payment of {_amount(done)} received from {customer.display_name}", now,
                customer_id=customer_id, subject_type="payment", subject_id=done.payment_id), tx)
        for email in queued:
            adapters.uow.emails.put_in(tx, email)
        _event_in(adapters, tx, event, now)
        if answer is not None:
            answer.keep_in(adapters, tx, done)
        unreleased = _release_claims_in(adapters, tx, org_id, state)
    if answer is not None:
        answer.committed()
    return adapters.uow.payments.saved(item), unreleased


def _overpayment(numbers: Numbers, payment: Payment, excess: int, now: datetime) -> tuple[Payment, CreditNote]:
    """What was charged but no longer owed (the invoice was paid or voided meanwhile), kept as the
    payment's overpayment credit (domain/overpayments.py), numbered in the payment's transaction."""
    number = billing.number("CN", numbers.next(CREDIT_NOTE_NUMBERS))
    return overpayment_credit(payment, excess, credit_note_id=new_id("credit_note", now), number=number, now=now)


def _new_method(adapters, org_id: str, wanted: MethodToSave | None, customer_id: str,
                now: datetime) -> PaymentMethod | None:
    """save_for_future with a card not saved yet: the method the payment saves (the default if the
    first), which the account summary's mirror of methods appends in the same update as its figures."""
    if not wanted or not wanted.new:
        return None
    first = not adapters.uow.payment_methods.of_customer(org_id, customer_id)
    return PaymentMethod(wanted.payment_method_id, customer_id, wanted.gateway, wanted.gateway_method_id,
                         wanted.brand, wanted.last4, wanted.exp_month, wanted.exp_year, now, is_default=first)


def _save_method_in(adapters, tx, org_id: str, wanted: MethodToSave | None, new_method: PaymentMethod | None,
                    customer_id: str, paid: list[Invoice], now: datetime,
                    revived: list[tuple[Subscription, str]]) -> list[tuple[Subscription, str]]:
    """save_for_future: keep a new method (`new_method`), and make it the method of the paid invoices'
    subscriptions. Answers `revived` charged to it: a subscription the payment also brings back is
    written once, by recovery (a transaction may not touch one item twice)."""
    if not wanted:
        return revived
    method_id = wanted.payment_method_id
    if new_method is not None:
        adapters.uow.payment_methods.put_in(tx, org_id, new_method)
    reviving = {sub.subscription_id for sub, _ in revived}
    subscription_ids = [i.subscription_id for i in paid if i.subscription_id and i.subscription_id not in reviving]
    for sub in adapters.uow.subscriptions.get_many(org_id, customer_id, subscription_ids):
        adapters.uow.subscriptions.charge_to_in(tx, org_id, sub, method_id, now, auto_charge=True)
    return [(replace(sub, payment_method_id=method_id, auto_charge=True), action) for sub, action in revived]


def emails(org, customer, payment: Payment, numbers: list[str], now: datetime) -> list:
    """The receipt and the merchant's notice, due at once: recorded with the payment and sent by
    the outbox job, never by the request that made the payment (SES's time is not the customer's).
    Their facts are recorded; the job renders them (tests/unit/services/test_payment_emails.py
    renders them here: the request checks their keys only)."""
    locale = languages.locale_of(org, customer)
    receipt = mail.new_record(org.org_id, "payment_receipt", {
        "org_name": org.name, "locale": locale, "receipt_number": payment.label,
        "amount": money_text(payment.amount_minor, payment.currency, locale),
        "date": day_text(local_date(now, org.time_zone), locale), "invoice_numbers": numbers},
        [customer.email], now=now, customer_id=customer.customer_id, reply_to=org.email, send_after=now,
        render_check=False)
    merchant = mail.new_record(org.org_id, "merchant_notification", {
        "org_name": org.name, "headline": f"Payment received from {customer.display_name}",
        "details": [f"Payment: {payment.label}", f"Amount: {_amount(payment)}", f"Invoices: {', '.join(numbers) or '-'}",
                    f"Method: {payment.method_summary or payment.gateway}"]}, [org.email], now=now, send_after=now,
        render_check=False)
    return [receipt, merchant]


# -- requires action, failed, abandoned --------------------------------------------------------

def requires_action(adapters, org_id: str, customer_id: str, payment_id: str, result: ChargeResult, now: datetime, *,
                    event: Event | None = None, known: PaymentState | None = None,
                    answer: KeptAnswer | None = None) -> Payment:
    """The customer must authenticate (3-D Secure); the invoices stay claimed until then."""
    payment = known.payment if known else adapters.uow.payments.get(org_id, customer_id, payment_id)
    if payment.status != PaymentStatus.PENDING:
        _event_alone(adapters, event, now)
        return payment
    waiting = replace(payment, status=PaymentStatus.REQUIRES_ACTION, gateway_payment_id=result.gateway_payment_id,
                      client_secret=result.client_secret, method_summary=payment.method_summary or _summary(result))
    try:
        with adapters.uow.transaction("payment") as tx:
            item = adapters.uow.payments.save_in(tx, org_id, waiting, before=payment, now=now)
            _event_in(adapters, tx, event, now)
            if answer is not None:
                answer.keep_in(adapters, tx, waiting)
    except ConcurrentUpdate:   # another outcome was recorded first: it stands
        return adapters.uow.payments.get(org_id, customer_id, payment_id)
    if answer is not None:
        answer.committed()
    return adapters.uow.payments.saved(item)


def failed(adapters, org_id: str, customer_id: str, payment_id: str, result: ChargeResult, now: datetime, *,
           event: Event | None = None, known: PaymentState | None = None, answer: KeptAnswer | None = None) -> Payment:
    """Nothing was collected: the payment says why; invoices are untouched and released."""
    for _ in range(ATTEMPTS):
        state, known = _current(adapters, org_id, customer_id, payment_id, known), None
        payment = state.payment
        if payment.status in FINAL:
            _event_alone(adapters, event, now)
            return payment
        refused = replace(payment, status=PaymentStatus.FAILED, client_secret=None,
                          gateway_payment_id=result.gateway_payment_id or payment.gateway_payment_id,
                          failure_code=result.failure_code or "payment_failed",
                          failure_message=result.failure_message or "The payment could not be completed.",
                          method_summary=payment.method_summary or _summary(result))
        # The velocity windows run on the real time, whatever test clock the organization bills at.
        real_now = adapters.now()
        limits = (velocity.windows(adapters, org_id, customer_id, real_now)
                  if velocity.counts_as_failure(refused, refused.failure_code) else [])
        state = _with_counters(adapters, org_id, state, velocity.counter_keys(limits))
        try:
            with adapters.uow.transaction("payment") as tx:
                item = adapters.uow.payments.save_in(tx, org_id, refused, before=payment, now=now)
                adapters.uow.activity.record(org_id, _activity(refused, "payment.failed", now, event,
                                                               f"{_amount(refused)}: {refused.failure_message}"), tx)
                velocity.count_failure_in(adapters, tx, org_id, limits, state.counters, real_now)
                _event_in(adapters, tx, event, now)
                if answer is not None:
                    answer.keep_in(adapters, tx, refused)
                unreleased = _release_claims_in(adapters, tx, org_id, state)
        except ConcurrentUpdate:
            continue
        if answer is not None:
            answer.committed()
        _release_claims(adapters, org_id, refused, unreleased)
        metrics.count("PaymentsFailed", source=refused.source, failure_code=refused.failure_code)
        _forget_unsaved_method(adapters, state.plan)
        return adapters.uow.payments.saved(item)
    raise ConcurrentUpdate("payment")


def abandoned(adapters, org_id: str, payment: Payment, now: datetime) -> Payment:
    """A payment left waiting for authentication, replaced by a new attempt of the customer's."""
    return failed(adapters, org_id, payment.customer_id, payment.payment_id, ChargeResult(
        "failed", payment.gateway_payment_id, Money(payment.amount_minor, payment.currency),
        failure_code="abandoned",
        failure_message="The payment was not confirmed and was replaced by another payment."), now)


# -- shared pieces ----------------------------------------------------------------------------

def _release_claims_in(adapters, tx, org_id: str, state: PaymentState) -> list[str]:
    """Release the claims the payment holds (as read) in its outcome's transaction, as many as it
    has room for (it must be the transaction's last part); answers those left to release after it."""
    held = state.held()
    room = max(TRANSACTION_ITEMS - tx.item_count(), 0)
    for invoice_id in held[:room]:
        adapters.uow.invoice_claims.release_in(tx, org_id, state.payment.customer_id, invoice_id,
                                               state.payment.payment_id)
    return held[room:]


def _release_claims(adapters, org_id: str, payment: Payment, invoice_ids: list[str]) -> None:
    for invoice_id in invoice_ids:
        adapters.uow.invoice_claims.release(org_id, payment.customer_id, invoice_id, payment.payment_id)


def _forget_unsaved_method(adapters, plan: PaymentPlan) -> None:
    """A card attached to be saved with a payment that failed is not kept at the gateway."""
    wanted = plan.save_method
    if wanted is None or not wanted.new:
        return
    try:
        adapters.gateway.detach_method(gateway_method_id=wanted.gateway_method_id)
    except PaymentGatewayError:
        pass   # it stays attached at the gateway, unused; nothing here depends on it


def _event_in(adapters, tx, event: Event | None, now: datetime) -> None:
    if event is not None:
        adapters.uow.webhook_events.record_in(tx, event.event_id, event.type, now)


def _event_alone(adapters, event: Event | None, now: datetime) -> None:
    if event is not None:
        adapters.uow.webhook_events.record(event.event_id, event.type, now)


def _activity(payment: Payment, action: str, now: datetime, event: Event | None, summary: str) -> ActivityRecord:
    if event is not None:
        actor = Actor("gateway", event.event_id)
    elif payment.source == "portal":
        actor = Actor("customer", payment.paid_by or payment.customer_id)
    else:
        actor = Actor("job", payment.source)
    return ActivityRecord(new_id("activity", now), payment.customer_id, actor, action, "payment",
                          payment.payment_id, now, summary)


def _amount(payment: Payment) -> str:
    return Money(payment.amount_minor, payment.currency).labelled()


def _summary(result: ChargeResult) -> str:
    return f"{result.card.brand.title()} •••• {result.card.last4}" if result.card else ""
