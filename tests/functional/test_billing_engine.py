"""The billing engine through the routes, for each lifecycle change that was once mispriced:
interval changes, renewal anchors, one-time addons, pause and resume, unpaid subscriptions, the
test clock and the organization's time zone (the rules: docs/billing.md)."""
from datetime import date, datetime, timedelta, timezone

from tests.support.api import NOW, client
from tests.support.documents import PDF_HEADERS, pdf_text
from tests.support.payments import counting_gateway
from tests.support.portal import login
from tests.support.subscriptions import EVERYTHING_ON, TERM, a_shop

UTC = timezone.utc
DAY = timedelta(days=1)


def run_jobs(c) -> dict:
    event = c.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])
    return c.lambda_.invoke("run_due_work", event).payload


def invoices_of(shop, sub: dict) -> list:
    """The subscription's invoices as stored, oldest first."""
    from chalicelib.bootstrap import adapters
    found = adapters().uow.invoices.page(shop.acme.org.org_id, shop.zoe.customer_id, limit=100, cursor=None).items
    return sorted((i for i in found if i.subscription_id == sub["subscription_id"]), key=lambda i: i.number)


def periods(invoices) -> list[tuple[str, str]]:
    return [(i.period_start.isoformat(), i.period_end.isoformat()) for i in invoices]


def in_test_mode(shop, at: str, **settings) -> None:
    """The organization in test mode, its clock moved to `at` (before any subscription)."""
    assert shop.admin.patch("/admin/organization", {"test_mode": True, **settings}).status == 200
    assert advance(shop, at).status == 200


def advance(shop, to: str):
    answer = shop.admin.post("/admin/test-clock", {"advance_to": to})
    assert answer.status == 200, answer.json
    return answer


def a_plan(shop, code: str, price_minor: int, interval: str, **extra) -> None:
    body = {"code": code, "name": code.title(), "price_minor": price_minor, "currency": "USD", "interval": interval,
            **extra}
    assert shop.admin.post("/admin/plans", body).status == 201


# --- renewal anchors -------------------------------------------------------------------------

def test_a_monthly_subscription_started_on_january_31_renews_on_each_months_last_day(aws):
    with client() as c:
        # Given a subscription started on Jan 31 (the organization's test clock)
        shop = a_shop(c)
        in_test_mode(shop, "2027-01-31T10:00:00Z")
        sub = shop.subscription("live")

        # When three months go by
        advance(shop, "2027-05-01T00:00:00Z")

        # Then it renewed on Feb 28, Mar 31 and Apr 30, never drifting to the 28th, each invoice dated its first day
        invoices = invoices_of(shop, sub)
        assert periods(invoices) == [("2027-01-31", "2027-02-28"), ("2027-02-28", "2027-03-31"),
                                     ("2027-03-31", "2027-04-30"), ("2027-04-30", "2027-05-31")]
        assert [i.issued_at.date() for i in invoices[1:]] == [i.period_start for i in invoices[1:]]


def test_a_yearly_subscription_from_february_29_comes_back_to_february_29_in_the_next_leap_year(aws):
    with client() as c:
        shop = a_shop(c)
        in_test_mode(shop, "2028-02-29T09:00:00Z")
        sub = shop.subscription("live", plan="yearly")

        advance(shop, "2032-03-01T00:00:00Z")

        assert [end for _, end in periods(invoices_of(shop, sub))] == [
            "2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29", "2033-02-28"]


# --- the test clock --------------------------------------------------------------------------

def test_one_advance_runs_every_period_that_falls_due_however_many(aws):
    with client() as c:
        # Given a weekly plan
        shop = a_shop(c)
        a_plan(shop, "weekly", 700, "week")
        in_test_mode(shop, "2026-12-01T08:00:00Z")
        sub = shop.subscription("live", plan="weekly")

        # When the clock is moved 60 weeks on in one advance
        answer = advance(shop, (datetime(2026, 12, 1, 8, tzinfo=UTC) + 60 * 7 * DAY).isoformat())

        # Then it renewed 60 times, each invoice dated at its own period start
        assert answer.json["complete"] is True
        assert [d["work"] for d in answer.json["done"]] == ["renew"] * 60
        invoices = invoices_of(shop, sub)
        assert len(invoices) == 61
        assert all(i.issued_at.date() == i.period_start for i in invoices)
        assert invoices[-1].period_start == date(2026, 12, 1) + 60 * 7 * DAY


