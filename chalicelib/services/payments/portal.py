"""The portal's payments: pay (once per Idempotency-Key), payments made, finishing a payment that
waits for the customer's authentication (simulated 3-D Secure; Stripe's: confirmation.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from ...domain.errors import Conflict, NotFound
from ...domain.payments import PaymentStatus
from ...tables.pages import Page
from . import collection, idempotency, settlement
from .commands import Parties, PayInvoices
from .views import Shown, shown


SCOPE = "portal_payment"   # of the request's Idempotency-Key


class PaymentPending(Conflict):
    code = "payment_pending"

    def __init__(self, payment_id: str):
        super().__init__("The payment service has not answered yet; retry with the same Idempotency-Key "
                         "in a minute (you will not be charged twice).", {"payment_id": payment_id})


def pay(adapters, org_id: str, customer_id: str, command: PayInvoices, *, idempotency_key: str | None,
        now: datetime, wire: Callable[[Shown], dict], paid_by: str = "",
        as_read: Parties | None = None) -> dict:
    """Pay invoices (commands.PayInvoices). The answer (succeeded, requires_action or failed) is kept in
    its wire form, `wire(shown)` (the response model's), and replayed as it was to retries with the
    same key. `as_read`: the organization and customer as the session check read them (not read again)."""
    def run(reply: idempotency.Reply) -> dict:
        payment = collection.pay_invoices(
            adapters, org_id, customer_id, invoice_ids=list(command.invoice_ids) if command.invoice_ids else None,
            all_outstanding=command.all_outstanding, currency=command.currency,
            payment_method=command.payment_method, save_for_future=command.save_for_future,
            amount_minor=command.amount_minor, use_credits=command.use_credits, idempotency_key=idempotency_key,
            now=now, answer=settlement.KeptAnswer(reply, lambda payment: wire(shown(adapters, payment))),
            paid_by=paid_by, as_read=as_read)
        if payment.status == PaymentStatus.PENDING:
            raise PaymentPending(payment.payment_id)   # not an answer to keep: it will change
        if reply.kept is not None:   # kept with the outcome: the same answer, not built twice
            return reply.kept
        return wire(shown(adapters, payment))
    def replayed(answer: dict) -> dict:
        if answer["status"] != PaymentStatus.REQUIRES_ACTION.value:
            return answer
        # A retry after 3-D Secure: the payment as it is now, not the answer kept before it was confirmed.
        return wire(shown(adapters, adapters.uow.payments.get(org_id, customer_id, answer["payment_id"])))
    return idempotency.once(adapters, org_id, customer_id, SCOPE, idempotency_key, command.as_request(),
                            run, replayed)


def first_read(adapters, org_id: str, customer_id: str, command: PayInvoices, *, idempotency_key: str | None,
               now: datetime) -> list[tuple]:
    """What `pay` reads first (its request's key, then collection.first_read), for the session check
    to read in its own call (tables/read_ahead.py "A change's first read"); nothing for a key it refuses."""
    if not idempotency.well_formed(idempotency_key):
        return []
    request_key = adapters.uow.idempotency.request_key(org_id, customer_id, SCOPE, idempotency_key)
    return collection.first_read(adapters, org_id, customer_id, command.invoice_ids or (),
                                 idempotency_key=idempotency_key, request_key=request_key, now=now)


def page(adapters, org_id: str, customer_id: str, *, limit: int, cursor: str | None) -> Page[Shown]:
    found = adapters.uow.payments.page(org_id, customer_id, limit=limit, cursor=cursor)
    return Page([shown(adapters, p) for p in found.items], found.next_cursor)


def detail(adapters, org_id: str, customer_id: str, payment_id: str) -> Shown:
    """A payment with the facts of the invoices it paid (numbers included, for the receipt view)."""
    payment = adapters.uow.payments.get(org_id, customer_id, payment_id)
    missing = payment.invoices_to_read   # facts kept with the payment; read for one recorded before
    if missing:
        payment = payment.with_invoice_facts(adapters.uow.invoices.get_many(org_id, customer_id, missing))
    return shown(adapters, payment)


def confirm_action(adapters, org_id: str, customer_id: str, payment_id: str, *, approve: bool,
                   now: datetime) -> Shown:
    """Simulated mode only: the customer passes (or fails) 3-D Secure, and the payment settles as
    Stripe's payment_intent.succeeded / payment_failed would settle it."""
    gateway = adapters.gateway
    if gateway.name != "simulated":
        raise NotFound("payment")   # Stripe.js confirms real payments; this route does not exist then
    state = settlement.read_payment(adapters, org_id, customer_id, payment_id)
    payment = state.payment
    if payment.status != PaymentStatus.REQUIRES_ACTION:
        raise Conflict("This payment is not waiting for a confirmation.", {"status": payment.status.value})
    result = gateway.confirm_action(payment.gateway_payment_id, approve)
    return shown(adapters, settlement.record(adapters, org_id, payment, result, state.org.now(now), known=state))
