"""Dunning never outlasts the term it collects, whatever the merchant's retry schedule, the billing
period and the day the customer's card works again or the customer pays (docs/billing.md, "Dunning
the customer sees" and "Unpaid subscriptions").

The scheduled runner is played in the domain (no AWS), as services/subscriptions/scheduled.py plays
it: a run a minute after each day begins, doing the work due round after round until none is left
(as a test clock's advance does), the term's charge right after its invoice. Then:

- no run bills more than one term: nothing comes out of dunning or unpaid into a catch-up;
- no term is billed that began on a day the subscription was held back (in dunning or unpaid) all
  day: the terms missed meanwhile are not billed;
- no invoice is raised later than the day after the term it bills began (a term begun on the day
  of a late payment is invoiced by the next run).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from hypothesis import given, note, settings, strategies as st

from chalicelib.domain import scheduling
from chalicelib.domain.billing import Bill
from chalicelib.domain.calendar import add_periods
from chalicelib.domain.preferences import DunningSettings
from chalicelib.domain.scheduling import Work
from chalicelib.domain.subscription import PlanSnapshot, Subscription
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
DAY = timedelta(days=1)
RUN_AFTER = timedelta(minutes=1)      # the job runs a moment after the day's work falls due
NEXT_RUN = timedelta(minutes=5)       # and every 5 minutes
PERIODS = (("week", 1), ("week", 2), ("month", 1), ("month", 3), ("year", 1))
HELD = (Status.DUNNING, Status.UNPAID)


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def retry_schedules():
    return st.builds(lambda days, exhausted: DunningSettings(tuple(sorted(days)), exhausted),
                     st.sets(st.integers(min_value=1, max_value=60), min_size=1, max_size=10),
                     st.sampled_from(["unpaid", "cancel"]))


def a_live_subscription(period: tuple[str, int], anchor: date) -> Subscription:
    """Auto-charged, its first term (from `anchor`) paid."""
    plan = PlanSnapshot("plan", "Plan", 1_000, *period)
    return Subscription("sub_1", "cus_1", Status.LIVE, plan, "USD", at_noon(anchor), billing_anchor=anchor,
                        term_start=anchor, term_end=add_periods(anchor, *period), activated_at=at_noon(anchor),
                        auto_charge=True, payment_method_id="pm_1")


@dataclass
class Invoice:
    term_start: date
    raised_on: date
    run: int


@dataclass
class Runner:
    """The scheduled work and the customer, played over time; what was billed, and when the
    subscription was held back."""
    sub: Subscription
    dunning: DunningSettings
    card_works_from: date | None          # the card is declined before this day (None: always)
    pays_on: date | None                  # the customer pays the unpaid invoice in the portal at noon
    invoices: list[Invoice] = field(default_factory=list)
    runs: int = 0
    clock: datetime = datetime.min.replace(tzinfo=UTC)
    held: list[tuple[datetime, bool]] = field(default_factory=list)    # (from when, held back)

    def card_works(self, now: datetime) -> bool:
        return self.card_works_from is not None and now.date() >= self.card_works_from

    def next_moment(self) -> datetime | None:
        """The next run that has work to do (a moment after it falls due, or the next run after a
        payment made it due already), or the customer's payment, whichever comes first."""
        due = scheduling.due_at(self.sub)
        moments = [max(due + RUN_AFTER, self.clock + NEXT_RUN)] if due is not None else []
        if self.pays_on is not None and self.sub.status in HELD and at_noon(self.pays_on) > self.clock:
            moments.append(at_noon(self.pays_on))
        return min(moments, default=None)

    def at(self, now: datetime) -> None:
        self.clock = now
        if self.pays_on is not None and now == at_noon(self.pays_on):
            self.customer_pays(now)
        else:
            self.run(now)
        self.held.append((now, self.sub.status in HELD))

    def customer_pays(self, now: datetime) -> None:
        settled = scheduling.invoice_settled(self.sub, self.sub.unpaid_invoice_id, now)
        if settled is not None:
            self.sub = settled[0]

    def run(self, now: datetime) -> None:
        self.runs += 1
        while (work := scheduling.work_due(self.sub, now)) is not None:
            self.sub = self.work(work, now)

    def work(self, work: Work, now: datetime) -> Subscription:
        sub = self.sub
        if work == Work.RENEW:
            return self.new_term(scheduling.renewed(sub), now)
        if work == Work.BILL_TERM:
            return self.new_term(scheduling.unbilled_term(sub), now)
        if work == Work.DUNNING_RETRY:
            if self.card_works(now):
                return scheduling.dunning_paid(sub, now)
            return scheduling.dunning_retry_failed(sub, self.dunning, now, "card_declined")
        if work == Work.DUNNING_END:
            return scheduling.dunning_ended(sub, self.dunning)
        raise AssertionError(f"no {work} in these lifecycles")

    def new_term(self, bill: Bill, now: datetime) -> Subscription:
        after = bill.subscription
        self.invoices.append(Invoice(after.term_start, after.today(now), self.runs))
        marked = scheduling.awaiting_charge(after, f"inv_{len(self.invoices)}", now)
        if self.card_works(now):
            return scheduling.charge_left(marked)
        return scheduling.renewal_charge_failed(marked, self.dunning, "card_declined")

    def held_all_day(self, day: date) -> bool:
        start, end = datetime.combine(day, time(), tzinfo=UTC), datetime.combine(day + DAY, time(), tzinfo=UTC)
        before = [held for when, held in self.held if when <= start]
        return bool(before) and before[-1] and all(held for when, held in self.held if start < when < end)


@settings(max_examples=300, deadline=None)
@given(dunning=retry_schedules(), period=st.sampled_from(PERIODS),
       anchor=st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)),
       card_works_after=st.one_of(st.none(), st.integers(min_value=0, max_value=120)),
       pays_after=st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
def test_no_run_bills_a_catch_up_and_no_term_is_billed_that_began_while_the_subscription_was_held_back(
        dunning, period, anchor, card_works_after, pays_after):
    # Given a live subscription whose renewal's charge is declined until the card works again
    sub = a_live_subscription(period, anchor)
    renewal = sub.term_end
    runner = Runner(sub, dunning, renewal + timedelta(days=card_works_after) if card_works_after is not None else None,
                    renewal + timedelta(days=pays_after) if pays_after is not None else None)
    runner.held.append((at_noon(anchor), False))

    # When the scheduled work runs, and the customer pays on their day, for a good while
    horizon = at_noon(add_periods(renewal, *period, periods=3) + timedelta(days=400))
    while (moment := runner.next_moment()) is not None and moment <= horizon:
        runner.at(moment)
        note(f"{moment:%Y-%m-%d %H:%M} {runner.sub.status.value} term {runner.sub.term} "
             f"retry {runner.sub.next_retry_at}")

    # Then no run billed more than one term
    per_run = [invoice.run for invoice in runner.invoices]
    assert all(per_run.count(run) <= 1 for run in per_run), runner.invoices
    # and no term billed began on a day the subscription was held back all day
    assert not [i for i in runner.invoices if runner.held_all_day(i.term_start)], runner.invoices
    # and each invoice was raised on the day its term began, or the next (a term from a late payment)
    assert all(invoice.raised_on - invoice.term_start <= DAY for invoice in runner.invoices), runner.invoices
