"""Stripe webhook events: verified on the raw body, each processed once (its id is recorded in
the transaction of its effect), and safe in any order: outcomes are absolute (the refunded total,
not a delta) and a success is never undone by a failure reported late."""
from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Callable

from ... import logs, metrics
from ...domain.errors import ConcurrentUpdate, InvalidInput, NotFound
from ...domain.money import Money
from ...domain.payments import Payment
from ...gateways.payments import CardDetails, ChargeResult, most_specific_failure
from ...gateways.stripe_amounts import from_stripe
from ...gateways.stripe_webhooks import InvalidWebhook, parse_event
from . import disputes, methods as payment_methods, refunds, settlement
from .settlement import Event

log = logs.logger("portico.webhooks")


class Delivery(str, Enum):
    """What became of a verified event."""
    HANDLED = "handled"
    IGNORED = "ignored"       # a type this service does not act on: acknowledged and recorded
    DUPLICATE = "duplicate"   # delivered before: its effect was recorded then


def receive(adapters, payload: bytes, signature: str | None, now: datetime) -> Delivery:
    """Verify and process one event; unknown types are acknowledged and otherwise ignored."""
    secret = adapters.webhook_secret
    if not secret:   # nothing can be verified, so nothing is believed (simulated mode has no webhooks)
        log.error("Stripe webhook received but no signing secret is configured")
        metrics.count("WebhooksRejected", reason="no_signing_secret")
        raise InvalidInput({"Stripe-Signature": "This deployment has no Stripe webhook signing secret."})
    try:
        event = parse_event(payload, signature, secret)
    except InvalidWebhook as error:
        log.warning("Stripe webhook refused: %s", error)
        metrics.count("WebhooksRejected", reason="signature")
        raise InvalidInput({"Stripe-Signature": str(error)}) from None
    reported = Event(event["id"], event["type"])
    if adapters.uow.webhook_events.seen(reported.event_id):
        return Delivery.DUPLICATE
    handle = HANDLERS.get(reported.type)
    if handle is None:
        adapters.uow.webhook_events.record(reported.event_id, reported.type, now)
        return Delivery.IGNORED
    try:
        handle(adapters, event["data"], reported, now)
    except ConcurrentUpdate:
        if adapters.uow.webhook_events.seen(reported.event_id):   # the same event, delivered twice at once
            return Delivery.DUPLICATE
        raise   # 409: Stripe delivers it again later
    return Delivery.HANDLED


def _payment_succeeded(adapters, data: dict, event: Event, now: datetime) -> None:
    intent = data["object"]
    found = _payment_of(adapters, intent.get("id"), intent.get("metadata"), event, now)
    if found:
        org_id, payment = found
        settlement.succeeded(adapters, org_id, payment.customer_id, payment.payment_id,
                             ChargeResult("succeeded", intent["id"], _amount(intent)), now, event=event)


def _payment_failed(adapters, data: dict, event: Event, now: datetime) -> None:
    intent = data["object"]
    found = _payment_of(adapters, intent.get("id"), intent.get("metadata"), event, now)
    if found:
        org_id, payment = found
        error = intent.get("last_payment_error") or {}
        settlement.failed(adapters, org_id, payment.customer_id, payment.payment_id, ChargeResult(
            "failed", intent["id"], _amount(intent),
            failure_code=most_specific_failure(error.get("code"), error.get("decline_code")) or "payment_failed",
            failure_message=error.get("message")), now, event=event)


def _charge_refunded(adapters, data: dict, event: Event, now: datetime) -> None:
    charge = data["object"]
    found = _payment_of(adapters, charge.get("payment_intent"), charge.get("metadata"), event, now)
    if found:
        org_id, payment = found
        refunded = from_stripe(charge["amount_refunded"], charge.get("currency") or payment.currency)
        refunds.recorded(adapters, org_id, payment.customer_id, payment.payment_id, refunded.amount_minor, now,
                         event=event)


def _setup_succeeded(adapters, data: dict, event: Event, now: datetime) -> None:
    intent = data["object"]
    owner = _owner(adapters, intent.get("customer"), event, now)
    if owner and isinstance(intent.get("payment_method"), str):
        payment_methods.kept_at_gateway(adapters, *owner, intent["payment_method"], now, event)
    elif owner:
        adapters.uow.webhook_events.record(event.event_id, event.type, now)


