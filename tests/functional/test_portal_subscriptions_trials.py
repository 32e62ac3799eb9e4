"""Trials from the portal: convert to live (the previewed charges honoured to the cent), extend a
trial that expired on a failed charge, cancel a trial now or at its end."""
from datetime import timedelta, timezone

from tests.support.api import NOW, client
from tests.support.subscriptions import a_shop, action, mark_expired_at_trial_end

UTC = timezone.utc


def a_credit_note(shop, minor: int) -> dict:
    answer = shop.admin.post("/admin/credit-notes", {"customer_id": shop.zoe.customer_id, "reason": "Goodwill",
                                                     "lines": [{"description": "Goodwill", "unit_price_minor": minor}]})
    assert answer.status == 201, answer.json
    return answer.json


def account(shop):
    from chalicelib.bootstrap import adapters
    return adapters().uow.account_summaries.get(shop.acme.org.org_id, shop.zoe.customer_id, "USD")


def test_activating_a_trial_raises_the_previewed_invoice_with_credits_applied_to_the_cent(aws):
    with client() as c:
        # Given a trial of Pro (100.00 a month) and 25.00 of available credit
        shop = a_shop(c)
        trial = shop.subscription("trial")
        note = a_credit_note(shop, 2_500)
        path = f"/portal/subscriptions/{trial['subscription_id']}"

        # When Zoë previews the activation, then confirms that quote
        quote = shop.portal.post(f"{path}/activate/preview").json
        answer = shop.portal.post(f"{path}/activate", {"quote_id": quote["quote_id"]})

        # Then the preview said: a month from today, 100.00, 25.00 of credits, 75.00 due
        assert (quote["period_start"], quote["period_end"]) == ("2026-11-25", "2026-12-25")
        assert (quote["invoice_total_minor"], quote["credits_applied_minor"], quote["amount_due_minor"]) == (
            10_000, 2_500, 7_500)
        # And the subscription is live from now, with exactly that invoice
        assert answer.status == 200, answer.json
        sub, invoice = answer.json["subscription"], answer.json["invoice"]
        assert (sub["status"], sub["current_term"]["start"], sub["trial"]["end"]) == (
            "live", "2026-11-25", "2026-11-25")
        assert (invoice["total_minor"], [(a["credit_note_id"], a["amount_minor"]) for a in invoice["credits_applied"]],
                invoice["status"]) == (10_000, [(note["credit_note_id"], 2_500)], "open")
        assert [line["description"] for line in invoice["lines"]] == ["Pro (1 x 100.00) 2026-11-25 to 2026-12-25"]
        assert answer.json["payment"] is None   # no auto-charge: left open for Zoë to pay
        # And the dashboard figures moved with it
        summary = account(shop)
        assert (summary.outstanding_count, summary.outstanding_minor, summary.credits_minor) == (1, 7_500, 0)


def test_an_activation_whose_charges_changed_since_the_preview_is_refused_and_writes_nothing(aws):
    with client() as c:
        # Given a previewed activation, and a credit note issued after the preview
        shop = a_shop(c)
        trial = shop.subscription("trial")
        path = f"/portal/subscriptions/{trial['subscription_id']}"
        quote = shop.portal.post(f"{path}/activate/preview").json
        a_credit_note(shop, 1_000)

        # When Zoë confirms the old quote
        answer = shop.portal.post(f"{path}/activate", {"quote_id": quote["quote_id"]})

        # Then she is told the charges changed, with the new quote's id, and nothing happened
        fresh = shop.portal.post(f"{path}/activate/preview").json
        assert (answer.status, answer.json["error"]["code"]) == (409, "quote_changed")
        assert answer.json["error"]["details"]["quote_id"] == fresh["quote_id"] != quote["quote_id"]
        assert shop.portal.get(path).json["status"] == "trial"
        assert shop.portal.get(f"{path}/invoices").json["items"] == []


def test_a_change_scheduled_for_the_trials_end_applies_on_activation(aws):
    with client() as c:
        shop = a_shop(c)
        trial = shop.subscription("trial")
        path = f"/portal/subscriptions/{trial['subscription_id']}"
        assert shop.portal.post(f"{path}/changes", {"plan": "biz", "when": "end_of_term"}).status == 200

        answer = shop.portal.post(f"{path}/activate", {})

        assert (answer.json["subscription"]["plan"]["code"], answer.json["invoice"]["total_minor"]) == ("biz", 20_000)
        assert answer.json["subscription"]["scheduled_change"] is None


