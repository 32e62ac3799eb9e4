"""No day of service is billed twice or left unbilled, whatever happens to a subscription: a
property test over random lifecycles in the domain (no AWS).

A lifecycle is a random sequence, over random days and time zones, of what customers do (changes
now and at term end to plans of the same and other billing periods, with recurring and one-time
addons and coupons of every duration; pauses now and later; resumes; cancellations now and at
term end; reactivations) and of the time passing in between, during which the scheduled work
falls due (renewals, scheduled pauses and resumes, trial ends, cancellations at term end). Every
document line that bills or credits a plan names its days; after each lifecycle:

- no day is billed more than once, and every day the subscription was in service is billed once
  (paid days kept over a pause count as moved to after the resume);
- every credit is for days billed on the plan it credits (never another plan's price), and no day
  is credited more money than was billed for it (coupons of every duration included);
- every action's preview quoted what the action then billed, to the cent;
- the next invoice the subscription shows (its day and total: the detail's next billing, a
  quote's next term) is the invoice the scheduled job then raises, one-time addons and all.

Charges the scheduled job makes succeed or are declined as the lifecycle says (the card works or
not, or the payment service answers only later), so dunning, unpaid subscriptions, paying the
invoice that holds one, and trials whose first charge fails (their invoice taken back) are among
the lifecycles.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from itertools import count

from hypothesis import event, given, note, settings, strategies as st

from chalicelib.domain import quotes, scheduling
from chalicelib.domain import subscription_actions as actions
from chalicelib.domain.billing import Bill
from chalicelib.domain.calendar import local_date
from chalicelib.domain.errors import BusinessRuleViolation, InvalidInput
from chalicelib.domain.preferences import DunningSettings
from chalicelib.domain.preferences import preferences_from_dict
from chalicelib.domain.scheduling import Work
from chalicelib.domain.subscription import (AppliedCoupon, PlanSnapshot, Subscription, SubscriptionAddon)
from chalicelib.domain.subscription_actions import Selection
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
PLANS = (PlanSnapshot("pro", "Pro", 2_900, trial_days=14), PlanSnapshot("biz", "Business", 9_900),
         PlanSnapshot("pro_y", "Pro yearly", 29_000, "year"), PlanSnapshot("weekly", "Weekly", 700, "week"),
         PlanSnapshot("quarter", "Quarterly", 7_900, "month", 3))
PLAN_CODES = {plan.code for plan in PLANS}
ADDONS = (SubscriptionAddon("seats", "Seat", 500, 1), SubscriptionAddon("seats", "Seat", 500, 3),
          SubscriptionAddon("setup", "Onboarding", 9_900, 1, recurring=False))
COUPONS = (None, AppliedCoupon("ONCE", "Once", "once", amount_off_minor=1_000),
           AppliedCoupon("THRICE", "Thrice", "repeating", percent_off_bp=1_500, cycles=3),
           AppliedCoupon("ALWAYS", "Always", "forever", percent_off_bp=500))
ZONES = ("UTC", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata", "Europe/London")
IN_SERVICE = (Status.LIVE, Status.NON_RENEWING, Status.DUNNING)
DUNNING = DunningSettings()     # retries after 1, 3 and 5 days, then unpaid


def everything_on(unused_time: str):
    return preferences_from_dict({
        "trial": {"convert_to_live": True, "extend": True, "cancel": True}, "edit_subscription": {"enabled": True},
        "auto_charge": True, "pause_resume": {"enabled": True, "customer_can_resume": True, "unused_time": unused_time},
        "cancel": {"enabled": True}, "reactivate": True})


@dataclass
class Books:
    """What was billed, day by day, and what happened, day by day."""
    sub: Subscription
    card_works: bool = True
    card_answers_later: bool = False                            # the next charge's outcome comes 10 minutes late
    billed: Counter = field(default_factory=Counter)            # day -> plan lines billing it
    plan_on: dict = field(default_factory=dict)                 # day -> the plan it was billed on
    status_on: dict = field(default_factory=dict)               # day -> in service at its end
    quoted: list = field(default_factory=list)                  # (action, quote, bill)
    invoices: dict = field(default_factory=dict)                # invoice id -> its bill
    ids: count = field(default_factory=count)
    paid_for: Counter = field(default_factory=Counter)          # day -> money billed less credited for it (exact)
    rounded_by: Counter = field(default_factory=Counter)        # day -> how far rounding can have moved that

    def record(self, bill: Bill, day: date) -> str | None:
        """The bill's plan lines, and the subscription it leaves, on `day`; its invoice's id."""
        note(f"{day}: charge {[(l.description, l.amount.amount_minor, l.period) for l in bill.charge_lines]} "
             f"credit {[(l.description, l.amount.amount_minor, l.period) for l in bill.credit_lines]}")
        for line in bill.credit_lines:           # what was billed before, credited first
            if line.code in PLAN_CODES and line.period is not None:
                self._credit(line.period.start, line.period.end, line.code)
        for line in bill.charge_lines:
            if line.code in PLAN_CODES and line.period is not None:
                self._add(line.period.start, line.period.end, +1, line.code)
        self._pay(bill.charge_lines, +1)
        self._pay(bill.credit_lines, -1)
        self.set(bill.subscription, day)
        if not bill.charge_lines:
            return None
        invoice_id = f"inv_{next(self.ids)}"
        self.invoices[invoice_id] = bill
        return invoice_id

    def void(self, invoice_id: str) -> None:
        """An invoice taken back: the days it billed are billed no more."""
        for line in self.invoices[invoice_id].charge_lines:
            if line.code in PLAN_CODES and line.period is not None:
                self._add(line.period.start, line.period.end, -1, None)
        self._pay(self.invoices[invoice_id].charge_lines, -1)

    def _pay(self, lines, sign: int) -> None:
        """Each line of days (items, coupons) spread evenly over its days, and its rounding with it."""
        for line in lines:
            if line.period is not None:
                for offset in range(line.period.days):
                    self.paid_for[line.period.start + timedelta(days=offset)] += sign * Fraction(
                        line.amount.amount_minor, line.period.days)
                    self.rounded_by[line.period.start + timedelta(days=offset)] += Fraction(1, 2 * line.period.days)

    def _credit(self, start: date, end: date, code: str) -> None:
        """Credit is for what was billed: the days credited were billed on that plan."""
        day = start
        while day < end:
            assert self.plan_on.get(day) == code, (day, "credited on", code, "billed on", self.plan_on.get(day))
            day += timedelta(days=1)
        self._add(start, end, -1, None)

    def set(self, sub: Subscription, day: date) -> None:
        self.sub = sub
        for later in [later for later in self.status_on if later > day]:
            del self.status_on[later]       # work done late for an earlier day: what it leaves holds from then
        self.status_on[day] = sub.status in IN_SERVICE and not actions.is_trial(sub)
        note(f"{day}: {sub.status.value} {sub.plan.code} term {sub.term_start}..{sub.term_end} "
             f"paused {sub.paused_at} pause {sub.pause_at} resume {sub.resume_at}")

    def move(self, start: date, end: date, to: date) -> None:
        """Paid days kept over a pause: billed once, served later, on the same plan (and money)."""
        code = self.plan_on.get(start)
        self._add(start, end, -1, None)
        self._add(to, to + (end - start), +1, code)
        for ledger in (self.paid_for, self.rounded_by):
            kept = [ledger.pop(start + timedelta(days=offset), 0) for offset in range((end - start).days)]
            for offset, amount in enumerate(kept):
                ledger[to + timedelta(days=offset)] += amount

    def _add(self, start: date, end: date, amount: int, code: str | None) -> None:
        day = start
        while day < end:
            self.billed[day] += amount
            if amount > 0:
                self.plan_on[day] = code
            day += timedelta(days=1)


def next_invoice_shown(sub: Subscription) -> tuple[date | None, int | None]:
    """The day and total of the next invoice, as the subscription's detail and quotes show them."""
    amount = quotes.next_term_amount(sub)
    return sub.next_billing_on, amount.amount_minor if amount is not None else None


