"""Random lifecycles through the routes, on moto: the books hold at every step.

Each example is a merchant and one subscription of Zoë's, then a random sequence of what she
does in the portal (changes now and at term end to plans of the same and other billing periods,
with recurring and one-time addons and coupons; pauses; resumes; cancellations; reactivations;
paying everything she owes), refunds the merchant gives, and days passing while the scheduled
job runs. Then:

(a) no day of service is billed twice: the plan lines of every invoice and credit note the
    subscription has, by the days they name, add up to at most one per day (that no day in
    service is left unbilled is shown for many more lifecycles in the domain:
    tests/unit/test_billing_lifecycles_property.py);
(b) after every step, statement closing balance == open invoice balances - available credits ==
    the dashboard's outstanding total - its available credits;
(c) every action confirmed with its preview's quote id is accepted, and raises exactly the
    invoice and credit note the preview showed.
"""
from __future__ import annotations

from collections import Counter
from datetime import timedelta
from itertools import count

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings, strategies as st
from tests.support.api import NOW, client
from tests.support.aws import fresh_aws
from tests.support.portal import login
from tests.support.subscriptions import EVERYTHING_ON, a_shop

PLAN_CODES = ("pro", "biz", "yearly", "weekly")
CHOICES = st.fixed_dictionaries({
    "plan": st.sampled_from(PLAN_CODES),
    "addons": st.sampled_from([[], [{"code": "seats", "quantity": 2}], [{"code": "setup", "quantity": 1}]]),
    "coupon": st.sampled_from([None, "ONCE", "THRICE", "welcome20"]),
})
STEPS = st.lists(st.one_of(
    st.tuples(st.just("days"), st.integers(min_value=1, max_value=70)),
    st.tuples(st.sampled_from(["change_now", "change_at_term_end", "reactivate"]), CHOICES),
    st.tuples(st.sampled_from(["pause_now", "resume", "cancel_now", "cancel_at_term_end", "pay_all"]), st.just(None)),
    st.tuples(st.just("refund"), st.integers(min_value=1, max_value=100)),
), min_size=3, max_size=9)


class Portal:
    """Zoë in the portal, signed in again whenever days pass (sessions end after 30 idle minutes)."""

    def __init__(self, shop):
        self.shop, self.api, self.keys = shop, shop.portal, count()

    def sign_in_again(self) -> None:
        answer = login(self.shop.api, self.shop.acme.org.org_id, self.shop.zoe.email, self.shop.zoe.password)
        assert answer.status == 200, answer.json
        self.api = self.shop.api.as_(answer.json["token"])

    def key(self) -> dict:
        return {"Idempotency-Key": f"lifecycle-{next(self.keys)}"}


def run_jobs(c) -> None:
    event = c.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])
    c.lambda_.invoke("run_due_work", event)


def with_catalog(shop) -> None:
    admin = shop.admin
    for body in ({"code": "weekly", "name": "Weekly", "price_minor": 700, "currency": "USD", "interval": "week"},):
        assert admin.post("/admin/plans", body).status == 201
    assert admin.post("/admin/addons", {"code": "setup", "name": "Onboarding", "price_minor": 9_900,
                                        "currency": "USD", "recurring": False}).status == 201
    for body in ({"code": "ONCE", "name": "Once", "amount_off_minor": 1_000, "currency": "USD", "duration": "once"},
                 {"code": "THRICE", "name": "Thrice", "percent_off_bp": 1_500, "duration": "repeating", "cycles": 3}):
        assert admin.post("/admin/coupons", {**body, "portal": True}).status == 201


def confirmed(portal: Portal, path: str, preview_path: str, body: dict, method: str = "post"):
    """Preview, then confirm with the quote: (c) the documents are the quote's."""
    preview = portal.api.post(preview_path, body)
    if preview.status != 200:
        return None
    quote = preview.json
    answer = getattr(portal.api, method)(path, {**body, "quote_id": quote["quote_id"]})
    assert answer.status == 200, (path, answer.json)
    invoice, note_ = answer.json["invoice"], answer.json["credit_note"]
    assert (invoice["total_minor"] if invoice else 0) == quote["invoice_total_minor"], (path, quote, invoice)
    assert (note_["total_minor"] if note_ else 0) == quote["credit_note_total_minor"], (path, quote, note_)
    return answer


