"""Asking the gateway what became of a payment, rather than waiting for it to call back.

The browser confirms after Stripe.js finishes 3-D Secure (`confirm`), and the reconciliation job
(`reconcile`) asks about every payment still waiting after RECONCILE_AFTER. Both record what the
gateway answers through settlement.py, the path the webhook takes too: whichever arrives first
settles the payment, the others find it settled and change nothing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ... import logs
from ...domain.payments import Payment, PaymentStatus
from ...gateways.payments import GatewayUnavailable, PaymentGatewayError
from ...tables.payments import PaymentState
from . import collection, settlement
from .views import Shown, shown

log = logs.logger("portico.payments")

RECONCILE_AFTER = timedelta(minutes=15)   # the browser and the webhook normally settle well within this
# Stripe keeps an idempotency key for 24 hours; a payment nobody authenticated by then is cancelled.
ABANDON_AFTER = collection.RECHARGE_WINDOW


@dataclass
class ReconcileReport:
    settled: list[str] = field(default_factory=list)    # payment ids now succeeded or failed
    waiting: int = 0                                    # asked about, still waiting
    failed: list[str] = field(default_factory=list)     # payment ids whose reconciliation raised (logged)
    stopped_early: bool = False                         # the time budget ran out

    def as_dict(self) -> dict:
        return {"settled": self.settled, "waiting": self.waiting, "failed": self.failed,
                "stopped_early": self.stopped_early}


def confirm(adapters, org_id: str, customer_id: str, payment_id: str, now: datetime) -> Shown:
    """The customer's browser finished 3-D Secure (or gave up): the payment as the gateway knows it
    now. Still `requires_action` while the gateway has no final answer; never a guess."""
    state = settlement.read_payment(adapters, org_id, customer_id, payment_id)
    return shown(adapters, ask_gateway(adapters, org_id, state, state.org.now(now)))


def ask_gateway(adapters, org_id: str, state: PaymentState, now: datetime) -> Payment:
    """Retrieve the payment's gateway payment and record its outcome, if it has one yet."""
    payment = state.payment
    if not payment.awaiting_gateway or not payment.gateway_payment_id or payment.gateway != adapters.gateway.name:
        return payment
    try:
        result = adapters.gateway.retrieve_payment(payment.gateway_payment_id)
    except GatewayUnavailable:
        return payment   # processing, or the gateway is down: asked again later
    if result.status == "requires_action" and payment.status == PaymentStatus.REQUIRES_ACTION:
        return payment
    return settlement.record(adapters, org_id, payment, result, now, known=state)


def reconcile(adapters, now: datetime, *, budget_seconds: float) -> ReconcileReport:
    """Settle the payments still waiting for the gateway RECONCILE_AFTER after they were made, oldest
    first, until none is left or the budget runs out (the next run goes on)."""
    deadline = time.monotonic() + budget_seconds
    report = ReconcileReport()
    for org_id, payment in adapters.uow.payments.awaiting_gateway_since(now - RECONCILE_AFTER):
        if time.monotonic() > deadline:
            report.stopped_early = True
            break
        try:
            after = _reconcile_one(adapters, org_id, payment, now)
        except Exception:  # noqa: BLE001 - one payment must not stop the others
            log.exception("reconciling payment %s failed", payment.payment_id)
            report.failed.append(payment.payment_id)
            continue
        if after.awaiting_gateway:
            report.waiting += 1
        else:
            report.settled.append(after.payment_id)
    return report


def _reconcile_one(adapters, org_id: str, payment: Payment, now: datetime) -> Payment:
    state = settlement.read_payment(adapters, org_id, payment.customer_id, payment.payment_id)
    payment, now = state.payment, state.org.now(now)
    if payment.status == PaymentStatus.PENDING:
        if now - payment.created_at < collection.PENDING_LEASE:
            return payment
        return collection.finish_pending(adapters, org_id, payment, now)   # asks again with the same gateway key
    payment = ask_gateway(adapters, org_id, state, now)
    if payment.status == PaymentStatus.REQUIRES_ACTION and now - payment.created_at >= ABANDON_AFTER:
        return _cancel(adapters, org_id, state, now)
    return payment


def _cancel(adapters, org_id: str, state: PaymentState, now: datetime) -> Payment:
    """Nobody authenticated it in time: cancelled at the gateway first, so it can no longer succeed."""
    payment = state.payment
    try:
        result = adapters.gateway.cancel_payment(payment.gateway_payment_id)
    except GatewayUnavailable:
        return payment
    except PaymentGatewayError:   # it was finished meanwhile: record what it became
        return ask_gateway(adapters, org_id, state, now)
    return settlement.record(adapters, org_id, payment, result, now, known=state)