def test_an_advance_its_time_budget_stops_says_so_and_the_next_call_goes_on(aws, monkeypatch):
    from chalicelib.services.subscriptions import scheduled as scheduled_work
    with client() as c:
        shop = a_shop(c)
        a_plan(shop, "weekly", 700, "week")
        in_test_mode(shop, "2026-12-01T08:00:00Z")
        sub = shop.subscription("live", plan="weekly")
        target = (datetime(2026, 12, 1, 8, tzinfo=UTC) + 30 * 7 * DAY).isoformat()

        # When the advance's time runs out after a few renewals (each look at the time takes a second)
        ticks = iter(range(10**6))
        monkeypatch.setattr(scheduled_work.time, "monotonic", lambda: float(next(ticks)))
        monkeypatch.setattr(scheduled_work, "TEST_CLOCK_BUDGET_SECONDS", 12.0)
        first = advance(shop, target)
        monkeypatch.undo()
        second = advance(shop, target)

        # Then the first answer says it is not complete, and the second finishes: each term once
        assert first.json["complete"] is False and 0 < len(first.json["done"]) < 30
        assert second.json["complete"] is True
        assert len(first.json["done"]) + len(second.json["done"]) == 30
        assert len(invoices_of(shop, sub)) == 31 and len({i.period_start for i in invoices_of(shop, sub)}) == 31


def test_a_trial_created_by_the_merchant_starts_on_the_organizations_test_clock(aws):
    with client() as c:
        shop = a_shop(c)
        in_test_mode(shop, "2026-12-22T10:00:00Z")

        trial = shop.subscription("trial")

        assert (trial["trial_start"], trial["trial_end"]) == ("2026-12-22", "2027-01-05")


