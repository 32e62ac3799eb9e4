"""The customer's subscriptions as the portal shows them: the list with its filters, the detail
with everything scheduled and what the customer may do now, and a subscription's invoices.

Each answer is a typed result: the subscription (a domain value) with what the domain says of it at
the organization's time (`Line`, `View`, `Options`). Their wire shapes are written once, by the
response models that build them (`handlers/responses/subscriptions.py`: `SubscriptionPage.of`,
`SubscriptionDetail.of`, `SubscriptionOptions.of`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ...domain import billing, coupon_cycles, quotes
from ...domain import coupons as coupon_rules
from ...domain import subscription_actions as actions
from ...domain import undo
from ...domain.catalog import Addon, Coupon, Plan
from ...domain.organization import Organization
from ...domain.preferences import EditPreferences
from ...domain.subscription import Subscription
from ...domain.subscription_actions import ActionState
from ...domain.subscription_status import Status
from ...tables.pages import Page
from ..documents.views import Listed, listed


@dataclass(frozen=True)
class Line:
    """A subscription as a line of the list, with what its current term costs (a coupon for some
    terms taken off) and what every term costs (its price per period)."""
    subscription: Subscription
    amount_per_term_minor: int
    price_per_term_minor: int


@dataclass(frozen=True)
class View(Line):
    """A subscription as its detail shows it at the organization's `now`: whether it shows a term in
    use (not in a trial, nor in a pause that keeps its paid days), the day a scheduled change or
    cancellation takes effect, the paid days a pause keeps, the terms each coupon still discounts,
    what the next invoice comes to, how many trial extensions the merchant allows, each portal
    action allowed or refused, and until when its last immediate cancellation or downgrade may be
    undone (None: it may not be)."""
    shows_current_term: bool
    term_ends_on: date | None
    paid_days_kept: int
    coupon_cycles_left: int | None
    scheduled_coupon_cycles_left: int | None
    next_billing_amount_minor: int | None
    trial_extensions_allowed: int
    allowed_actions: tuple[ActionState, ...]
    undo_until: datetime | None = None
    undo_minutes_left: int | None = None


@dataclass(frozen=True)
class Options:
    """What customers may choose when editing or reactivating, under the merchant's `edit` rules."""
    plans: tuple[Plan, ...]
    addons: tuple[Addon, ...]
    coupons: tuple[Coupon, ...]
    edit: EditPreferences


def list_subscriptions(adapters, org: Organization, customer_id: str, *, status: str | None, limit: int,
                       cursor: str | None) -> Page[Line]:
    """`org` as the session check read it: its preferences say whether subscriptions are shown."""
    org.preferences.require("subscriptions")
    page = adapters.uow.subscriptions.page(org.org_id, customer_id, status=status, limit=limit, cursor=cursor)
    return Page([line(sub) for sub in page.items], page.next_cursor)


def subscription_detail(adapters, org: Organization, customer_id: str, subscription_id: str, now: datetime) -> View:
    """The subscription, read eventually consistent (it is only shown), at the time of `org` (the
    session check's)."""
    org.preferences.require("subscriptions")
    sub = adapters.uow.subscriptions.get(org.org_id, customer_id, subscription_id)
    return view(org, sub, org.now(now))


def subscription_invoices(adapters, org: Organization, customer_id: str, subscription_id: str, *, limit: int,
                          cursor: str | None, now: datetime) -> Page[Listed]:
    """The lines of /portal/invoices, of one subscription. Not gated by the subscriptions module:
    these invoices are the customer's own and shown by the invoices module anyway; only whose
    subscription it is matters (404)."""
    adapters.uow.subscriptions.get(org.org_id, customer_id, subscription_id)   # NotFound if not theirs
    at = org.today(now)
    found = adapters.uow.invoices.for_subscription(org.org_id, customer_id, subscription_id, limit=limit,
                                                   cursor=cursor)
    return Page([listed(invoice, at) for invoice in found.items], found.next_cursor)


def subscription_options(adapters, org: Organization, now: datetime) -> Options:
    """What customers may choose when editing or reactivating a subscription, and when changes may
    apply: the offered plans, the addons (each says which plans it fits and whether it recurs or
    is billed once) and the coupons offered in the portal that a customer could apply now
    (unexpired, not used up); none of a part the merchant does not let customers change. `org` as
    the session check read it."""
    org.preferences.require("edit_subscription")
    edit = org.preferences.edit_subscription
    offered = adapters.uow.catalog.active_by_kind(org.org_id)
    plans = [p for p in offered["plan"] if p.currency == org.currency
             and (not edit.allowed_plan_codes or p.code in edit.allowed_plan_codes)]
    addons = [a for a in offered["addon"] if a.currency == org.currency]
    coupons = [c for c in offered["coupon"]
               if c.currency in (None, org.currency) and coupon_rules.offered_in_portal(c, org.now(now))]
    return Options(tuple(plans) if edit.change_plan else (), tuple(addons) if edit.change_addons else (),
                   tuple(coupons) if edit.change_coupon else (), edit)


def line(sub: Subscription) -> Line:
    amount, price = billing.amount_and_price_per_term(sub, sub.term_start)
    return Line(sub, amount.amount_minor, price.amount_minor)


def view(org: Organization, sub: Subscription, now: datetime) -> View:
    """Everything the detail screen shows, at the organization's `now`."""
    following = quotes.next_term_amount(sub)
    paused_with_term = sub.status == Status.PAUSED and sub.term is not None and sub.paused_at is not None
    change = sub.scheduled_change
    amounts = line(sub)
    return View(
        sub, amounts.amount_per_term_minor, amounts.price_per_term_minor,
        shows_current_term=sub.term_start is not None and not actions.is_trial(sub) and not paused_with_term,
        term_ends_on=actions.term_end_of(sub),
        paid_days_kept=sub.term.days_remaining(sub.paused_at) if paused_with_term else 0,
        coupon_cycles_left=coupon_cycles.cycles_left(sub, sub.coupon),
        scheduled_coupon_cycles_left=coupon_cycles.cycles_left(sub, change.coupon) if change else None,
        next_billing_amount_minor=following.amount_minor if following is not None else None,
        trial_extensions_allowed=org.preferences.trial.extensions_allowed,
        allowed_actions=actions.allowed_actions(sub, org.preferences, now),
        undo_until=undo.open_until(sub, now), undo_minutes_left=undo.minutes_left(sub, now))
