"""The customer's saved payment methods: list, set up and add, make default, replace (the
subscriptions follow), remove. Only gateway ids and the card's brand, last4 and expiry are kept."""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as changed
from datetime import datetime

from ...domain.engagement import ActivityRecord, Actor
from ...domain.errors import BusinessRuleViolation, ConcurrentUpdate, InvalidInput, NotFound
from ...domain.ids import new_id
from ...domain.payments import PaymentMethod
from ...domain.subscription import Subscription
from ...domain.subscription_status import Status
from ...gateways.payments import CardDetails, PaymentGatewayError, SavedMethod
from . import gateway_customers, mirror, velocity
from .mirror import Saved
from .settlement import Event

# Stripe's test PaymentMethods, which the simulated gateway answers like Stripe's test mode.
TEST_PAYMENT_METHODS = ("pm_card_visa", "pm_card_mastercard", "pm_card_chargeDeclined",
                        "pm_card_chargeDeclinedInsufficientFunds", "pm_card_authenticationRequired")
_ENDED = (Status.CANCELLED, Status.EXPIRED)
KEEP_ATTEMPTS = 3   # reads of the methods when saving a card finds them changed meanwhile


@dataclass(frozen=True)
class CardSetup:
    """What the browser needs to collect a card: the gateway's setup and, from the simulated gateway,
    the test ids it answers like Stripe's test mode (none from Stripe)."""
    gateway: str
    publishable_key: str | None
    setup_id: str
    client_secret: str
    test_payment_methods: tuple[str, ...] = ()


def listing(adapters, org_id: str, customer_id: str) -> list[PaymentMethod]:
    """As the account summary mirrors them (read with the session check), else from their table."""
    return mirror.listed(adapters, org_id, customer_id)


def setup(adapters, org_id: str, customer_id: str, now: datetime) -> CardSetup:
    """What the browser needs to collect a card that may later be charged off-session."""
    gateway = adapters.gateway
    gateway_customer_id = gateway_customers.ensure(adapters, org_id, adapters.uow.customers.get(org_id, customer_id),
                                                   now)
    session = gateway.create_setup(gateway_customer_id=gateway_customer_id,
                                   idempotency_key=f"setup:{org_id}:{customer_id}:{now.isoformat()}")
    return CardSetup(gateway.name, gateway.publishable_key, session.gateway_setup_id, session.client_secret,
                     TEST_PAYMENT_METHODS if gateway.name == "simulated" else ())


def add(adapters, org_id: str, customer_id: str, gateway_method_id: str, *, make_default: bool, now: datetime,
        by: str = "") -> PaymentMethod:
    """Save the method the browser collected (Stripe.js after the setup; a test id when simulated).
    `by` (here and below): the contact doing it, whom the activity names."""
    velocity.before_card_added(adapters, org_id, customer_id, now)
    attached = _attach(adapters, org_id, customer_id, gateway_method_id, now)
    return _keep(adapters, org_id, customer_id, attached, make_default=make_default, now=now, by=by)


def set_default(adapters, org_id: str, customer_id: str, payment_method_id: str,
                now: datetime, by: str = "") -> PaymentMethod:
    read = mirror.saved(adapters, org_id, customer_id)
    return _as_default(adapters, org_id, customer_id, _one_of(read.methods, payment_method_id), read, now, by=by)


