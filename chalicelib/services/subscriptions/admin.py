"""The merchant's back office for subscriptions: new ones (future, trial or live) or ones imported in any
status with their days, at the organization's time; a new live subscription's first term invoiced at once."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from ...domain import billing, coupons, paying, scheduling
from ...domain.catalog import coupon_key
from ...domain.engagement import ActivityRecord, Actor
from ...domain.errors import STATUS_WORDS, InvalidInput, NotFound
from ...domain.ids import new_id
from ...domain.organization import clock_name
from ...domain.subscription import AppliedCoupon, PlanSnapshot, Subscription, SubscriptionAddon, new_series
from ...domain.subscription_actions import starting_term
from ...domain.subscription_status import Status
from ..documents import document_emails, invoicing
from ..numbering import INVOICE_NUMBERS, Numbers, retried
from .commands import NewSubscription

MERCHANT = Actor("merchant", "back office")


@retried
def create_subscription(adapters, org_id: str, new: NewSubscription, now: datetime) -> Subscription:
    """A new subscription (future, trial or live), or one imported in any status with its days, at
    the organization's time (its test clock in test mode). A new live subscription's first term is
    invoiced at once, and charged by the next scheduled run when it auto-charges a saved method."""
    plan_code, customer_id, coupon_code = new.plan_code, new.customer_id, new.coupon_code
    wanted = [("plan", plan_code), *(("addon", code) for code, _ in new.addons)] + (
        [("coupon", coupon_code)] if coupon_code is not None else [])
    org, customer, found, last_numbers = adapters.uow.catalog.with_organization_and_customer(
        org_id, customer_id, wanted, sequences=(INVOICE_NUMBERS,))
    now = org.now(now)
    plan = found.get(("plan", plan_code))
    if plan is None:
        raise NotFound("plan")
    if not plan.active:
        raise InvalidInput({"plan_code": "This plan is no longer sold."})
    snapshot = PlanSnapshot(plan.code, plan.name, plan.price_minor, plan.interval, plan.interval_count,
                            plan.trial_days)
    sub = Subscription(subscription_id=new_id("subscription", now), customer_id=customer.customer_id,
                       status=Status(new.status), plan=snapshot, currency=customer.currency, created_at=now,
                       addons=_addons(found, plan.code, new.addons),
                       coupon=_coupon(found, plan.code, customer.currency, coupon_code, now),
                       auto_charge=new.auto_charge, payment_method_id=new.payment_method_id, reference=new.reference,
                       time_zone=org.time_zone)
    sub = coupons.remembering_coupons(None, _place_in_time(sub, now, new.starts_at, new.imported()))
    billed = email = None
    if sub.status == Status.LIVE and new.term_start is None:
        bill = billing.term_bill(sub)
        billed = invoicing.issue(adapters, org, bill, now=now, actor=MERCHANT,
                                 credits=invoicing.open_credits(adapters, org_id, customer.customer_id),
                                 numbers=Numbers(adapters, org_id, last_numbers))
        sub = bill.subscription
        if sub.charges_automatically and paying.worth_charging(billed.amount_due_minor, sub.currency):
            sub = scheduling.awaiting_charge(sub, billed.invoice.invoice_id, now)
        elif billed.invoice is not None:     # the customer pays it themselves
            email = document_emails.invoice_issued(org, customer, billed.invoice, now)
    with adapters.uow.transaction("subscription") as tx:
        item = adapters.uow.subscriptions.add_in(tx, org_id, sub, clock=clock_name(org))
        if billed is not None:
            invoicing.write(adapters, tx, org_id, billed, now=now)
        if email is not None:
            adapters.uow.emails.put_in(tx, email)
        for code in coupons.redeemed(None, sub):
            adapters.uow.catalog.redeem_in(tx, org_id, code, now=now, by="merchant", field="coupon_code")
        adapters.uow.activity.record(org_id, ActivityRecord(
            activity_id=new_id("activity", now), customer_id=sub.customer_id, actor=MERCHANT,
            action="subscription.created", subject_type="subscription", subject_id=sub.subscription_id, at=now,
            summary=f"{snapshot.name}, {STATUS_WORDS[sub.status.value]}"), tx)
    return adapters.uow.subscriptions.saved(item)


def _place_in_time(sub: Subscription, now: datetime, starts_at: date | None, imported: dict) -> Subscription:
    """The days of a new or imported subscription (`imported`: the parts it already has, by name). An
    imported term keeps its anchor's day of the month when its end follows from its start
    (Jan 31 -> Feb 28 -> Mar 31), else renews from its end."""
    today = sub.today(now)
    sub = replace(sub, **imported)
    status = sub.status
    if status == Status.FUTURE:
        if starts_at is None or starts_at <= today:
            raise InvalidInput({"starts_at": "A future subscription needs a start day after today."})
        return replace(sub, starts_at=starts_at)
    if status == Status.TRIAL:
        days = sub.plan.trial_days or 14
        return replace(sub, trial_start=today, trial_end=sub.trial_end or today + timedelta(days=days))
    if sub.term_start is None and sub.term_end is None:
        sub = starting_term(sub, today, sub.plan)
    else:
        sub = _imported_term(sub)
    sub = replace(sub, activated_at=sub.day_starts(sub.term_start))
    if status == Status.DUNNING and sub.next_retry_at is None:
        sub = replace(sub, next_retry_at=now + timedelta(days=1))
    if status == Status.PAUSED:
        # an imported pause keeps no paid days: its last term is history, and resuming starts a new one
        sub = replace(sub, paused_at=sub.paused_at or today, term_start=None, term_end=None, billing_anchor=None)
    if status == Status.CANCELLED and sub.cancelled_at is None:
        sub = replace(sub, cancelled_at=now)
    if status == Status.EXPIRED and sub.expired_at is None:
        sub = replace(sub, expired_at=now)
    return sub


def _imported_term(sub: Subscription) -> Subscription:
    start, end = sub.term_start, sub.term_end
    if start is None:
        raise InvalidInput({"term_start": "An imported term needs its first day."})
    if end is None:
        return starting_term(sub, start, sub.plan)
    if end <= start:
        raise InvalidInput({"term_end": "Must be after term_start."})
    if new_series(start, sub.plan).end == end:
        return replace(sub, billing_anchor=start)
    return replace(sub, billing_anchor=end)


def _addons(found: dict, plan_code: str, wanted) -> tuple[SubscriptionAddon, ...]:
    chosen = []
    for index, (code, quantity) in enumerate(wanted):
        addon = found.get(("addon", code))
        if addon is None or not addon.active or not addon.fits(plan_code):
            raise InvalidInput({f"addons.{index}.code": "Not an addon of this plan."})
        chosen.append(SubscriptionAddon(addon.code, addon.name, addon.price_minor, quantity, addon.recurring))
    return tuple(chosen)


def _coupon(found: dict, plan_code: str, currency: str, code: str | None, now: datetime) -> AppliedCoupon | None:
    """The merchant may apply any coupon of the catalog, offered in the portal or not."""
    if code is None:
        return None
    return coupons.applicable(found.get(("coupon", coupon_key(code))), by="merchant", sub=None,
                              plan_code=plan_code, currency=currency, now=now, field="coupon_code")