def test_a_live_subscription_the_merchant_creates_with_auto_charge_is_charged_by_the_next_run(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a customer's saved card, and the merchant starting an auto-charged subscription on it
        shop = a_shop(c)
        sub = shop.subscription("live", auto_charge=True, payment_method_id=shop.saved_card())
        [invoice] = invoices_of(shop, sub)
        assert invoice.status.value == "open"

        # When the scheduled job runs
        run_jobs(c)

        # Then the first term's invoice is charged, once
        assert [i.status.value for i in invoices_of(shop, sub)] == ["paid"] and gateway.charges == 1
        run_jobs(c)
        assert len({key for key, _ in gateway.calls}) == 1      # one charge, asked twice with its key


# --- interval changes ------------------------------------------------------------------------

def test_monthly_to_yearly_now_invoices_the_new_plans_year_from_today_and_nothing_at_the_old_term_end(aws):
    with client() as c:
        # Given Pro monthly (100.00) for Nov 9 - Dec 10, on Nov 25
        shop = a_shop(c)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When Zoë previews and confirms Pro yearly (1200.00) now
        quote = shop.portal.post(f"{path}/changes/preview", {"plan": "yearly", "when": "now"}).json
        answer = shop.portal.post(f"{path}/changes", {"plan": "yearly", "when": "now", "quote_id": quote["quote_id"]})

        # Then the unused 15 of 31 days are credited, and a full year from today is invoiced, as previewed
        assert [(l["description"], l["amount_minor"]) for l in quote["credit_note_lines"]] == [
            ("Unused time on Pro 100.00 x 15/31 days", 4_839)]
        assert [(l["description"], l["amount_minor"]) for l in quote["invoice_lines"]] == [
            ("Pro yearly (1 x 1200.00) 2026-11-25 to 2027-11-25", 120_000)]
        assert (quote["amount_due_minor"], quote["next_billing_on"]) == (120_000 - 4_839, "2027-11-25")
        assert answer.status == 200, answer.json
        shown = answer.json["subscription"]
        assert (shown["current_term"], shown["next_billing_on"]) == (
            {"start": "2026-11-25", "end": "2027-11-25"}, "2027-11-25")
        assert (answer.json["invoice"]["total_minor"], answer.json["credit_note"]["total_minor"]) == (120_000, 4_839)

        # And when the old month would have ended, nothing is billed
        shop.clock.advance(days=16)
        run_jobs(c)
        assert len(invoices_of(shop, sub)) == 1


def test_yearly_to_monthly_now_invoices_one_month_from_today_and_renews_monthly_from_there(aws):
    with client() as c:
        # Given Pro yearly (1200.00) for 2026-01-10 to 2027-01-10 (365 days), on Nov 25
        shop = a_shop(c)
        sub = shop.subscription("live", plan="yearly", term_start=date(2026, 1, 10), term_end=date(2027, 1, 10))
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        answer = shop.portal.post(f"{path}/changes", {"plan": "pro", "when": "now"})

        # Then 46 of 365 days are credited (1200.00 x 46/365 = 151.23) and one month is invoiced
        assert answer.status == 200, answer.json
        assert (answer.json["credit_note"]["total_minor"], answer.json["invoice"]["total_minor"]) == (15_123, 10_000)
        assert answer.json["subscription"]["next_billing_on"] == "2026-12-25"
        shop.clock.advance(days=30)
        run_jobs(c)
        assert periods(invoices_of(shop, sub)) == [("2026-11-25", "2026-12-25"), ("2026-12-25", "2027-01-25")]


# --- one-time addons -------------------------------------------------------------------------

def test_a_one_time_addon_is_billed_once_in_full_and_never_renewed_or_prorated(aws):
    with client() as c:
        # Given an onboarding session sold once (99.00) on a subscription the merchant starts today
        shop = a_shop(c)
        assert shop.admin.post("/admin/addons", {"code": "onboarding", "name": "Onboarding", "price_minor": 9_900,
                                                 "currency": "USD", "recurring": False}).status == 201
        sub = shop.subscription("live", addons=[{"code": "onboarding", "quantity": 1}])
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When Zoë upgrades mid-term, and the term renews
        shop.clock.advance(days=10)
        portal = shop.api.as_(login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password).json["token"])
        change = portal.post(f"{path}/changes", {"plan": "biz", "when": "now"})
        shop.clock.advance(days=25)
        run_jobs(c)

        # Then the first invoice billed it once; the change credited and charged the plans alone; the renewal too
        first, changed, renewal = invoices_of(shop, sub)
        assert [line.description for line in first.lines] == [
            "Pro (1 x 100.00) 2026-11-25 to 2026-12-25", "Onboarding (one-time, 1 x 99.00)"]
        assert [line.code for line in changed.lines] == ["biz"]
        assert [line["description"] for line in change.json["credit_note"]["lines"]] == [
            "Unused time on Pro 100.00 x 20/30 days"]
        assert [line.code for line in renewal.lines] == ["biz"]
        assert change.json["subscription"]["addons"] == []


def test_a_setup_fee_added_for_the_term_end_is_shown_in_the_next_invoice_and_invoiced_as_shown(aws):
    with client() as c:
        # Given Pro (100.00) for Nov 25 - Dec 25, and an onboarding session sold once (99.00)
        shop = a_shop(c)
        assert shop.admin.post("/admin/addons", {"code": "onboarding", "name": "Onboarding", "price_minor": 9_900,
                                                 "currency": "USD", "recurring": False}).status == 201
        sub = shop.subscription("live")
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When Zoë adds the session for the end of the term, as previewed
        body = {"addons": [{"code": "onboarding", "quantity": 1}], "when": "end_of_term"}
        quote = shop.portal.post(f"{path}/changes/preview", body).json
        changed = shop.portal.post(f"{path}/changes", {**body, "quote_id": quote["quote_id"]})

        # Then the quote and the subscription show the next invoice with the session: 199.00 on Dec 25
        assert changed.status == 200, changed.json
        assert (quote["next_term_total_minor"], quote["next_billing_on"]) == (19_900, "2026-12-25")
        shown = shop.portal.get(path).json
        assert (shown["next_billing_amount_minor"], shown["next_billing_on"]) == (19_900, "2026-12-25")
        # And the renewal invoices exactly that
        shop.clock.advance(days=31)
        run_jobs(c)
        renewal = invoices_of(shop, sub)[-1]
        assert (renewal.period_start.isoformat(), renewal.total_minor) == ("2026-12-25", 19_900)