def run_due_work(books: Books, now: datetime, unused_time: str) -> None:
    """What the scheduled job does up to `now`, as services/subscriptions/scheduled.py runs it: each term it
    invoices is charged to the subscription's card, which works or is declined as the lifecycle says.
    Each invoice it raises is the one the subscription showed as its next, before the work that
    led to it (a resume of kept days and the start of a trial raise none: the next is still next)."""
    shown = next_invoice_shown(books.sub)
    for _ in range(500):
        sub = books.sub
        work = scheduling.work_due(sub, now)
        if work is None:
            return
        raised = len(books.invoices)
        do_work(books, work, now, unused_time)
        if len(books.invoices) > raised:
            bill = books.invoices[f"inv_{raised}"]
            assert shown == (bill.period.start, bill.charge_total.amount_minor), (work, shown, bill.charge_lines)
        if len(books.invoices) > raised or not _still_next(work, sub, books.sub):
            shown = next_invoice_shown(books.sub)
    raise AssertionError("the scheduled work never ran out")


def _still_next(work: Work, before: Subscription, after: Subscription) -> bool:
    """Work that raises no invoice and leaves the next one as it was shown."""
    return (work == Work.RESUME and after.status == Status.LIVE) or (
        work == Work.START and after.status == Status.TRIAL)


