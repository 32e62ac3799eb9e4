"""Pausing and resuming, cancelling, and reactivating from the portal."""
from datetime import timedelta

from tests.support.api import NOW, client
from tests.support.subscriptions import TERM, a_shop, action

PAUSE_ONLY = {"pause_resume": {"enabled": True, "customer_can_resume": False}}
PAUSE_AND_RESUME = {"pause_resume": {"enabled": True, "customer_can_resume": True}}


def day(days: int) -> str:
    """A day of the organization's calendar (UTC here), `days` from today."""
    return (NOW.date() + timedelta(days=days)).isoformat()


# --- pause and resume ---------------------------------------------------------------------------

def test_a_pause_now_with_a_resume_date_pauses_at_once_and_shows_the_schedule(aws):
    with client() as c:
        shop = a_shop(c, preferences=PAUSE_AND_RESUME)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        answer = shop.portal.put(f"{path}/pause-schedule", {"resume_at": day(30)})

        assert answer.status == 200, answer.json
        shown = answer.json["subscription"]
        assert (shown["status"], shown["pause"]) == ("paused", {"pause_at": None, "resume_at": day(30),
                                                                "paused_at": day(0), "paid_days_kept": 0})
        assert shown["next_billing_on"] == day(30)   # nothing is billed while paused: the next bill is on resuming
        # And the 15 unused days of the paid term are credited (the merchant's default): 100.00 x 15/31
        assert (answer.json["credit_note"]["total_minor"], answer.json["invoice"]) == (4_839, None)
        # And the resume date can be moved, then deleted (paused until resumed)
        moved = shop.portal.put(f"{path}/pause-schedule", {"resume_at": day(40)})
        assert moved.json["subscription"]["pause"]["resume_at"] == day(40)
        deleted = shop.portal.delete(f"{path}/pause-schedule")
        assert (deleted.json["subscription"]["status"], deleted.json["subscription"]["pause"]["resume_at"]) == (
            "paused", None)


def test_a_later_pause_is_scheduled_changed_and_deleted_without_the_resume_permission(aws):
    with client() as c:
        shop = a_shop(c, preferences=PAUSE_ONLY)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        scheduled = shop.portal.put(f"{path}/pause-schedule", {"pause_at": day(5)})
        changed = shop.portal.put(f"{path}/pause-schedule", {"pause_at": day(7)})
        with_resume = shop.portal.put(f"{path}/pause-schedule", {"pause_at": day(7), "resume_at": day(20)})
        deleted = shop.portal.delete(f"{path}/pause-schedule")

        assert (scheduled.json["subscription"]["status"], scheduled.json["subscription"]["pause"]["pause_at"]) == (
            "live", day(5))
        assert changed.json["subscription"]["pause"]["pause_at"] == day(7)
        assert (with_resume.status, with_resume.json["error"]["details"]) == (403, {"feature": "customer_resume"})
        assert (deleted.status, deleted.json["subscription"]["pause"]) == (200, None)
        again = shop.portal.delete(f"{path}/pause-schedule")
        assert (again.status, again.json["error"]["code"]) == (422, "no_pause_schedule")


def test_pause_dates_out_of_order_are_refused_with_field_errors(aws):
    with client() as c:
        shop = a_shop(c, preferences=PAUSE_AND_RESUME)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}/pause-schedule"
        answers = [shop.portal.put(path, {"pause_at": day(-2)}),
                   shop.portal.put(path, {"pause_at": day(10), "resume_at": day(5)}),
                   shop.portal.put(path, {"pause_at": "2026-12-01T09:30:00"}),      # a time, not a day
                   shop.portal.put(path, {"pause_at": "soon"})]
        assert [(a.status, list(a.json["error"]["details"]["fields"])) for a in answers] == [
            (400, ["pause_at"]), (400, ["resume_at"]), (400, ["pause_at"]), (400, ["pause_at"])]


