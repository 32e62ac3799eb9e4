"""What an auditor would try on the billing engine after the lifecycle and money property tests:
invariants they do not check, in the domain (no AWS).

- A change now and its reversal the same day cost nothing (but the one-time addons bought with
  it), in every currency, billing period, anchor and coupon: neither document of either change
  keeps a cent the other does not give back.
- A coupon discounts no more terms than its cycles, whatever the customer does meanwhile (changes
  now, to another billing period too, removing it and applying it again, pauses that credit or keep
  the paid days); moved between billing periods, it discounts no term that begins after its cycles
  would have run out in the period they were counted in.
- Over random lifecycles in currencies charged in steps or without decimals (KWD, MGA, JPY, ISK),
  from month ends and leap days too, each day of each item (the plan and each addon, not the plan
  alone) is billed at most once and, net of credits, exactly once while in service; no day is
  credited more than was billed for it, and every preview is what its action billed.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone

from hypothesis import given, note, settings, strategies as st

from chalicelib.domain import billing, currencies, scheduling
from chalicelib.domain import subscription_actions as actions
from chalicelib.domain.calendar import add_periods
from chalicelib.domain.preferences import preferences_from_dict
from chalicelib.domain.subscription import AppliedCoupon, PlanSnapshot, Subscription, SubscriptionAddon
from chalicelib.domain.subscription_actions import Selection
from chalicelib.domain.subscription_status import Status
from tests.unit import test_billing_lifecycles_property as lifecycles

UTC = timezone.utc
PERIODS = (("month", 1), ("month", 3), ("week", 1), ("year", 1))
MONTH_ENDS_AND_LEAP_DAYS = (date(2026, 1, 31), date(2028, 2, 29), date(2026, 8, 30), date(2026, 3, 31),
                            date(2027, 12, 31))
DURATIONS = (("once", None), ("repeating", 2), ("forever", None))


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def anchors():
    return st.one_of(st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
                     st.sampled_from(MONTH_ENDS_AND_LEAP_DAYS))


def coupons():
    return st.one_of(
        st.none(),
        st.builds(lambda bp, duration: AppliedCoupon("PCT", "Percent", duration[0], percent_off_bp=bp,
                                                     cycles=duration[1]),
                  st.integers(min_value=1, max_value=10_000), st.sampled_from(DURATIONS)),
        st.builds(lambda minor, duration: AppliedCoupon("OFF", "Amount", duration[0], amount_off_minor=minor,
                                                        cycles=duration[1]),
                  st.integers(min_value=1, max_value=200_000), st.sampled_from(DURATIONS)))


@st.composite
def selections(draw, unit: str, count: int) -> Selection:
    plan = PlanSnapshot(draw(st.sampled_from(["pro", "biz"])), "Plan", draw(st.integers(min_value=0, max_value=10**6)),
                        unit, count)
    seats = draw(st.integers(min_value=0, max_value=3))
    addons = (SubscriptionAddon("seats", "Seat", draw(st.integers(min_value=0, max_value=50_000)), seats),) \
        if seats else ()
    if draw(st.booleans()):
        addons += (SubscriptionAddon("setup", "Setup", draw(st.integers(min_value=0, max_value=50_000)),
                                     recurring=False),)
    return Selection(plan, addons, draw(coupons()))


def a_term_invoiced(chosen: Selection, currency: str, anchor: date) -> Subscription:
    """A live subscription of `chosen` whose term from `anchor` was invoiced in full."""
    end = add_periods(anchor, chosen.plan.interval, chosen.plan.interval_count)
    sub = Subscription("sub_1", "cus_1", Status.LIVE, chosen.plan, currency, at_noon(anchor), addons=chosen.addons,
                       coupon=chosen.coupon, billing_anchor=anchor, term_start=anchor, term_end=end,
                       activated_at=at_noon(anchor))
    return billing.term_bill(sub).subscription


def one_time_price(chosen: Selection) -> int:
    return sum(addon.price_minor * addon.quantity for addon in chosen.addons if not addon.recurring)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), currency=st.sampled_from(["USD", "JPY", "KWD", "MGA", "ISK"]), period=st.sampled_from(PERIODS),
       anchor=anchors())
def test_a_change_now_and_its_reversal_the_same_day_cost_nothing_but_the_one_time_addons_bought(
        data, currency, period, anchor):
    # Given a term invoiced in full
    sub = a_term_invoiced(data.draw(selections(*period), "first"), currency, anchor)
    held = actions.current_selection(sub)
    day = anchor + timedelta(days=data.draw(st.integers(min_value=0, max_value=sub.term.days - 1), "day"))

    # When the customer changes it now, and changes it back the same day
    wanted = data.draw(selections(*period), "wanted")
    there = actions.changed_now(sub, wanted, at_noon(day))
    actions.check_coupon_cycles(there.subscription, held, within_term=True)     # the way back is open
    back = actions.changed_now(there.subscription, held, at_noon(day))
    note(f"there: {there.charge_lines} / {there.credit_lines}\nback: {back.charge_lines} / {back.credit_lines}")

    # Then the customer paid only for the one-time addons bought on the way (to the currency's step)
    net = sum(bill.charge_total.amount_minor - bill.credit_total.amount_minor for bill in (there, back))
    step = currencies.increment(currency)
    assert abs(net - one_time_price(wanted)) <= (step if step > 1 else 0)


REPEATING = PlanSnapshot("pro", "Pro", 2_900)
PLANS = (REPEATING, PlanSnapshot("biz", "Business", 5_900), PlanSnapshot("pro_y", "Pro yearly", 29_000, "year"),
         PlanSnapshot("weekly", "Weekly", 700, "week"))
KEEPS = preferences_from_dict({"pause_resume": {"enabled": True, "customer_can_resume": True, "unused_time": "keep"}})
CREDITS = preferences_from_dict({"pause_resume": {"enabled": True, "customer_can_resume": True,
                                                  "unused_time": "credit"}})


@dataclass
class Terms:
    """Which terms (counted as they begin: a renewal, a new term at a resume or a change of period)
    a coupon discounted. Paid days kept over a pause stay the term they were."""
    sub: Subscription
    today: date
    number: int = 0
    discounted: set = field(default_factory=set)

    def billed(self, bill, *, new_term: bool) -> None:
        self.number += 1 if new_term else 0
        if any(line.kind == "discount" for line in bill.charge_lines):
            self.discounted.add(self.number)
        self.sub = bill.subscription

    def day_within_term(self, ahead: int) -> date | None:
        day = min(self.today + timedelta(days=ahead), self.sub.term_end - timedelta(days=1))
        return day if day >= self.today else None


def act_on_coupon(terms: Terms, name: str, ahead: int, plan: PlanSnapshot, coupon: AppliedCoupon) -> None:
    sub = terms.sub
    if name == "renew":
        terms.today = sub.term_end
        terms.billed(scheduling.renewed(sub), new_term=True)
        return
    day = terms.day_within_term(ahead)
    if day is None:
        return
    if name in ("pause_keeping", "pause_crediting"):
        paused = actions.pause_scheduled(sub, KEEPS if name == "pause_keeping" else CREDITS, pause_at=None,
                                         resume_at=None, now=at_noon(day))
        terms.today = day + timedelta(days=5)
        resumed = actions.resumed(paused.subscription, at_noon(terms.today))
        terms.billed(resumed, new_term=bool(resumed.charge_lines))
        return
    chosen = {"change": Selection(plan, (), sub.coupon), "remove": Selection(sub.plan, (), None),
              "apply_again": Selection(sub.plan, (), coupon)}[name]
    if chosen.key() == actions.current_selection(sub).key():
        return
    try:
        actions.check_coupon_cycles(sub, chosen, within_term=True)
    except Exception:   # noqa: BLE001 - a used-up coupon is refused: nothing happens
        return
    terms.today = day
    terms.billed(actions.changed_now(sub, chosen, at_noon(day)), new_term=not chosen.plan.bills_like(sub.plan))


@settings(max_examples=300, deadline=None)
@given(cycles=st.integers(min_value=1, max_value=4), anchor=anchors(), steps=st.lists(st.tuples(
    st.sampled_from(["renew", "renew", "change", "pause_keeping", "pause_crediting", "remove", "apply_again"]),
    st.integers(min_value=0, max_value=40), st.sampled_from(PLANS)), max_size=12))
def test_a_coupon_discounts_no_more_terms_than_its_cycles_whatever_the_customer_does_meanwhile(
        cycles, anchor, steps):
    # Given a coupon of `cycles` terms on a term invoiced in full
    coupon = AppliedCoupon("REP", "Repeating", "repeating", percent_off_bp=1_000, cycles=cycles)
    terms = Terms(a_term_invoiced(Selection(REPEATING, (), coupon), "USD", anchor), anchor, discounted={0})

    # When terms renew and the customer changes, removes, applies again and pauses meanwhile
    for name, ahead, plan in steps:
        act_on_coupon(terms, name, ahead, plan, coupon)
        note(f"{name}: term {terms.number} {terms.sub.term}, uses {terms.sub.coupon_uses}")

    # Then no more terms were discounted than the coupon has cycles
    assert len(terms.discounted) <= cycles, sorted(terms.discounted)


ITEM_CODES = lifecycles.PLAN_CODES | {"seats"}


@dataclass
class ItemBooks(lifecycles.Books):
    """The lifecycle's books, and how often each day of each item was billed less credited."""
    items: Counter = field(default_factory=Counter)     # (day, item code) -> lines billing it less crediting it

    def record(self, bill, day):
        self._count(bill.credit_lines, -1)
        self._count(bill.charge_lines, +1)
        return super().record(bill, day)

    def void(self, invoice_id):
        self._count(self.invoices[invoice_id].charge_lines, -1)
        super().void(invoice_id)

    def move(self, start, end, to):
        kept = {(offset, code): self.items.pop((start + timedelta(days=offset), code), 0)
                for offset in range((end - start).days) for code in ITEM_CODES}
        for (offset, code), count in kept.items():
            self.items[(to + timedelta(days=offset), code)] += count
        super().move(start, end, to)

    def _count(self, lines, sign: int) -> None:
        for line in lines:
            if line.code in ITEM_CODES and line.period is not None:
                for offset in range(line.period.days):
                    self.items[(line.period.start + timedelta(days=offset), line.code)] += sign