def test_seats_added_mid_term_to_a_subscription_with_a_100_percent_coupon_cost_nothing(aws):
    with client() as c:
        # Given Pro (100.00) with 100% off, for Nov 9 - Dec 10 (15 of 31 days left on Nov 25)
        shop = a_shop(c)
        shop.coupon("VIP100", portal=False, percent_off_bp=10_000)
        sub = shop.subscription("live", coupon_code="VIP100", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When Zoë adds two seats (10.00 each) now
        body = {"addons": [{"code": "seats", "quantity": 2}], "coupon": "VIP100", "when": "now"}
        quote = shop.portal.post(f"{path}/changes/preview", body).json
        answer = shop.portal.post(f"{path}/changes", {**body, "quote_id": quote["quote_id"]})

        # Then the lines are 48.39 and 9.68 and the coupon takes both: nothing is invoiced, not even a cent
        assert answer.status == 200, answer.json
        assert [line["amount_minor"] for line in answer.json["invoice"]["lines"]] == [4_839, 968, -5_807]
        assert (quote["invoice_total_minor"], answer.json["invoice"]["total_minor"], quote["amount_due_minor"]) == (
            0, 0, 0)


# --- pause and resume ------------------------------------------------------------------------

def test_a_month_paid_then_paused_the_same_day_is_credited_and_the_resume_costs_nothing_more(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given Pro paid for Dec 6 - Jan 6 (charged to Zoë's card on Dec 6)
        shop = a_shop(c, at=datetime(2026, 12, 6, 9, tzinfo=UTC))
        sub = shop.subscription("live", auto_charge=True, payment_method_id=shop.saved_card())
        run_jobs(c)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When she pauses that day, and resumes on Dec 28
        preview = shop.portal.post(f"{path}/pause-schedule/preview", {}).json
        paused = shop.portal.put(f"{path}/pause-schedule", {})
        shop.clock.advance(days=22)
        portal = shop.api.as_(login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password).json["token"])
        resumed = portal.post(f"{path}/resume", {})

        # Then the pause credited the 31 paid days, as previewed, and the new month from Dec 28 is paid by that credit
        assert (preview["credit_note_total_minor"], paused.json["credit_note"]["total_minor"]) == (10_000, 10_000)
        assert resumed.status == 200, resumed.json
        invoice = resumed.json["invoice"]
        assert (invoice["period_start"], invoice["period_end"], invoice["total_minor"], invoice["balance_minor"]) == (
            "2026-12-28", "2027-01-28", 10_000, 0)
        assert gateway.charges == 1           # the first month only: no day was paid twice


def test_a_pause_that_keeps_the_paid_days_continues_them_after_the_resume_before_the_next_invoice(aws):
    with client() as c:
        # Given a merchant who keeps paid time over a pause, and Pro for Nov 9 - Dec 10
        shop = a_shop(c, preferences={**EVERYTHING_ON, "pause_resume": {"enabled": True, "customer_can_resume": True,
                                                                       "unused_time": "keep"}})
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When Zoë pauses on Nov 25 and resumes on Dec 5
        paused = shop.portal.put(f"{path}/pause-schedule", {})
        shop.clock.advance(days=10)
        portal = shop.api.as_(login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password).json["token"])
        preview = portal.post(f"{path}/resume/preview").json
        resumed = portal.post(f"{path}/resume", {"quote_id": preview["quote_id"]})

        # Then nothing was credited or invoiced; the 15 kept days run Dec 5 - Dec 20, then a month is billed
        assert (paused.json["credit_note"], paused.json["subscription"]["pause"]["paid_days_kept"]) == (None, 15)
        assert (preview["invoice_total_minor"], preview["next_billing_on"]) == (0, "2026-12-20")
        assert (resumed.json["invoice"], resumed.json["subscription"]["next_billing_on"]) == (None, "2026-12-20")
        shop.clock.advance(days=15)
        run_jobs(c)
        assert periods(invoices_of(shop, sub)) == [("2026-12-20", "2027-01-20")]


# --- unpaid ----------------------------------------------------------------------------------

def test_an_unpaid_subscription_shows_no_next_billing_day_and_paying_it_starts_one_new_term(aws, monkeypatch):
    with client() as c:
        # Given a subscription left unpaid after its one retry failed, and three months going by
        shop = a_shop(c)
        assert shop.admin.patch("/admin/organization", {"dunning": {"retry_after_days": [1],
                                                                    "when_exhausted": "unpaid"}}).status == 200
        sub = shop.subscription("live", auto_charge=True, payment_method_id=shop.saved_card("pm_card_chargeDeclined"),
                                term_start=NOW - 30 * DAY, term_end=NOW)
        run_jobs(c)
        shop.clock.advance(days=1)
        run_jobs(c)
        shop.clock.advance(days=90)
        run_jobs(c)
        [held] = invoices_of(shop, sub)
        portal = shop.api.as_(login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password).json["token"])
        shown = portal.get(f"/portal/subscriptions/{sub['subscription_id']}").json
        assert (shown["status"], shown["next_billing_on"]) == ("unpaid", None)

        # When Zoë pays the invoice that holds it with a card she keeps for it, and the job runs
        paid = portal.post("/portal/payments", {"invoice_ids": [held.invoice_id], "payment_method": "pm_card_visa",
                                                "save_for_future": True},
                           headers={"Idempotency-Key": "pay-the-unpaid-one"})
        assert paid.status in (200, 201), paid.json
        run_jobs(c)

        # Then it is live with one new term from the day she paid, invoiced once: not the three it missed
        after = portal.get(f"/portal/subscriptions/{sub['subscription_id']}").json
        today = (NOW + 91 * DAY).date()
        assert (after["status"], after["current_term"]["start"]) == ("live", today.isoformat())
        assert periods(invoices_of(shop, sub))[1:] == [(today.isoformat(), "2027-03-24")]
        assert [i.status.value for i in invoices_of(shop, sub)] == ["paid", "paid"]