def act(c, shop, portal: Portal, sub_id: str, step) -> None:
    name, value = step
    path = f"/portal/subscriptions/{sub_id}"
    if name == "days":
        shop.clock.advance(days=value)
        run_jobs(c)
        portal.sign_in_again()
    elif name in ("change_now", "change_at_term_end"):
        body = {"plan": value["plan"], "addons": value["addons"], "coupon": value["coupon"],
                "when": "now" if name == "change_now" else "end_of_term"}
        confirmed(portal, f"{path}/changes", f"{path}/changes/preview", body)
    elif name == "reactivate":
        confirmed(portal, f"{path}/reactivate", f"{path}/reactivate/preview", {"changes": {"plan": value["plan"]}})
    elif name == "pause_now":
        confirmed(portal, f"{path}/pause-schedule", f"{path}/pause-schedule/preview", {}, method="put")
    elif name == "resume":
        confirmed(portal, f"{path}/resume", f"{path}/resume/preview", {})
    elif name in ("cancel_now", "cancel_at_term_end"):
        portal.api.post(f"{path}/cancel", {"when": "now" if name == "cancel_now" else "end_of_term"})
    elif name == "pay_all":
        portal.api.post("/portal/payments", {"all_outstanding": True, "payment_method": "pm_card_visa"},
                        headers=portal.key())
    elif name == "refund":
        paid = [p for p in portal.api.get("/portal/payments").json["items"] if p["status"] == "succeeded"]
        if paid:
            payment = paid[0]
            amount = max(1, payment["amount_minor"] * value // 100)
            shop.admin.post(f"/admin/payments/{payment['payment_id']}/refunds",
                            {"customer_id": shop.zoe.customer_id, "amount_minor": amount}, headers=portal.key())


def books_agree(shop, portal: Portal) -> None:
    """(b): statement closing == open invoices - credits == dashboard."""
    from chalicelib.bootstrap import adapters
    org_id, customer_id = shop.acme.org.org_id, shop.zoe.customer_id
    owed = sum(i.balance_minor for i in adapters().uow.invoices.page(org_id, customer_id, limit=100, cursor=None).items)
    credit = sum(n.balance_minor for n in adapters().uow.credit_notes.page(org_id, customer_id, limit=100,
                                                                           cursor=None).items)
    today = shop.clock.now.date()
    [statement] = portal.api.get(f"/portal/statements?from=2026-01-01&to={today.isoformat()}").json["statements"]
    dashboard = portal.api.get("/portal/dashboard").json
    figures = (statement["closing_balance"]["amount_minor"], owed - credit,
               dashboard["outstanding"]["total_minor"] - dashboard["available_credits"]["amount_minor"])
    note(f"{today}: closing, open - credits, dashboard = {figures}")
    assert figures[0] == figures[1] == figures[2]


def days_billed(shop, sub_id: str) -> Counter:
    """(a): each day's plan lines, billed (+1) and credited (-1), over the subscription's documents."""
    from chalicelib.bootstrap import adapters
    org_id, customer_id = shop.acme.org.org_id, shop.zoe.customer_id
    billed = Counter()
    documents = [(i, +1) for i in adapters().uow.invoices.page(org_id, customer_id, limit=100, cursor=None).items
                 if i.subscription_id == sub_id and i.status.value != "void"]
    documents += [(n, -1) for n in adapters().uow.credit_notes.page(org_id, customer_id, limit=100, cursor=None).items
                  if n.subscription_id == sub_id]
    for document, sign in documents:
        for line in document.lines:
            if line.code in PLAN_CODES and line.period_start is not None:
                day = line.period_start
                while day < line.period_end:
                    billed[day] += sign
                    day += timedelta(days=1)
    return billed


# Each example builds a fresh DynamoDB and drives the routes: few examples, no shrinking.
@pytest.mark.slow   # left out of `make check`: 20 generated lifecycles, each in a fresh AWS
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(steps=STEPS, unused_time=st.sampled_from(["credit", "keep"]), start_plan=st.sampled_from(PLAN_CODES),
       hours=st.integers(min_value=0, max_value=23))
def test_random_lifecycles_keep_the_books_and_bill_no_day_twice(steps, unused_time, start_plan, hours):
    with fresh_aws(), client() as c:
        preferences = {**EVERYTHING_ON, "pause_resume": {**EVERYTHING_ON["pause_resume"], "unused_time": unused_time}}
        shop = a_shop(c, preferences=preferences, at=NOW.replace(hour=hours))
        with_catalog(shop)
        sub = shop.subscription("live", plan=start_plan)
        portal = Portal(shop)
        books_agree(shop, portal)
        for step in steps:
            note(f"{shop.clock.now}: {step}")
            act(c, shop, portal, sub["subscription_id"], step)
            books_agree(shop, portal)
        billed = days_billed(shop, sub["subscription_id"])
        assert sorted((day, n) for day, n in billed.items() if n not in (0, 1)) == []