def a_lifecycle_subscription(start: datetime, zone: str, status: str, chosen: Selection, currency: str) -> ItemBooks:
    shown = lifecycles.a_subscription(start, zone, status, chosen)
    books = ItemBooks(replace(shown.sub, currency=currency))
    books.status_on = shown.status_on
    return books


@settings(max_examples=400, deadline=None)
@given(start=st.one_of(
           st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)),
           st.sampled_from([at_noon(day - timedelta(days=17)) for day in MONTH_ENDS_AND_LEAP_DAYS])),
       zone=st.sampled_from(lifecycles.ZONES), status=st.sampled_from(["trial", "future"]),
       first=lifecycles.selections(), unused_time=st.sampled_from(["credit", "keep"]), card_works=st.booleans(),
       lifecycle=lifecycles.steps, currency=st.sampled_from(["KWD", "MGA", "JPY", "ISK"]))
def test_in_every_currency_each_day_of_each_item_is_billed_once_and_credited_no_more_than_billed(
        start, zone, status, first, unused_time, card_works, lifecycle, currency):
    # Given a subscription in a currency charged in steps or without decimals
    prefs = lifecycles.everything_on(unused_time)
    books = a_lifecycle_subscription(start, zone, status, first, currency)
    books.card_works = card_works

    # When the customer acts and the scheduled work runs, over random days
    now = start
    for step in lifecycle:
        now += timedelta(hours=step[0])
        lifecycles.run_due_work(books, now, unused_time)
        lifecycles.act(books, step, now, prefs)
    books.card_answers_later = False
    lifecycles.run_due_work(books, now + scheduling.RETRY_PENDING_AFTER, unused_time)

    # Then each day of each item was billed at most once, net of credits and voids ...
    assert sorted((key, count) for key, count in books.items.items() if count not in (0, 1)) == []
    # ... every day in service was billed once, and none credited more than was billed for it ...
    served = lifecycles.in_service_days(books, books.sub.today(now))
    assert sorted(day for day in served if books.billed[day] != 1) == []
    assert sorted(day for day, paid in books.paid_for.items() if paid < -books.rounded_by[day]) == []
    # ... and every preview was what its action billed, Rounding lines and all
    for name, quote, bill in books.quoted:
        assert (name, quote.invoice_total_minor, quote.credit_note_total_minor) == (
            name, bill.charge_total.amount_minor, bill.credit_total.amount_minor)
        assert all(total % currencies.increment(currency) == 0
                   for total in (quote.invoice_total_minor, quote.credit_note_total_minor))