def test_resuming_now_starts_a_new_term_invoiced_as_previewed(aws):
    with client() as c:
        # Given a subscription paused since the start of the month
        shop = a_shop(c, preferences=PAUSE_AND_RESUME)
        sub = shop.subscription("paused", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        quote = shop.portal.post(f"{path}/resume/preview").json
        answer = shop.portal.post(f"{path}/resume", {"quote_id": quote["quote_id"]})

        # Then it is live with a month's term from today, invoiced at the previewed amount
        assert answer.status == 200, answer.json
        shown = answer.json["subscription"]
        assert (shown["status"], shown["current_term"], shown["pause"]) == (
            "live", {"start": "2026-11-25", "end": "2026-12-25"}, None)
        assert answer.json["invoice"]["total_minor"] == quote["invoice_total_minor"] == 10_000


def test_resuming_now_needs_the_customer_resume_permission(aws):
    with client() as c:
        shop = a_shop(c, preferences=PAUSE_ONLY)
        sub = shop.subscription("paused", **TERM)
        answer = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/resume", {})
        assert (answer.status, answer.json["error"]["details"]) == (403, {"feature": "customer_resume"})


# --- cancel -------------------------------------------------------------------------------------

def test_cancelling_now_during_a_paid_term_refunds_nothing_as_the_preview_says(aws):
    with client() as c:
        # Given a live subscription whose term invoice is open
        shop = a_shop(c, preferences={"cancel": {"enabled": True}})
        sub = shop.subscription("live")
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        preview = shop.portal.post(f"{path}/cancel/preview", {"when": "now"}).json
        answer = shop.portal.post(f"{path}/cancel", {"when": "now", "reason": "Switching provider"})

        assert (preview["refund_minor"], preview["effective_on"]) == (0, "2026-11-25")
        assert "No refund is given for the unused 30 day(s)" in preview["notes"][0]
        shown = answer.json["subscription"]
        assert (shown["status"], shown["cancelled_at"], shown["cancel_reason"]) == (
            "cancelled", NOW.isoformat(), "Switching provider")
        assert action(shop.portal.get(path), "reactivate")["reason"] == "feature_disabled"
        [invoice] = shop.portal.get(f"{path}/invoices").json["items"]
        assert invoice["status"] == "open"   # what was invoiced stays due
        assert (answer.json["invoice"], answer.json["credit_note"], answer.json["payment"]) == (None, None, None)


def test_a_cancellation_at_term_end_is_scheduled_and_can_be_taken_back(aws):
    with client() as c:
        shop = a_shop(c, preferences={"cancel": {"enabled": True}})
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        preview = shop.portal.post(f"{path}/cancel/preview", {"when": "end_of_term"}).json
        scheduled = shop.portal.post(f"{path}/cancel", {"when": "end_of_term"})
        removed = shop.portal.delete(f"{path}/scheduled-cancellation")

        assert preview["notes"] == ["It stays active until 2026-12-10 and will not renew."]
        assert (scheduled.json["subscription"]["status"], scheduled.json["subscription"]["next_billing_on"]) == (
            "non_renewing", None)
        assert (removed.json["subscription"]["status"], removed.json["subscription"]["scheduled_cancellation"]) == (
            "live", None)


def test_the_merchant_can_offer_cancelling_at_term_end_only(aws):
    with client() as c:
        shop = a_shop(c, preferences={"cancel": {"enabled": True, "apply_when": ["end_of_term"]}})
        sub = shop.subscription("live", **TERM)
        answer = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/cancel", {"when": "now"})
        assert (answer.status, answer.json["error"]["details"]) == (403, {"feature": "cancel.immediately"})


def test_a_cancellation_needs_to_say_when(aws):
    with client() as c:
        shop = a_shop(c, preferences={"cancel": {"enabled": True}})
        sub = shop.subscription("live", **TERM)
        answer = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/cancel", {"reason": "x" * 201})
        assert (answer.status, sorted(answer.json["error"]["details"]["fields"])) == (400, ["reason", "when"])


# --- reactivate ---------------------------------------------------------------------------------

def test_reactivating_a_cancelled_subscription_invoices_a_new_term_from_today_as_previewed(aws):
    with client() as c:
        # Given a subscription cancelled in a paid term (Nov 9 - Dec 10) with 20% off
        shop = a_shop(c, preferences={"reactivate": True})
        sub = shop.subscription("cancelled", coupon_code="welcome20", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        quote = shop.portal.post(f"{path}/reactivate/preview", {}).json
        answer = shop.portal.post(f"{path}/reactivate", {"quote_id": quote["quote_id"]})

        # Then a new term Nov 25 - Dec 25 is invoiced, 100.00 less 20%
        assert (quote["period_start"], quote["period_end"], quote["invoice_total_minor"]) == (
            "2026-11-25", "2026-12-25", 8_000)
        # and the 15 paid days of the old term still to come are credited, so no day is billed twice:
        # 100.00 x 15/31 = 48.39 less 20% (9.68) = 38.71
        assert (quote["credit_note_total_minor"], quote["amount_due_minor"]) == (3_871, 8_000 - 3_871)
        assert answer.status == 200, answer.json
        shown = answer.json["subscription"]
        assert (shown["status"], shown["cancelled_at"], shown["current_term"]["start"]) == ("live", None,
                                                                                           "2026-11-25")
        assert answer.json["invoice"]["total_minor"] == quote["invoice_total_minor"]
        assert answer.json["credit_note"]["total_minor"] == quote["credit_note_total_minor"]


def test_reactivating_with_another_plan_needs_the_edit_permission(aws):
    with client() as c:
        shop = a_shop(c, preferences={"reactivate": True})
        sub = shop.subscription("expired", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        refused = shop.portal.post(f"{path}/reactivate/preview", {"changes": {"plan": "biz"}})
        shop.preferences({"reactivate": True, "edit_subscription": {"enabled": True}})
        quote = shop.portal.post(f"{path}/reactivate/preview", {"changes": {"plan": "biz"}}).json
        answer = shop.portal.post(f"{path}/reactivate", {"changes": {"plan": "biz"}, "quote_id": quote["quote_id"]})

        assert (refused.status, refused.json["error"]["details"]) == (403, {"feature": "edit_subscription"})
        assert (answer.json["subscription"]["plan"]["code"], answer.json["invoice"]["total_minor"]) == ("biz", 20_000)


def test_a_reactivation_confirmed_with_another_choice_than_previewed_is_refused(aws):
    with client() as c:
        shop = a_shop(c, preferences={"reactivate": True, "edit_subscription": {"enabled": True}})
        sub = shop.subscription("cancelled", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        quote = shop.portal.post(f"{path}/reactivate/preview", {}).json

        answer = shop.portal.post(f"{path}/reactivate", {"changes": {"plan": "biz"}, "quote_id": quote["quote_id"]})

        assert (answer.status, answer.json["error"]["code"]) == (409, "quote_changed")
        assert shop.portal.get(path).json["status"] == "cancelled"