def do_work(books: Books, work: Work, now: datetime, unused_time: str) -> None:
    """One piece of due work, and the charge of the invoice it raises."""
    sub = books.sub
    at = scheduling.due_at(sub)
    day = local_date(at, sub.time_zone)
    if work == Work.TRIAL_END:
        first = scheduling.first_term_after_trial(sub)
        invoice_id = books.record(first, day)
        books.set(scheduling.awaiting_charge(first.subscription, invoice_id, at), day)
    elif work == Work.CHARGE:
        charge(books, sub, at, day)
    elif work == Work.DUNNING_RETRY:
        books.set(scheduling.dunning_paid(sub, at) if books.card_works
                  else scheduling.dunning_retry_failed(sub, DUNNING, at), day)
    elif work == Work.DUNNING_END:
        books.set(scheduling.dunning_ended(sub, DUNNING), day)
    elif work == Work.CANCEL_AT_TERM_END:
        books.set(scheduling.cancelled_at_term_end(sub), day)
    elif work == Work.PAUSE:
        books.record(scheduling.paused(sub, unused_time), day)
    elif work == Work.RESUME:
        bill = scheduling.resumed_on_schedule(sub)
        invoice_id = resume(books, bill, day)
        if invoice_id:
            books.set(scheduling.awaiting_charge(bill.subscription, invoice_id, at), day)
    else:
        bill = {Work.START: scheduling.started, Work.RENEW: scheduling.renewed,
                Work.BILL_TERM: scheduling.unbilled_term}[work](sub)
        invoice_id = books.record(bill, day)
        if invoice_id and bill.subscription.term is not None:
            books.set(scheduling.awaiting_charge(bill.subscription, invoice_id, at), day)


def charge(books: Books, sub: Subscription, at: datetime, day: date) -> None:
    """The first charge of a term invoiced by the job."""
    trial = sub.status == Status.TRIAL
    if books.card_answers_later:
        books.card_answers_later = False
        books.set(scheduling.charge_unknown(sub, at), day)    # asked again later: the customer may act meanwhile
    elif books.card_works:
        books.set(scheduling.trial_converted(sub) if trial else scheduling.charge_left(sub), day)
    elif trial:
        books.void(sub.unpaid_invoice_id)          # the trial's invoice is taken back
        books.set(scheduling.trial_charge_failed(sub, at), day)
    else:
        books.set(scheduling.renewal_charge_failed(sub, DUNNING), day)


def resume(books: Books, bill: Bill, day: date) -> str | None:
    before = books.sub
    if not bill.charge_lines and before.term is not None and before.paused_at is not None:
        kept = before.term
        books.move(before.paused_at, kept.end, day)
    return books.record(bill, day)


@st.composite
def selections(draw) -> Selection:
    plan = draw(st.sampled_from(PLANS))
    addons = draw(st.sampled_from(((), (ADDONS[0],), (ADDONS[1],), (ADDONS[2],), (ADDONS[1], ADDONS[2]))))
    return Selection(plan, addons, draw(st.sampled_from(COUPONS)))


steps = st.lists(st.tuples(
    st.integers(min_value=0, max_value=24 * 45),        # hours that pass first
    st.sampled_from(["change_now", "change_at_term_end", "pause_now", "pause_later", "resume_now", "cancel_now",
                     "cancel_at_term_end", "remove_scheduled_cancellation", "reactivate", "activate", "wait",
                     "card_declines", "card_works", "card_answers_later", "pay_held_invoice", "pay_held_invoice",
                     "extend_trial"]),
    selections(),
    st.integers(min_value=1, max_value=40),             # days ahead, for what is scheduled
), min_size=1, max_size=14)