# --- the organization's time zone ------------------------------------------------------------

def test_an_auckland_merchants_days_are_auckland_days_in_proration_due_dates_and_documents(aws):
    with client() as c:
        # Given a merchant in Auckland, and 09:30 on Nov 26 there (20:30 on Nov 25 in UTC)
        shop = a_shop(c, at=datetime(2026, 11, 25, 20, 30, tzinfo=UTC))
        assert shop.admin.patch("/admin/organization", {"time_zone": "Pacific/Auckland"}).status == 200
        sub = shop.subscription("live", term_start=date(2026, 11, 10), term_end=date(2026, 12, 10))
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When Zoë upgrades now
        answer = shop.portal.post(f"{path}/changes", {"plan": "biz", "when": "now"})

        # Then the days left are counted from Nov 26, and the invoice is dated and due on Auckland days
        assert answer.json["credit_note"]["lines"][0]["description"] == "Unused time on Pro 100.00 x 14/30 days"
        invoice = answer.json["invoice"]
        assert (invoice["period_start"], invoice["due_on"]) == ("2026-11-26", "2026-12-11")
        pdf = shop.portal.get(f"/portal/invoices/{invoice['invoice_id']}/pdf", headers=PDF_HEADERS)
        text = pdf_text(pdf.body)
        assert "Issued November 26, 2026" in text and "Due December 11, 2026" in text
        # And the time zone can no longer change under the subscription's days
        refused = shop.admin.patch("/admin/organization", {"time_zone": "UTC"})
        assert (refused.status, refused.json["error"]["code"]) == (422, "time_zone_locked")


def test_a_time_zone_that_does_not_exist_is_refused_with_a_field_error(aws):
    with client() as c:
        shop = a_shop(c)
        answer = shop.admin.patch("/admin/organization", {"time_zone": "Mars/Olympus_Mons"})
        assert (answer.status, list(answer.json["error"]["details"]["fields"])) == (400, ["time_zone"])


# --- coupon cycles ---------------------------------------------------------------------------

