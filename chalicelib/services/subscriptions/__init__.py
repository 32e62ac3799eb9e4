"""The customer's subscription actions in the portal, what the merchant does with subscriptions and the
catalog, and the scheduled work that carries out what was scheduled."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from datetime import date, datetime

    from ...domain.cancellation_feedback import CancellationReport
    from ...domain.catalog import Addon, Coupon, Plan
    from ...domain.organization import Organization
    from ...domain.quotes import Quote
    from ...domain.subscription import Subscription
    from ...domain.subscription_actions import When
    from ...tables.pages import Page
    from ..documents.views import Listed
    from .actions import Outcome
    from .cancellations import CancelDialog
    from .commands import Caller, ChangeRequest, CouponChanges, NewSubscription
    from .dunning import DunningView
    from .scheduled import RunReport, TestClockRun, WorkDone
    from .scheduled_queue import Discovery, DueItem
    from .views import Line, Options, View


class Subscriptions:
    """Subscriptions' use cases, one method each. Each imports its module when called, so that
    `import app` loads none of them."""

    def __init__(self, adapters):
        self._adapters = adapters

    # the customer's subscriptions, as the portal shows them

    def page(self, org: Organization, customer_id: str, *, status: str | None, limit: int,
             cursor: str | None) -> Page[Line]:
        from .views import list_subscriptions
        return list_subscriptions(self._adapters, org, customer_id, status=status, limit=limit, cursor=cursor)

    def detail(self, org: Organization, customer_id: str, subscription_id: str, now: datetime) -> View:
        from .views import subscription_detail
        return subscription_detail(self._adapters, org, customer_id, subscription_id, now)

    def invoices(self, org: Organization, customer_id: str, subscription_id: str, *, limit: int,
                 cursor: str | None, now: datetime) -> Page[Listed]:
        from .views import subscription_invoices
        return subscription_invoices(self._adapters, org, customer_id, subscription_id, limit=limit,
                                     cursor=cursor, now=now)

    def dunning(self, org: Organization, customer_id: str, subscription_id: str) -> DunningView:
        from .dunning import dunning_of
        return dunning_of(self._adapters, org, customer_id, subscription_id)

    def options(self, org: Organization, now: datetime) -> Options:
        from .views import subscription_options
        return subscription_options(self._adapters, org, now)

    # what the customer does with them (each action that costs money has its preview)

    def activation_preview(self, caller: Caller, subscription_id: str, *, now: datetime) -> Quote:
        from .trials import activation_preview
        return activation_preview(self._adapters, caller, subscription_id, now=now)

    def activate(self, caller: Caller, subscription_id: str, *, quote_id: str | None, now: datetime) -> Outcome:
        from .trials import activate
        return activate(self._adapters, caller, subscription_id, quote_id=quote_id, now=now)

    def extend_trial(self, caller: Caller, subscription_id: str, *, now: datetime) -> Outcome:
        from .trials import extend_trial
        return extend_trial(self._adapters, caller, subscription_id, now=now)

    def change_preview(self, caller: Caller, subscription_id: str, request: ChangeRequest, *, when: When,
                       now: datetime) -> Quote:
        from .changes import change_preview
        return change_preview(self._adapters, caller, subscription_id, request, when=when, now=now)

    def change(self, caller: Caller, subscription_id: str, request: ChangeRequest, *, when: When,
               quote_id: str | None, now: datetime) -> Outcome:
        from .changes import change
        return change(self._adapters, caller, subscription_id, request, when=when, quote_id=quote_id, now=now)

    def set_auto_charge(self, caller: Caller, subscription_id: str, *, enabled: bool, now: datetime) -> Outcome:
        from .changes import set_auto_charge
        return set_auto_charge(self._adapters, caller, subscription_id, enabled=enabled, now=now)

    def choose_payment_method(self, caller: Caller, subscription_id: str, *, payment_method_id: str,
                              auto_charge: bool | None, now: datetime) -> Outcome:
        from .changes import choose_payment_method
        return choose_payment_method(self._adapters, caller, subscription_id, payment_method_id=payment_method_id,
                                     auto_charge=auto_charge, now=now)

    def pause_preview(self, caller: Caller, subscription_id: str, *, pause_at: date | None, resume_at: date | None,
                      now: datetime) -> Quote:
        from .pauses import pause_preview
        return pause_preview(self._adapters, caller, subscription_id, pause_at=pause_at, resume_at=resume_at, now=now)

    def pause(self, caller: Caller, subscription_id: str, *, pause_at: date | None, resume_at: date | None,
              now: datetime, quote_id: str | None = None) -> Outcome:
        from .pauses import set_pause_schedule
        return set_pause_schedule(self._adapters, caller, subscription_id, pause_at=pause_at, resume_at=resume_at,
                                  now=now, quote_id=quote_id)

    def remove_pause(self, caller: Caller, subscription_id: str, *, now: datetime) -> Outcome:
        from .pauses import remove_pause_schedule
        return remove_pause_schedule(self._adapters, caller, subscription_id, now=now)

    def resume_preview(self, caller: Caller, subscription_id: str, *, now: datetime) -> Quote:
        from .pauses import resume_preview
        return resume_preview(self._adapters, caller, subscription_id, now=now)

    def resume(self, caller: Caller, subscription_id: str, *, quote_id: str | None, now: datetime) -> Outcome:
        from .pauses import resume
        return resume(self._adapters, caller, subscription_id, quote_id=quote_id, now=now)

    def cancel_preview(self, caller: Caller, subscription_id: str, *, when: When, now: datetime) -> Quote:
        from .cancellations import cancellation_preview
        return cancellation_preview(self._adapters, caller, subscription_id, when=when, now=now)

    def cancel(self, caller: Caller, subscription_id: str, *, when: When, reason: str | None, now: datetime,
               comment: str | None = None) -> Outcome:
        from .cancellations import cancel
        return cancel(self._adapters, caller, subscription_id, when=when, reason=reason, comment=comment, now=now)

    def cancel_dialog(self, caller: Caller, subscription_id: str, *, now: datetime) -> CancelDialog:
        from .cancellations import cancel_dialog
        return cancel_dialog(self._adapters, caller, subscription_id, now=now)

    def accept_retention_offer(self, caller: Caller, subscription_id: str, *, quote_id: str | None,
                               now: datetime) -> Outcome:
        from .cancellations import accept_retention_offer
        return accept_retention_offer(self._adapters, caller, subscription_id, quote_id=quote_id, now=now)

    def remove_cancellation(self, caller: Caller, subscription_id: str, *, now: datetime) -> Outcome:
        from .cancellations import remove_scheduled_cancellation
        return remove_scheduled_cancellation(self._adapters, caller, subscription_id, now=now)

    def undo(self, caller: Caller, subscription_id: str, *, now: datetime) -> Outcome:
        """Undo the last immediate cancellation or downgrade, within the merchant's window."""
        from .undoing import undo_last_action
        return undo_last_action(self._adapters, caller, subscription_id, now=now)

    def reactivate_preview(self, caller: Caller, subscription_id: str, *, changes: ChangeRequest | None,
                           now: datetime) -> Quote:
        from .reactivation import reactivation_preview
        return reactivation_preview(self._adapters, caller, subscription_id, changes=changes, now=now)

    def reactivate(self, caller: Caller, subscription_id: str, *, changes: ChangeRequest | None,
                   quote_id: str | None, now: datetime) -> Outcome:
        from .reactivation import reactivate
        return reactivate(self._adapters, caller, subscription_id, changes=changes, quote_id=quote_id, now=now)

    # the merchant's

    def create(self, org_id: str, new: NewSubscription, now: datetime) -> Subscription:
        from .admin import create_subscription
        return create_subscription(self._adapters, org_id, new, now)

    def cancellation_report(self, org_id: str, *, start: date, end: date) -> CancellationReport:
        from .cancellations import cancellation_report
        return cancellation_report(self._adapters, org_id, start=start, end=end)

    def catalog(self, org_id: str, kind: str) -> list:
        from .catalog import list_items
        return list_items(self._adapters, org_id, kind)

    def add_plan(self, org_id: str, plan: Plan, now: datetime) -> Plan:
        from .catalog import add_plan
        return add_plan(self._adapters, org_id, plan, now)

    def add_addon(self, org_id: str, addon: Addon, now: datetime) -> Addon:
        from .catalog import add_addon
        return add_addon(self._adapters, org_id, addon, now)

    def add_coupon(self, org_id: str, coupon: Coupon, now: datetime) -> Coupon:
        from .catalog import add_coupon
        return add_coupon(self._adapters, org_id, coupon, now)

    def change_coupon(self, org_id: str, code: str, changes: CouponChanges) -> Coupon:
        from .catalog import change_coupon
        return change_coupon(self._adapters, org_id, code, changes)

    # scheduled work

    def run_due(self, clock: str, now: datetime, **limits) -> RunReport:
        """The work due at `now` on `clock` (`limits`: budget_seconds, by default the job's from the settings; page)."""
        from .scheduled import run_due
        return run_due(self._adapters, clock, now, **limits)

    def discover_due(self, clock: str, now: datetime, *, per_org: int,
                     out_of_time: Callable[[], bool] = lambda: False) -> Discovery:
        """The work due at `now` on `clock`, at most `per_org` items per organization, to fan out;
        read until `out_of_time()` says the discovery's budget is spent."""
        from .scheduled_queue import discover_due
        return discover_due(self._adapters, clock, now, per_org=per_org, out_of_time=out_of_time)

    def run_due_item(self, item: DueItem, now: datetime, orgs: dict | None = None) -> WorkDone | None:
        """One item a discovery sent, done if still due and nobody holds it (`orgs`: those read so far
        in the batch, kept between its items)."""
        from .scheduled_queue import run_due_item
        return run_due_item(self._adapters, item, now, orgs)

    def advance_test_clock(self, org_id: str, advance_to: datetime, *, real_now: datetime,
                           budget_seconds: float | None = None) -> TestClockRun:
        from .scheduled import advance_test_clock
        return advance_test_clock(self._adapters, org_id, advance_to, real_now=real_now,
                                  budget_seconds=budget_seconds)