def test_activation_is_refused_when_the_merchant_does_not_allow_it(aws):
    with client() as c:
        shop = a_shop(c, preferences={"trial": {"convert_to_live": False, "cancel": True}})
        trial = shop.subscription("trial")
        answer = shop.portal.post(f"/portal/subscriptions/{trial['subscription_id']}/activate", {})
        assert (answer.status, answer.json["error"]["details"]) == (403, {"feature": "trial_convert"})
        assert action(shop.portal.get(f"/portal/subscriptions/{trial['subscription_id']}"), "activate")[
            "reason"] == "feature_disabled"


def test_a_trial_that_expired_on_a_failed_charge_is_extended_by_the_plans_trial_period_once(aws):
    with client() as c:
        # Given a Pro trial (14-day trials) that expired because its first charge failed
        shop = a_shop(c)
        expired = shop.subscription("expired")
        mark_expired_at_trial_end(shop.acme.org.org_id, shop.zoe.customer_id, expired["subscription_id"])
        path = f"/portal/subscriptions/{expired['subscription_id']}"
        assert action(shop.portal.get(path), "extend_trial")["allowed"] is True

        # When Zoë extends it
        answer = shop.portal.post(f"{path}/extend-trial")

        # Then it is a trial again for 14 days from now, one extension used
        assert answer.status == 200, answer.json
        sub = answer.json["subscription"]
        assert (sub["status"], sub["trial"]["end"]) == ("trial", (NOW.date() + timedelta(days=14)).isoformat())
        assert sub["trial_extensions"] == {"used": 1, "allowed": 1}
        assert (sub["expired_reason"], sub["expired_at"]) == (None, None)
        # And once it expires the same way again, the one extension allowed is used up
        shop.clock.advance(minutes=10)
        mark_expired_again(shop, expired["subscription_id"])
        again = shop.portal.post(f"{path}/extend-trial")
        assert (again.status, again.json["error"]["code"]) == (422, "extension_limit_reached")


def mark_expired_again(shop, subscription_id):
    from dataclasses import replace

    from chalicelib.bootstrap import adapters
    from chalicelib.domain.subscription_status import Status
    org_id, customer_id = shop.acme.org.org_id, shop.zoe.customer_id
    sub = adapters().uow.subscriptions.get(org_id, customer_id, subscription_id)
    adapters().uow.subscriptions.save(org_id, replace(sub, status=Status.EXPIRED, expired_at=shop.clock.now,
                                                      expired_reason="trial_charge_failed"), clock="live")


def test_a_subscription_that_expired_otherwise_cannot_have_its_trial_extended(aws):
    with client() as c:
        shop = a_shop(c)
        expired = shop.subscription("expired")
        answer = shop.portal.post(f"/portal/subscriptions/{expired['subscription_id']}/extend-trial")
        assert (answer.status, answer.json["error"]["code"]) == (422, "trial_not_extendable")


def test_a_trial_is_cancelled_at_its_end_then_kept_with_the_trial_permission_only(aws):
    with client() as c:
        # Given a merchant who lets customers cancel trials, but not other subscriptions
        shop = a_shop(c, preferences={"trial": {"cancel": True}})
        trial = shop.subscription("trial")
        path = f"/portal/subscriptions/{trial['subscription_id']}"

        # When Zoë cancels her trial at its end, then changes her mind
        scheduled = shop.portal.post(f"{path}/cancel", {"when": "end_of_term", "reason": "Just looking"})
        kept = shop.portal.delete(f"{path}/scheduled-cancellation")

        # Then it was set to end with the trial, and is a trial again
        assert scheduled.status == 200, scheduled.json
        assert scheduled.json["subscription"]["scheduled_cancellation"] == {
            "effective_on": (NOW.date() + timedelta(days=14)).isoformat(), "reason": "Just looking"}
        assert (kept.status, kept.json["subscription"]["status"]) == (200, "trial")
        # And a trial is cancelled now with the same permission
        now = shop.portal.post(f"{path}/cancel", {"when": "now"})
        assert now.json["subscription"]["status"] == "cancelled"
        live = shop.subscription("live")
        refused = shop.portal.post(f"/portal/subscriptions/{live['subscription_id']}/cancel", {"when": "now"})
        assert (refused.status, refused.json["error"]["details"]) == (403, {"feature": "cancel"})