def test_a_once_coupon_removed_and_applied_again_does_not_start_over(aws):
    with client() as c:
        # Given a coupon for one term, offered in the portal, and Zoë's subscription mid-term
        shop = a_shop(c)
        assert shop.admin.post("/admin/coupons", {"code": "TENOFF", "name": "Ten off", "amount_off_minor": 1_000,
                                                  "currency": "USD", "duration": "once", "portal": True}).status == 201
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When she applies it now (it discounts the rest of this term), removes it, and the term renews
        applied = shop.portal.post(f"{path}/changes", {"coupon": "tenoff", "when": "now"})
        removed = shop.portal.post(f"{path}/changes", {"coupon": None, "when": "now"})
        shop.clock.advance(days=15)
        run_jobs(c)
        portal = shop.api.as_(login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password).json["token"])
        again = portal.post(f"{path}/changes/preview", {"coupon": "TENOFF", "when": "now"})

        # Then applying it again is refused: its one cycle was used on this subscription
        assert (applied.status, removed.status) == (200, 200)
        assert applied.json["subscription"]["coupon"]["cycles_remaining"] == 0
        assert (again.status, again.json["error"]["details"]["fields"]) == (
            400, {"coupon": "Coupon TENOFF was already used up on this subscription."})


# --- credits -----------------------------------------------------------------------------------

def a_credit_note(shop, amount_minor: int) -> None:
    answer = shop.admin.post("/admin/credit-notes", {"customer_id": shop.zoe.customer_id, "reason": "Goodwill",
                                                     "lines": [{"description": "Goodwill", "unit_price_minor": amount_minor}]})
    assert answer.status == 201, answer.json


def available_credits(shop) -> int:
    from chalicelib.bootstrap import adapters
    return adapters().uow.account_summaries.get(shop.acme.org.org_id, shop.zoe.customer_id, "USD").credits_minor


def test_a_subscription_the_merchant_starts_takes_the_customers_available_credits_first(aws):
    with client() as c:
        shop = a_shop(c)
        a_credit_note(shop, 3_000)

        sub = shop.subscription("live")

        [invoice] = invoices_of(shop, sub)
        assert (invoice.total_minor, invoice.credits_applied_minor, invoice.balance_minor) == (10_000, 3_000, 7_000)
        assert available_credits(shop) == 0


def test_while_a_trials_first_charge_is_being_confirmed_activating_it_waits_and_invoices_nothing_twice(
        aws, monkeypatch):
    gateway = counting_gateway(monkeypatch, lose_answers=1)
    with client() as c:
        # Given a trial ending today, auto-charged; the job invoices its first term, and the payment
        # service's answer to the charge is lost (asked again in 10 minutes)
        shop = a_shop(c)
        sub = shop.subscription("trial", trial_end=NOW.date(), auto_charge=True, payment_method_id=shop.saved_card())
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        run_jobs(c)
        assert shop.portal.get(path).json["status"] == "trial"

        # When Zoë activates it meanwhile
        answer = shop.portal.post(f"{path}/activate", {})

        # Then she is asked to wait (activating would invoice the same month again), nothing is written
        assert (answer.status, answer.json["error"]["code"]) == (422, "first_charge_pending"), answer.json
        assert len(invoices_of(shop, sub)) == 1
        # And when the charge is asked again, the one invoice is paid and the subscription live
        shop.clock.advance(minutes=11)
        run_jobs(c)
        [invoice] = invoices_of(shop, sub)
        assert (invoice.status.value, shop.portal.get(path).json["status"]) == ("paid", "live")
        assert len({key for key, _ in gateway.calls}) == 1      # one charge, asked twice with its key


def test_a_trial_whose_first_charge_fails_gives_the_credits_it_used_back(aws, monkeypatch):
    counting_gateway(monkeypatch)
    with client() as c:
        # Given 30.00 of credit, and a trial ending today, auto-charged to a card that declines
        shop = a_shop(c)
        a_credit_note(shop, 3_000)
        sub = shop.subscription("trial", trial_end=NOW.date(), auto_charge=True,
                                payment_method_id=shop.saved_card("pm_card_chargeDeclined"))

        # When the job converts it and the charge is declined
        run_jobs(c)

        # Then the invoice is taken back (void) and the 30.00 is available again
        [invoice] = invoices_of(shop, sub)
        assert (invoice.status.value, invoice.balance_minor) == ("void", 0)
        assert available_credits(shop) == 3_000
