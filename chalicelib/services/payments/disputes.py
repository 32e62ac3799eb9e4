"""Disputes (chargebacks) of a payment, as Stripe reports them: the payment is marked with the
dispute's status and amount, and the merchant is told (a notification and an email) so they can
answer it at Stripe before its deadline. The invoices the payment paid stay paid: what a dispute
does to the customer's account is the merchant's decision (docs/billing.md, "Disputes").

Events may arrive late or twice: a closed dispute is never reopened by a late `created`, and the
same status reported again changes nothing (each event is recorded with its effect, once).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ...domain.engagement import ActivityRecord, Actor, Notification
from ...domain.errors import ConcurrentUpdate
from ...domain.ids import new_id
from ...domain.money import Money
from ...domain.payments import Payment
from ..accounts import outbox as mail
from . import settlement
from .settlement import Event

ATTEMPTS = 5
CLOSED = frozenset({"won", "lost", "warning_closed"})
_HEADLINES = {
    "won": "Dispute won: {amount} from {customer} stays yours",
    "lost": "Dispute lost: {amount} from {customer} went back to their bank",
    "warning_closed": "Inquiry closed: {amount} from {customer}",
}


def disputed(adapters, org_id: str, customer_id: str, payment_id: str, *, status: str, amount: Money, reason: str,
             now: datetime, event: Event) -> Payment:
    """Record the dispute's status on the payment and notify the merchant, once per change."""
    for _ in range(ATTEMPTS):
        state = settlement.read_payment(adapters, org_id, customer_id, payment_id)
        payment, org, customer = state.payment, state.org, state.customer
        stale = payment.dispute_status in CLOSED and status not in CLOSED
        if stale or (payment.dispute_status, payment.disputed_minor) == (status, amount.amount_minor):
            adapters.uow.webhook_events.record(event.event_id, event.type, now)
            return payment
        marked = replace(payment, dispute_status=status, disputed_minor=amount.amount_minor)
        shown = amount.labelled()
        headline = _HEADLINES.get(status, "Payment disputed: {amount} from {customer}").format(
            amount=shown, customer=customer.display_name)
        details = [f"Amount disputed: {shown}", f"Reason: {reason or 'not given'}", f"Status: {status.replace('_', ' ')}",
                   f"Payment: {payment.payment_id} ({payment.method_summary or payment.gateway})",
                   "Respond to it in your Stripe dashboard." if status not in CLOSED else
                   "The invoices it paid stay paid in the portal; adjust the account if you need to."]
        email = mail.new_record(org_id, "merchant_notification", {
            "org_name": org.name, "headline": headline, "details": details}, [org.email], now=now)
        try:
            with adapters.uow.transaction("payment") as tx:
                adapters.uow.payments.save_in(tx, org_id, marked, before=payment, now=now)
                adapters.uow.activity.record(org_id, ActivityRecord(
                    new_id("activity", now), customer_id, Actor("gateway", event.event_id),
                    "payment.dispute_closed" if status in CLOSED else "payment.disputed", "payment",
                    payment.payment_id, now, headline), tx)
                adapters.uow.notifications.add(org_id, Notification(
                    new_id("notification", now), "payment_disputed", headline, now, customer_id=customer_id,
                    subject_type="payment", subject_id=payment.payment_id), tx)
                adapters.uow.emails.put_in(tx, email)
                adapters.uow.webhook_events.record_in(tx, event.event_id, event.type, now)
        except ConcurrentUpdate:
            continue
        return marked   # the merchant's email is queued with the rest: the outbox job sends it
    raise ConcurrentUpdate("payment")