def _method_detached(adapters, data: dict, event: Event, now: datetime) -> None:
    # Detached, the method names no customer any more; the one it had is among the previous attributes.
    customer = (data.get("previous_attributes") or {}).get("customer")
    owner = _owner(adapters, customer, event, now)
    if owner:
        payment_methods.detached_at_gateway(adapters, *owner, data["object"]["id"], now, event)


def _payment_canceled(adapters, data: dict, event: Event, now: datetime) -> None:
    """Nobody will finish it (cancelled at Stripe, by us or the merchant): its invoices are released
    and payable again; a payment that succeeded first is not undone."""
    intent = data["object"]
    found = _payment_of(adapters, intent.get("id"), intent.get("metadata"), event, now)
    if found:
        org_id, payment = found
        settlement.failed(adapters, org_id, payment.customer_id, payment.payment_id, ChargeResult(
            "failed", intent["id"], _amount(intent), failure_code="canceled",
            failure_message="The payment was cancelled before it was confirmed; nothing was charged."),
            now, event=event)


def _dispute(adapters, data: dict, event: Event, now: datetime) -> None:
    dispute = data["object"]
    found = _payment_of(adapters, dispute.get("payment_intent"), None, event, now)
    if found:
        org_id, payment = found
        disputes.disputed(adapters, org_id, payment.customer_id, payment.payment_id, status=dispute["status"],
                          amount=from_stripe(dispute["amount"], dispute["currency"]),
                          reason=dispute.get("reason") or "", now=now, event=event)


def _method_updated(adapters, data: dict, event: Event, now: datetime) -> None:
    method = data["object"]
    card = method.get("card")
    owner = _owner(adapters, method.get("customer"), event, now)
    if owner and card:
        payment_methods.refreshed_at_gateway(adapters, *owner, method["id"], CardDetails(
            brand=card["brand"], last4=card["last4"], exp_month=card["exp_month"], exp_year=card["exp_year"]),
            now, event)
    elif owner:
        adapters.uow.webhook_events.record(event.event_id, event.type, now)


HANDLERS: dict[str, Callable[..., None]] = {   # handle(adapters, data, event, now)
    "payment_intent.succeeded": _payment_succeeded,
    "payment_intent.payment_failed": _payment_failed,
    "charge.refunded": _charge_refunded,
    "setup_intent.succeeded": _setup_succeeded,
    "payment_method.detached": _method_detached,
    "payment_intent.canceled": _payment_canceled,
    "charge.dispute.created": _dispute,
    "charge.dispute.closed": _dispute,
    "payment_method.updated": _method_updated,
    "payment_method.automatic_updated": _method_updated,
}


def _payment_of(adapters, gateway_payment_id: str | None, metadata: dict | None, event: Event,
                now: datetime) -> tuple[str, Payment] | None:
    """Our payment behind a gateway payment: by its id, or by the ids we put in its metadata (a
    payment whose runner died before it stored the gateway id). Not ours: acknowledged."""
    found = adapters.uow.payments.by_gateway_id(gateway_payment_id) if gateway_payment_id else None
    metadata = metadata or {}
    if found is None and {"org_id", "customer_id", "payment_id"} <= set(metadata):
        try:
            found = metadata["org_id"], adapters.uow.payments.get(metadata["org_id"], metadata["customer_id"],
                                                                  metadata["payment_id"])
        except NotFound:
            found = None
    if found is None:
        log.info("event %s (%s) is about no payment of ours", event.event_id, event.type)
        adapters.uow.webhook_events.record(event.event_id, event.type, now)
    return found


def _owner(adapters, gateway_customer_id: str | None, event: Event, now: datetime) -> tuple[str, str] | None:
    owner = adapters.uow.customers.owner_of_gateway_customer(gateway_customer_id) if gateway_customer_id else None
    if owner is None:
        adapters.uow.webhook_events.record(event.event_id, event.type, now)
    return owner


def _amount(intent: dict) -> Money:
    return from_stripe(intent["amount"], intent["currency"])