def replace(adapters, org_id: str, customer_id: str, payment_method_id: str, new_gateway_method_id: str,
            now: datetime, by: str = "") -> PaymentMethod:
    """Update payment information: a new card takes the old one's place, and every subscription
    charged to the old one is charged to the new one (one transaction)."""
    # once: the old method, and is the new card known
    read = mirror.saved(adapters, org_id, customer_id)
    kept = read.methods
    old = _one_of(kept, payment_method_id)
    velocity.before_card_added(adapters, org_id, customer_id, now)
    attached = _attach(adapters, org_id, customer_id, new_gateway_method_id, now, saved_before=old)
    saved = attached.saved
    if saved.gateway_method_id == old.gateway_method_id:
        return old
    known = _with_gateway_id(kept, saved.gateway_method_id)
    new = changed(known, is_default=known.is_default or old.is_default) if known else \
        _new_method(adapters, customer_id, attached, is_default=old.is_default, now=now)
    moved = adapters.uow.subscriptions.charged_to(org_id, customer_id, old.payment_method_id)
    with adapters.uow.transaction("payment method") as tx:
        mirror.change_in(adapters, tx, org_id, customer_id, read, put=(new,), deleted=(old,))
        for sub in moved:
            adapters.uow.subscriptions.charge_to_in(tx, org_id, sub, new.payment_method_id, now)
        _activity_in(adapters, tx, org_id, customer_id, "payment_method.replaced", new, now,
                     f"{old.summary} replaced by {new.summary}; {len(moved)} subscription(s) moved", by=by)
    _detach(adapters, old)
    return new


def remove(adapters, org_id: str, customer_id: str, payment_method_id: str, now: datetime, *,
           subscriptions_to: str | None = None, by: str = "") -> None:
    """Forget a method. While it pays subscriptions automatically, the customer names the saved card
    that pays them from now on (`subscriptions_to`); without one the removal is refused, naming them
    (docs/billing.md, "Removing a card"): a subscription never moves to a card nobody chose."""
    read = mirror.saved(adapters, org_id, customer_id)
    kept = read.methods
    method = _one_of(kept, payment_method_id)
    chosen = None
    if subscriptions_to is not None:
        chosen = next((m for m in kept if m.payment_method_id == subscriptions_to != payment_method_id), None)
        if chosen is None:
            raise InvalidInput({"subscriptions_to": "Choose another of your saved cards."},
                               codes={"subscriptions_to": "choose_another_card"})
    _forget(adapters, org_id, customer_id, method, read, now, refuse_if_needed=True, chosen=chosen, by=by)
    _detach(adapters, method)


# -- what the gateway tells us (webhooks) -----------------------------------------------------

def kept_at_gateway(adapters, org_id: str, customer_id: str, gateway_method_id: str, now: datetime,
                    event: Event) -> None:
    """setup_intent.succeeded: the card is saved even if the browser never came back to say so."""
    if _with_gateway_id(adapters.uow.payment_methods.of_customer(org_id, customer_id), gateway_method_id):
        adapters.uow.webhook_events.record(event.event_id, event.type, now)
        return
    attached = _attach(adapters, org_id, customer_id, gateway_method_id, now)
    _keep(adapters, org_id, customer_id, attached, make_default=False, now=now, event=event)


def detached_at_gateway(adapters, org_id: str, customer_id: str, gateway_method_id: str, now: datetime,
                        event: Event) -> None:
    """payment_method.detached: the card cannot be charged any more, so it is forgotten here too."""
    read = mirror.saved(adapters, org_id, customer_id)
    method = _with_gateway_id(read.methods, gateway_method_id)
    if method is None:
        adapters.uow.webhook_events.record(event.event_id, event.type, now)
        return
    _forget(adapters, org_id, customer_id, method, read, now, refuse_if_needed=False, event=event)


def refreshed_at_gateway(adapters, org_id: str, customer_id: str, gateway_method_id: str, card: CardDetails,
                         now: datetime, event: Event) -> None:
    """payment_method.updated / automatic_updated: the issuer renewed or replaced the card (new
    expiry, sometimes new last 4 digits), so the saved method shows, and is charged as, the card it
    is now. A method not saved here is only acknowledged."""
    read = mirror.saved(adapters, org_id, customer_id)
    method = _with_gateway_id(read.methods, gateway_method_id)
    fresh = method and changed(method, brand=card.brand, last4=card.last4, exp_month=card.exp_month,
                               exp_year=card.exp_year)
    if method is None or fresh == method:
        adapters.uow.webhook_events.record(event.event_id, event.type, now)
        return
    with adapters.uow.transaction("payment method") as tx:   # on the version read: a concurrent change is a 409
        mirror.change_in(adapters, tx, org_id, customer_id, read, put=(fresh,))
        adapters.uow.webhook_events.record_in(tx, event.event_id, event.type, now)