@settings(max_examples=300, deadline=None)
@given(cycles=st.integers(min_value=1, max_value=4), anchor=anchors(), steps=st.lists(st.tuples(
    st.sampled_from(["renew", "renew", "change"]), st.integers(min_value=0, max_value=40), st.sampled_from(PLANS)),
    max_size=12))
def test_a_coupon_moved_between_billing_periods_discounts_no_term_begun_after_its_cycles_would_have_run_out(
        cycles, anchor, steps):
    # Given a coupon of `cycles` monthly terms on a term invoiced in full from `anchor`
    coupon = AppliedCoupon("REP", "Repeating", "repeating", percent_off_bp=1_000, cycles=cycles)
    sub = a_term_invoiced(Selection(REPEATING, (), coupon), "USD", anchor)
    runs_out = add_periods(anchor, "month", 1, cycles)
    today, begun = anchor, []

    # When terms renew and the customer changes plan, to other billing periods too
    for name, ahead, plan in steps:
        if name == "renew":
            today, bill = sub.term_end, scheduling.renewed(sub)
        else:
            day = min(today + timedelta(days=ahead), sub.term_end - timedelta(days=1))
            chosen = Selection(plan, (), sub.coupon)
            if day < today or chosen.key() == actions.current_selection(sub).key():
                continue
            today, bill = day, actions.changed_now(sub, chosen, at_noon(day))
        if bill.period is not None and any(line.kind == "discount" for line in bill.charge_lines):
            begun.append(bill.period.start)
        sub = bill.subscription
        note(f"{name}: {sub.plan.interval} term {sub.term}, uses {sub.coupon_uses}")

    # Then every term it discounted began before its monthly cycles would have run out
    assert all(start < runs_out for start in begun), (runs_out, begun)
