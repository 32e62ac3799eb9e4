"""Charging invoices, exactly once: on-session from the portal (`pay_invoices`) and off-session
for scheduled work (`collect_off_session`).

1. claim: one transaction binds the caller's idempotency key to a new pending Payment (and takes
   the request's Idempotency-Key, for a portal payment) and claims each invoice for it, on the
   condition that the keys are unused, the invoices unclaimed and unchanged since read. Concurrent
   payments of an invoice: one claims it, the others are told a payment is in progress (or, after it
   settled, that nothing is left to pay).
2. charge: the gateway, with an idempotency key derived from the payment (`charge:<payment_id>`).
3. settle (settlement.py): the outcome in one transaction; the claims are released.

A crash between 2 and 3 leaves a pending payment holding its claims. A retry with the same key,
or any later payment of those invoices once PENDING_LEASE has passed, charges again with the same
gateway key (the gateway answers its first outcome and charges nothing more) and settles that.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ...domain import paying, settling
from ...domain.customers import Customer
from ...domain.documents import CreditNote, Invoice
from ...domain.errors import BusinessRuleViolation, ConcurrentUpdate, Conflict, InvalidInput, NotFound
from ...domain.ids import has_kind, new_id
from ...domain.money import Money
from ...domain.payment_plans import MethodToSave, PaymentPlan
from ...domain.payments import Payment, PaymentStatus
from ...gateways.payments import ChargeResult, GatewayUnavailable, PaymentGatewayError
from ...tables.payments import PaymentState
from . import gateway_customers, settlement, velocity
from .commands import Parties

MAX_INVOICES = 25            # per payment: one transaction settles them all
# the invoices a payment's session check reads ahead (with their claims): what one click pays, read
# before the session is known live; more are read by the payment itself, once the session is
INVOICES_READ_AHEAD = 3
PENDING_LEASE = timedelta(seconds=60)    # a charge answers well within this, or its runner died
RECHARGE_WINDOW = timedelta(hours=23)    # Stripe keeps an idempotency key for 24 hours


class PaymentInProgress(Conflict):
    code = "payment_in_progress"

    def __init__(self):
        super().__init__("A payment of this invoice is in progress; reload in a moment.")


@dataclass(frozen=True)
class _Method:
    """What to charge: a gateway method id, and ours when it is saved."""
    gateway_method_id: str
    payment_method_id: str | None = None
    summary: str = ""
    save: MethodToSave | None = None     # save_for_future: how to keep it once the payment succeeds


def collect_off_session(adapters, org_id: str, customer_id: str, invoice_id: str, *, payment_method_id: str,
                        idempotency_key: str, now: datetime, source: str = "auto_charge",
                        along: Sequence[str] = ()) -> Payment:
    """Charge the invoice's balance to a saved method, the customer absent, and the balances of the
    invoices `along` that are still owed in its currency (those left open as too small to charge
    alone). Retrying with the same key never charges twice and answers the same Payment (a pending
    one while it is charged)."""
    def method(customer: Customer, now: datetime) -> _Method:
        saved = adapters.uow.payment_methods.get(org_id, customer_id, payment_method_id)
        return _Method(saved.gateway_method_id, saved.payment_method_id, saved.summary)
    return _collect(adapters, org_id, customer_id, source, idempotency_key, now, off_session=True, method=method,
                    invoices_wanted=lambda: [invoice_id], along=[i for i in along if i != invoice_id][:MAX_INVOICES - 1])


def pay_invoices(adapters, org_id: str, customer_id: str, *, invoice_ids: list[str] | None = None,
                 all_outstanding: bool = False, currency: str | None = None, payment_method: str,
                 save_for_future: bool = False, idempotency_key: str, now: datetime,
                 amount_minor: int | None = None, use_credits: bool = False,
                 answer: settlement.KeptAnswer | None = None, paid_by: str = "",
                 as_read: Parties | None = None) -> Payment:
    """The customer pays invoices now (on-session) with a saved method (our `pm_` id) or a new
    gateway method (what Stripe.js returned; the simulated gateway takes Stripe's test ids).
    A payment is in one currency: `invoice_ids` of several are refused, and `all_outstanding` pays
    those of `currency` (needed only when the customer owes in more than one).
    `amount_minor` pays part of a single invoice; `use_credits` applies available credits first;
    `save_for_future` keeps the method and makes it the paid subscriptions' auto-charge method.
    `now` is the real time (the organization's test clock applies); `answer`, if given, is kept
    with the payment's outcome; `paid_by`: the contact paying (the activity names them);
    `as_read`: the organization and customer as the session check has just read them."""
    _check_choice(invoice_ids, all_outstanding, currency, amount_minor, use_credits)

    def wanted() -> list[str]:
        if invoice_ids:
            return list(dict.fromkeys(invoice_ids))
        owed = paying.outstanding_in(adapters.uow.invoices.outstanding(org_id, customer_id), currency)
        return [i.invoice_id for i in owed][:MAX_INVOICES]

    def method(customer: Customer, now: datetime) -> _Method:
        return _portal_method(adapters, org_id, customer, payment_method, save_for_future, now)
    return _collect(adapters, org_id, customer_id, "portal", idempotency_key, now, off_session=False, method=method,
                    invoices_wanted=wanted, amount_minor=amount_minor, use_credits=use_credits, answer=answer,
                    limits=velocity.windows(adapters, org_id, customer_id, now), paid_by=paid_by, as_read=as_read)


def first_read(adapters, org_id: str, customer_id: str, invoice_ids, *, idempotency_key: str, request_key: str,
               now: datetime) -> list[tuple]:
    """The items `pay_invoices` reads on its first attempt (`_read`, the organization and customer
    aside: the session check has them), as (model, key, consistent): the plan of its payment key, the
    request behind `request_key`, the invoices named and their claims, the velocity counters at `now`
    and the payment number sequence. Paying all outstanding invoices finds them first: they are not
    among these, and its read reads them itself; nor are the invoices of a payment naming more than
    INVOICES_READ_AHEAD (what a forged token may make DynamoDB read before its 401 stays small)."""
    named = list(dict.fromkeys(invoice_ids))
    return adapters.uow.payments.ahead(
        org_id, customer_id, payment_key=adapters.uow.idempotency.payment_key(org_id, customer_id, "portal",
                                                                               idempotency_key),
        request_key=request_key, invoice_ids=named if len(named) <= INVOICES_READ_AHEAD else (),
        counter_keys=velocity.counter_keys(velocity.windows(adapters, org_id, customer_id, now)),
        sequences=(settlement.PAYMENT_NUMBERS,))


def finish_pending(adapters, org_id: str, payment: Payment, now: datetime) -> Payment:
    """Finish a payment left pending (its runner died after the claim): charge again with the same
    gateway key, which answers the first outcome, and settle it."""
    plan = settlement.plan_of(adapters, org_id, payment)
    if plan is None or now - payment.created_at > RECHARGE_WINDOW:
        # Too late to ask again safely; a webhook still settles it if the charge went through.
        return settlement.failed(adapters, org_id, payment.customer_id, payment.payment_id, ChargeResult(
            "failed", payment.gateway_payment_id, Money(payment.amount_minor, payment.currency),
            failure_code="outcome_unknown", failure_message="The payment service did not confirm this payment."),
            now)
    return _charge(adapters, org_id, payment, plan, now)


# -- the three steps --------------------------------------------------------------------------

def _collect(adapters, org_id: str, customer_id: str, source: str, key: str, real_now: datetime, *, off_session: bool,
             method, invoices_wanted, amount_minor: int | None = None, use_credits: bool = False,
             answer: settlement.KeptAnswer | None = None, limits: list[velocity.Window] = (),
             paid_by: str = "", as_read: Parties | None = None, along: Sequence[str] = ()) -> Payment:
    """`limits`: the velocity counters the payment is counted under (on-session payments), at `real_now`;
    `as_read`: the organization and customer, for the first attempt (a retry reads them afresh);
    `along`: invoices paid too where they are still owed in the currency of those wanted."""
    _check_key(key)
    payment_key = adapters.uow.idempotency.payment_key(org_id, customer_id, source, key)
    request = answer.reply if answer is not None else None
    for attempt in range(3):
        invoice_ids, state = _read(adapters, org_id, customer_id, payment_key,
                                   (lambda: [*invoices_wanted(), *along]) if along else invoices_wanted,
                                   velocity.counter_keys(limits), request.record_key if request else None,
                                   as_read if attempt == 0 else None)
        if request is not None:
            request.check(state.request)
        now = state.org.now(real_now)
        existing = _existing(adapters, org_id, customer_id, state.plan, now)
        if existing is not None:
            return existing
        chosen = _outstanding([i for i in invoice_ids if i not in along], state.invoices)
        chosen += _still_owed(along, state.invoices, chosen)
        currency = paying.currency_of(chosen)
        if amount_minor is not None:
            paying.require_whole_part(amount_minor, currency)
            if amount_minor > chosen[0].balance_minor:
                due = paying.balance_due_text(chosen[0])
                raise InvalidInput({"amount_minor": f"At most the balance due, {due}."},
                                   codes={"amount_minor": "above_balance_due"})
        if _clear_claims(adapters, org_id, customer_id, state.claims, on_session=not off_session, now=now):
            continue   # a stale payment was finished: read the invoices again
        velocity.check(limits, state.counters, real_now)   # the request is valid: before the card is looked at
        try:
            charge_to = method(state.customer, now)
        except InvalidInput:   # the gateway refused the card to be saved
            velocity.count_refused_card(adapters, org_id, limits, real_now)
            raise
        credits, notes = _credit_plan(adapters, org_id, customer_id, chosen) if use_credits else ([], {})
        payment, plan = _new_payment(adapters, org_id, state.customer, chosen, charge_to, now, source=source, key=key,
                                     off_session=off_session, amount_minor=amount_minor, credits=credits,
                                     paid_by=paid_by)
        try:
            payment = _claim(adapters, org_id, payment, plan, chosen, payment_key, now, limits=limits,
                             counters=state.counters, real_now=real_now, request=request)
        except ConcurrentUpdate:
            continue
        claimed = replace(state, payment=payment, plan=plan, notes=notes,
                          claims={i.invoice_id: payment.payment_id for i in chosen})
        return _charge(adapters, org_id, payment, plan, now, known=claimed, answer=answer)
    raise ConcurrentUpdate("invoice")


def _claim(adapters, org_id: str, payment: Payment, plan: PaymentPlan, chosen: list[Invoice], payment_key: str,
           now: datetime, *, limits: list[velocity.Window], counters: dict, real_now: datetime,
           request=None) -> Payment:
    """The payment as written (pending), its keys taken, its invoices claimed and its velocity
    counted (Throttled, writing nothing, if a counter is full by now)."""
    with adapters.uow.transaction("invoice") as tx:
        if request is not None:
            request.begin_in(adapters, tx, real_now)
        velocity.count_payment_in(adapters, tx, org_id, limits, counters, real_now)
        adapters.uow.idempotency.add_payment_plan_in(tx, payment_key, plan, now)
        for invoice in chosen:
            adapters.uow.invoice_claims.claim_in(tx, org_id, payment.customer_id, invoice.invoice_id,
                                                 payment.payment_id, now)
            adapters.uow.invoice_claims.unchanged_in(tx, org_id, invoice)
        item = adapters.uow.payments.save_in(tx, org_id, payment, before=None, now=now)
    return adapters.uow.payments.saved(item)


def _charge(adapters, org_id: str, payment: Payment, plan: PaymentPlan, now: datetime, *,
            known: PaymentState | None = None, answer: settlement.KeptAnswer | None = None) -> Payment:
    amount = Money(payment.amount_minor, payment.currency)
    if not amount.amount_minor:   # available credits cover it all
        return settlement.record(adapters, org_id, payment, ChargeResult("succeeded", None, amount), now, known=known,
                                 answer=answer)
    try:
        result = adapters.gateway.charge(
            gateway_customer_id=plan.gateway_customer_id, gateway_method_id=plan.gateway_method_id,
            amount=amount, off_session=plan.off_session, idempotency_key=plan.gateway_key,
            description=plan.description, save_for_future=plan.save_method is not None,
            metadata={"org_id": org_id, "customer_id": payment.customer_id, "payment_id": payment.payment_id})
    except GatewayUnavailable:
        return payment   # still pending, its invoices claimed: a retry or the webhook settles it
    except PaymentGatewayError as error:
        result = ChargeResult("failed", None, amount, failure_code=error.code or "payment_method_rejected",
                              failure_message=error.message)
    return settlement.record(adapters, org_id, payment, result, now, known=known, answer=answer)


# -- reading what is there --------------------------------------------------------------------

def _read(adapters, org_id: str, customer_id: str, payment_key: str, invoices_wanted,
          counter_keys: list[str], request_key: str | None,
          as_read: Parties | None = None) -> tuple[list[str], PaymentState]:
    """The invoices wanted, and in one read the organization and the customer (unless `as_read`
    has them), the request behind `request_key`, the plan of the payment key, those invoices, their
    claims, the velocity counters and the payment number sequence (settling takes the next number
    in its transaction). With no invoice left to pay, the key's payment is still answered."""
    unread = as_read is None
    try:
        invoice_ids = invoices_wanted()
    except BusinessRuleViolation:
        state = adapters.uow.payments.state(org_id, customer_id, org=unread, payment_key=payment_key,
                                            request_key=request_key)
        if state.plan is None:
            raise
        return [], _with_parties(state, as_read)
    if len(invoice_ids) > MAX_INVOICES:
        raise InvalidInput({"invoice_ids": f"At most {MAX_INVOICES} invoices at once."},
                           codes={"invoice_ids": "too_many_invoices"})
    return invoice_ids, _with_parties(adapters.uow.payments.state(
        org_id, customer_id, org=unread, customer=unread, payment_key=payment_key, request_key=request_key,
        invoice_ids=invoice_ids, claim_ids=invoice_ids, counter_keys=counter_keys,
        sequences=(settlement.PAYMENT_NUMBERS,)), as_read)


def _with_parties(state: PaymentState, as_read: Parties | None) -> PaymentState:
    return state if as_read is None else replace(state, org=as_read.org, customer=as_read.customer)


def _existing(adapters, org_id: str, customer_id: str, plan: PaymentPlan | None, now: datetime) -> Payment | None:
    """The payment already made with this key (a pending one left behind is finished first)."""
    if plan is None:
        return None
    payment = adapters.uow.payments.get(org_id, customer_id, plan.payment_id)
    if payment.status == PaymentStatus.PENDING and now - payment.created_at >= PENDING_LEASE:
        return finish_pending(adapters, org_id, payment, now)
    return payment


def _outstanding(invoice_ids: list[str], found: dict[str, Invoice]) -> list[Invoice]:
    missing = [i for i in invoice_ids if i not in found]
    if missing:
        raise NotFound("invoice")
    chosen = [found[i] for i in invoice_ids]
    settled = [i.number for i in chosen if not i.is_outstanding()]
    if settled:
        raise BusinessRuleViolation(f"Nothing is left to pay on {', '.join(settled)}.", "invoice_not_outstanding",
                                    {"invoices": settled})
    return chosen


def _still_owed(along: Sequence[str], found: dict[str, Invoice], chosen: list[Invoice]) -> list[Invoice]:
    """The invoices of `along` still owed, in the currency of `chosen` (one payment, one currency)."""
    currency = chosen[0].currency if chosen else None
    return [found[i] for i in along
            if i in found and found[i].is_outstanding() and found[i].currency == currency]


def _clear_claims(adapters, org_id: str, customer_id: str, holders: dict[str, str], *, on_session: bool,
                  now: datetime) -> bool:
    """Finish what holds these invoices (invoice_id -> payment), if it may be finished;
    PaymentInProgress otherwise."""
    cleared = False
    for invoice_id, payment_id in holders.items():
        try:
            holder = adapters.uow.payments.get(org_id, customer_id, payment_id)
        except NotFound:
            holder = None
        if holder is None or holder.status in settlement.FINAL:
            adapters.uow.invoice_claims.release(org_id, customer_id, invoice_id, payment_id)
        elif holder.status == PaymentStatus.PENDING and now - holder.created_at >= PENDING_LEASE:
            finish_pending(adapters, org_id, holder, now)
        elif holder.status == PaymentStatus.REQUIRES_ACTION and on_session:
            _give_up(adapters, org_id, holder, now)   # the customer chose to pay another way
        else:
            raise PaymentInProgress()
        cleared = True
    return cleared


def _give_up(adapters, org_id: str, holder: Payment, now: datetime) -> None:
    """Give up a payment left waiting for 3-D Secure, for the customer's new attempt. It is cancelled
    at the gateway first, so the two cannot both be charged; if the gateway refuses because it was
    finished meanwhile (the bank answered after all), what it became is recorded instead, and the
    new attempt finds the invoices as that left them. PaymentInProgress while the gateway cannot say."""
    if not holder.gateway_payment_id or holder.gateway != adapters.gateway.name:
        settlement.abandoned(adapters, org_id, holder, now)   # made through a gateway no longer configured
        return
    try:
        adapters.gateway.cancel_payment(holder.gateway_payment_id)
    except GatewayUnavailable:
        raise PaymentInProgress() from None
    except PaymentGatewayError:
        try:
            finished = adapters.gateway.retrieve_payment(holder.gateway_payment_id)
        except GatewayUnavailable:
            raise PaymentInProgress() from None
        if finished.status == "requires_action":
            raise PaymentInProgress() from None
        settlement.record(adapters, org_id, holder, finished, now)
        return
    settlement.abandoned(adapters, org_id, holder, now)


def _credit_plan(adapters, org_id: str, customer_id: str,
                 chosen: list[Invoice]) -> tuple[list[tuple[str, str, int]], dict[str, CreditNote]]:
    """The credits to apply, and the open credit notes they come from."""
    notes = adapters.uow.credit_notes.all_in_status(org_id, customer_id, "open")
    return settling.plan_credits(chosen, notes), {n.credit_note_id: n for n in notes}


# -- building the payment ---------------------------------------------------------------------

def _new_payment(adapters, org_id: str, customer: Customer, chosen: list[Invoice], charge_to: _Method, now: datetime, *,
                 source: str, key: str, off_session: bool, amount_minor: int | None,
                 credits: list[tuple[str, str, int]], paid_by: str = "") -> tuple[Payment, PaymentPlan]:
    credited: dict[str, int] = {}
    for invoice_id, _, amount in credits:
        credited[invoice_id] = credited.get(invoice_id, 0) + amount
    allocations = settling.allocations(chosen, amount_minor=amount_minor, credits_by_invoice=credited)
    total = sum(a.amount_minor for a in allocations)
    paying.require_chargeable(total, chosen[0].currency)
    paying.require_minimum_charge(total, chosen[0].currency)
    gateway = adapters.gateway
    payment = Payment(
        payment_id=new_id("payment", now), customer_id=customer.customer_id, status=PaymentStatus.PENDING,
        amount_minor=total, currency=chosen[0].currency, allocations=allocations, created_at=now,
        gateway=gateway.name if total else "credits", payment_method_id=charge_to.payment_method_id,
        method_summary=charge_to.summary if total else "Available credits", idempotency_key=key, source=source,
        paid_by=paid_by)
    numbers = ", ".join(i.number for i in chosen)
    plan = PaymentPlan(
        payment.payment_id, tuple(i.invoice_id for i in chosen), tuple(credits), charge_to.save,
        gateway_customer_id=gateway_customers.ensure(adapters, org_id, customer, now) if total else None,
        gateway_method_id=charge_to.gateway_method_id, off_session=off_session,
        gateway_key=f"charge:{payment.payment_id}",
        description=f"{'Invoices' if len(chosen) > 1 else 'Invoice'} {numbers}")
    return payment, plan


def _portal_method(adapters, org_id: str, customer: Customer, payment_method: str, save_for_future: bool,
                   now: datetime) -> _Method:
    if has_kind(payment_method, "payment_method"):   # one of ours
        saved = adapters.uow.payment_methods.get(org_id, customer.customer_id, payment_method)
        keep = MethodToSave(saved.payment_method_id) if save_for_future else None
        return _Method(saved.gateway_method_id, saved.payment_method_id, saved.summary, keep)
    if not save_for_future:
        return _Method(payment_method)
    gateway = adapters.gateway
    try:
        attached = gateway.attach_method(gateway_customer_id=gateway_customers.ensure(adapters, org_id, customer, now),
                                         method_id=payment_method)
    except PaymentGatewayError as error:
        raise InvalidInput({"payment_method": error.message}, codes={"payment_method": "card_refused"}) from None
    summary = f"{attached.card.brand.title()} •••• {attached.card.last4}"
    known = next((m for m in adapters.uow.payment_methods.of_customer(org_id, customer.customer_id)
                  if m.gateway_method_id == attached.gateway_method_id), None)
    if known is not None:
        return _Method(known.gateway_method_id, known.payment_method_id, known.summary,
                       MethodToSave(known.payment_method_id))
    method_id = new_id("payment_method", now)
    card = attached.card
    return _Method(attached.gateway_method_id, method_id, summary, MethodToSave(
        method_id, new=True, gateway=gateway.name, gateway_method_id=attached.gateway_method_id, brand=card.brand,
        last4=card.last4, exp_month=card.exp_month, exp_year=card.exp_year))


def _check_choice(invoice_ids, all_outstanding: bool, currency: str | None, amount_minor: int | None,
                  use_credits: bool) -> None:
    if bool(invoice_ids) == bool(all_outstanding):
        raise InvalidInput({"invoice_ids": "Choose the invoices to pay, or all_outstanding."},
                           codes={"invoice_ids": "choose_invoices"})
    if currency is not None and not all_outstanding:
        raise InvalidInput({"currency": "Only with all_outstanding: the invoices chosen are in their own currency."})
    if amount_minor is not None and (not invoice_ids or len(set(invoice_ids)) != 1):
        raise InvalidInput({"amount_minor": "A part payment pays a single invoice."},
                           codes={"amount_minor": "part_payment_one_invoice"})
    if amount_minor is not None and use_credits:
        raise InvalidInput({"use_credits": "Credits apply to the whole balance, not to a part payment."},
                           codes={"use_credits": "credits_whole_balance"})


def _check_key(key: str) -> None:
    if not key or len(key) > 255 or not key.isprintable():
        raise InvalidInput({"Idempotency-Key": "Send a unique key of 1 to 255 characters with each payment."},
                           codes={"Idempotency-Key": "idempotency_key"})