# -- shared pieces ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Attached:
    saved: SavedMethod
    gateway_customer_id: str


def _attach(adapters, org_id: str, customer_id: str, gateway_method_id: str, now: datetime, *,
            saved_before: PaymentMethod | None = None) -> Attached:
    """The card attached to the customer's gateway customer: the one a method saved before at the
    same gateway was attached to, or else looked up (and created on first use) from the customer."""
    gateway = adapters.gateway
    gateway_customer_id = saved_before.gateway_customer_id if saved_before and saved_before.gateway == gateway.name \
        else None
    if gateway_customer_id is None:
        gateway_customer_id = gateway_customers.ensure(adapters, org_id,
                                                       adapters.uow.customers.get(org_id, customer_id), now)
    try:
        saved = gateway.attach_method(gateway_customer_id=gateway_customer_id, method_id=gateway_method_id)
    except PaymentGatewayError as error:
        raise InvalidInput({"payment_method": error.message}, codes={"payment_method": "card_refused"}) from None
    return Attached(saved, gateway_customer_id)


def _keep(adapters, org_id: str, customer_id: str, attached: Attached, *, make_default: bool, now: datetime,
          event: Event | None = None, by: str = "") -> PaymentMethod:
    """Keep the attached card, or answer it where it is kept already. Two savers of one card race
    as a rule (the browser, and Stripe's setup_intent.succeeded for the same card): the one whose
    write finds the methods changed reads them again, and then finds the card kept by the other."""
    for attempt in range(KEEP_ATTEMPTS):
        try:
            return _keep_once(adapters, org_id, customer_id, attached, make_default=make_default, now=now,
                              event=event, by=by)
        except ConcurrentUpdate:
            if attempt + 1 == KEEP_ATTEMPTS:
                raise


def _keep_once(adapters, org_id: str, customer_id: str, attached: Attached, *, make_default: bool, now: datetime,
               event: Event | None, by: str) -> PaymentMethod:
    # once: is the card known, is it the first, who was default
    read = mirror.saved(adapters, org_id, customer_id)
    kept = read.methods
    known = _with_gateway_id(kept, attached.saved.gateway_method_id)
    if known is not None:   # the same card again (a double click, or the webhook came first)
        if event is not None:
            adapters.uow.webhook_events.record(event.event_id, event.type, now)
        return _as_default(adapters, org_id, customer_id, known, read, now, by=by) if make_default else known
    first = not kept
    method = _new_method(adapters, customer_id, attached, is_default=make_default or first, now=now)
    with adapters.uow.transaction("payment method") as tx:
        demoted = _demoted(kept, method.payment_method_id) if method.is_default and not first else ()
        mirror.change_in(adapters, tx, org_id, customer_id, read, put=(method, *demoted))
        _activity_in(adapters, tx, org_id, customer_id, "payment_method.added", method, now, event=event, by=by)
        if event is not None:
            adapters.uow.webhook_events.record_in(tx, event.event_id, event.type, now)
    return method


def _as_default(adapters, org_id: str, customer_id: str, method: PaymentMethod, read: Saved,
                now: datetime, *, by: str = "") -> PaymentMethod:
    """`method` made the default, the others of `read` (the saved methods as read) no longer."""
    if method.is_default:
        return method
    chosen = changed(method, is_default=True)
    with adapters.uow.transaction("payment method") as tx:
        mirror.change_in(adapters, tx, org_id, customer_id, read,
                         put=(chosen, *_demoted(read.methods, method.payment_method_id)))
        _activity_in(adapters, tx, org_id, customer_id, "payment_method.made_default", chosen, now, by=by)
    return chosen