def act(books: Books, step, now: datetime, prefs) -> None:
    _, name, chosen, ahead = step
    sub, today = books.sub, books.sub.today(now)
    if name in ("card_declines", "card_works"):
        books.card_works = name == "card_works"
        return
    if name == "card_answers_later":
        books.card_answers_later = True
        return
    if name == "pay_held_invoice":
        settled = sub.unpaid_invoice_id and scheduling.invoice_settled(sub, sub.unpaid_invoice_id, now)
        if settled:
            books.set(settled[0], today)
        return
    table_action = {"pause_now": "pause", "pause_later": "pause", "resume_now": "resume_now"}.get(name, name)
    if name == "wait" or actions.refusal(table_action, sub, prefs, now) is not None:
        return
    if name.startswith("pause") and sub.status == Status.PAUSED:
        return    # a paused subscription only moves its resume day
    event(f"{name} from {sub.status.value}")
    if name in ("change_now", "change_at_term_end", "reactivate"):
        if chosen.key() == actions.current_selection(sub).key():
            return
        try:
            actions.check_coupon_cycles(sub, chosen)
        except Exception:   # noqa: BLE001 - a used-up coupon is refused: nothing happens
            return
    if name == "change_now":
        quote = quotes.change_quote(sub, chosen, "now", [], now)
        bill = actions.changed_now(sub, chosen, now)
        books.quoted.append((name, quote, bill))
        books.record(bill, today)
    elif name == "change_at_term_end":
        books.set(actions.change_scheduled(sub, chosen, now), today)
    elif name in ("pause_now", "pause_later"):
        pause_at = None if name == "pause_now" else today + timedelta(days=ahead)
        try:
            quote = quotes.pause_quote(sub, prefs, pause_at=pause_at, resume_at=None, now=now)
        except InvalidInput:      # a day beyond the term: refused, nothing happens
            return
        result = actions.pause_scheduled(sub, prefs, pause_at=pause_at, resume_at=None, now=now)
        if isinstance(result, Bill):
            books.quoted.append((name, quote, result))
            books.record(result, today)
        else:
            books.set(result, today)
    elif name == "resume_now":
        bill = actions.resumed(sub, now)
        books.quoted.append((name, quotes.new_term_quote("resume", bill, [], now), bill))
        resume(books, bill, today)
    elif name == "cancel_now":
        books.record(actions.cancelled_now(sub, None, now), today)
    elif name == "cancel_at_term_end":
        books.set(actions.cancel_scheduled(sub, None), today)
    elif name == "remove_scheduled_cancellation":
        books.set(actions.scheduled_cancellation_removed(sub), today)
    elif name == "extend_trial":
        books.set(actions.trial_extended(sub, now), today)
    elif name == "reactivate":
        try:
            bill = actions.reactivated(sub, chosen, now)
        except BusinessRuleViolation:     # an unpaid term goes on only as it is
            return
        books.quoted.append((name, quotes.new_term_quote("reactivate", bill, [], now), bill))
        books.record(bill, today)
    elif name == "activate":
        bill = actions.activated(sub, now)
        books.quoted.append((name, quotes.new_term_quote("activate", bill, [], now), bill))
        books.record(bill, today)


def a_subscription(start: datetime, zone: str, status: str, chosen: Selection) -> Books:
    sub = Subscription("sub_1", "cus_1", Status.FUTURE if status == "future" else Status.TRIAL, chosen.plan, "USD",
                       start, addons=chosen.addons, coupon=chosen.coupon, time_zone=zone, auto_charge=True,
                       payment_method_id="pm_1")
    today = sub.today(start)
    if status == "future":
        sub = replace(sub, starts_at=today + timedelta(days=3))
    else:
        sub = replace(sub, trial_start=today, trial_end=today + timedelta(days=14))
    books = Books(sub)
    books.set(sub, today)
    return books


def in_service_days(books: Books, until: date) -> set[date]:
    """The days at whose end the subscription was in service (live, past its trial)."""
    days, serving = set(), False
    day = min(books.status_on)
    while day <= until:
        serving = books.status_on.get(day, serving)
        if serving:
            days.add(day)
        day += timedelta(days=1)
    return days


@settings(max_examples=1000)
@given(start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)),
       zone=st.sampled_from(ZONES), status=st.sampled_from(["trial", "future"]), first=selections(),
       unused_time=st.sampled_from(["credit", "keep"]), card_works=st.booleans(), lifecycle=steps)
def test_no_day_is_billed_twice_or_left_unbilled_and_every_preview_is_what_was_billed(
        start, zone, status, first, unused_time, card_works, lifecycle):
    prefs = everything_on(unused_time)
    books = a_subscription(start, zone, status, first)
    books.card_works = card_works
    now = start
    for step in lifecycle:
        now += timedelta(hours=step[0])
        run_due_work(books, now, unused_time)
        act(books, step, now, prefs)
    books.card_answers_later = False
    run_due_work(books, now + scheduling.RETRY_PENDING_AFTER, unused_time)   # a charge asked again has its answer

    # Then no day is billed twice (nor credited below nothing) ...
    assert all(count in (0, 1) for count in books.billed.values()), sorted(
        (day, count) for day, count in books.billed.items() if count not in (0, 1))
    # ... every day in service so far was billed ...
    served = in_service_days(books, books.sub.today(now))
    assert sorted(day for day in served if books.billed[day] != 1) == []
    # ... no day was credited more money than was billed for it ...
    assert sorted(day for day, paid in books.paid_for.items() if paid < -books.rounded_by[day]) == []
    # ... and every preview quoted what its action billed
    for name, quote, bill in books.quoted:
        assert (name, quote.invoice_total_minor, quote.credit_note_total_minor) == (
            name, bill.charge_total.amount_minor, bill.credit_total.amount_minor)
        assert [line.amount_minor for line in quote.invoice_lines] == [l.amount.amount_minor for l in bill.charge_lines]