def _forget(adapters, org_id: str, customer_id: str, method: PaymentMethod, read: Saved, now: datetime, *,
            refuse_if_needed: bool, chosen: PaymentMethod | None = None, event: Event | None = None,
            by: str = "") -> None:
    """`refuse_if_needed` (the customer removes it): subscriptions charged automatically go to the
    `chosen` card, or the removal is refused naming them. Otherwise (the gateway forgot the card)
    they go to the default card, as nothing can charge the old one any more."""
    others = [m for m in read.methods if m.payment_method_id != method.payment_method_id]
    using = adapters.uow.subscriptions.charged_to(org_id, customer_id, method.payment_method_id)
    auto_charged = [s for s in using if s.auto_charge and s.status not in _ENDED]
    if refuse_if_needed and auto_charged and chosen is None:
        _refuse_removal(auto_charged, others)
    successor = next((m for m in others if m.is_default), others[-1] if others else None)
    subscriptions_go_to = chosen if refuse_if_needed else successor
    with adapters.uow.transaction("payment method") as tx:
        promoted = (changed(chosen or successor, is_default=True),) if method.is_default and successor else ()
        mirror.change_in(adapters, tx, org_id, customer_id, read, put=promoted, deleted=(method,))
        for sub in using:
            _move_in(adapters, tx, org_id, sub, subscriptions_go_to, now)
        _activity_in(adapters, tx, org_id, customer_id, "payment_method.removed", method, now, event=event, by=by)
        if event is not None:
            adapters.uow.webhook_events.record_in(tx, event.event_id, event.type, now)


def _refuse_removal(auto_charged: list[Subscription], others: list[PaymentMethod]) -> None:
    named = [f"{s.plan.name} ({s.reference})" if s.reference else s.plan.name for s in auto_charged]
    names = ", ".join(named)
    details = {"subscription_ids": [s.subscription_id for s in auto_charged], "subscriptions": named}
    if not others:
        raise BusinessRuleViolation(
            f"This is the only payment method of subscriptions charged automatically ({names}). "
            "Add another payment method first, or replace this one.", "payment_method_in_use", details)
    raise BusinessRuleViolation(
        f"This card pays subscriptions automatically ({names}). Choose which of your other cards pays them "
        "from now on, or replace this card.", "payment_method_in_use", details)


def _move_in(adapters, tx, org_id: str, sub: Subscription, successor: PaymentMethod | None, now: datetime) -> None:
    adapters.uow.subscriptions.charge_to_in(tx, org_id, sub, successor.payment_method_id if successor else None, now)


def _demoted(kept: list[PaymentMethod], keep_id: str) -> tuple[PaymentMethod, ...]:
    """The others of `kept` that were the default, no longer."""
    return tuple(changed(other, is_default=False) for other in kept
                 if other.is_default and other.payment_method_id != keep_id)


def _with_gateway_id(kept: list[PaymentMethod], gateway_method_id: str) -> PaymentMethod | None:
    return next((m for m in kept if m.gateway_method_id == gateway_method_id), None)


def _one_of(kept: list[PaymentMethod], payment_method_id: str) -> PaymentMethod:
    """The customer's method `payment_method_id`, taken from their saved methods (a consistent
    Query by owner, so another customer's id is simply not there): NotFound otherwise."""
    found = next((m for m in kept if m.payment_method_id == payment_method_id), None)
    if found is None:
        raise NotFound("payment method")
    return found


def _new_method(adapters, customer_id: str, attached: Attached, *, is_default: bool, now: datetime) -> PaymentMethod:
    card = attached.saved.card
    return PaymentMethod(new_id("payment_method", now), customer_id, adapters.gateway.name,
                         attached.saved.gateway_method_id, card.brand, card.last4, card.exp_month, card.exp_year,
                         now, is_default=is_default, gateway_customer_id=attached.gateway_customer_id)


def _detach(adapters, method: PaymentMethod) -> None:
    try:
        adapters.gateway.detach_method(gateway_method_id=method.gateway_method_id)
    except PaymentGatewayError:
        pass   # forgotten here, so never charged again; the gateway keeps an unused card


def _activity_in(adapters, tx, org_id: str, customer_id: str, action: str, method: PaymentMethod, now: datetime,
                 summary: str | None = None, *, event: Event | None = None, by: str = "") -> None:
    actor = Actor("gateway", event.event_id) if event else Actor("customer", by or customer_id)
    adapters.uow.activity.record(org_id, ActivityRecord(
        new_id("activity", now), customer_id, actor, action, "payment_method",
        method.payment_method_id, now, summary or method.summary), tx)

