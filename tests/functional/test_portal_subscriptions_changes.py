"""Editing a subscription from the portal: a preview quote honoured to the cent, proration by day
with literal dates, changes scheduled for the term end, what the merchant allows, bad input;
and the auto-charge toggle."""
from datetime import timezone

from tests.support.api import client
from tests.support.subscriptions import TERM, a_shop

UTC = timezone.utc
# Nov 9 to Dec 10: a 31-day term; on Nov 25 (the tests' now) 16 days are used and 15 remain
EDIT_ONLY = {"edit_subscription": {"enabled": True}}


def account(shop):
    from chalicelib.bootstrap import adapters
    return adapters().uow.account_summaries.get(shop.acme.org.org_id, shop.zoe.customer_id, "USD")


def subscription_state(shop, subscription_id):
    from chalicelib.bootstrap import adapters
    return adapters().uow.subscriptions.get(shop.acme.org.org_id, shop.zoe.customer_id, subscription_id)


def test_an_upgrade_after_16_of_31_days_is_invoiced_exactly_as_previewed(aws):
    with client() as c:
        # Given Pro (100.00) for a 31-day term, 16 days used (imported: its term was billed elsewhere)
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When Zoë previews moving to Business (200.00) now, and confirms that quote
        quote = shop.portal.post(f"{path}/changes/preview", {"plan": "biz", "when": "now"}).json
        answer = shop.portal.post(f"{path}/changes", {"plan": "biz", "when": "now", "quote_id": quote["quote_id"]})

        # Then the preview showed 48.39 credited (100.00 x 15/31), 96.77 charged (200.00 x 15/31), 48.38 net
        assert [(l["description"], l["amount_minor"]) for l in quote["credit_note_lines"]] == [
            ("Unused time on Pro 100.00 x 15/31 days", 4_839)]
        assert [(l["description"], l["amount_minor"]) for l in quote["invoice_lines"]] == [
            ("Remaining time on Business 200.00 x 15/31 days", 9_677)]
        assert (quote["net_minor"], quote["amount_due_minor"]) == (4_838, 4_838)
        # And the documents are those amounts to the cent: the credit note is applied to the invoice
        assert answer.status == 200, answer.json
        invoice, note = answer.json["invoice"], answer.json["credit_note"]
        assert (note["total_minor"], note["balance_minor"], note["status"]) == (4_839, 0, "closed")
        assert (invoice["total_minor"], invoice["credits_applied"][0]["amount_minor"]) == (
            quote["invoice_total_minor"], quote["credits_applied_minor"])
        assert invoice["total_minor"] - invoice["credits_applied"][0]["amount_minor"] == quote["amount_due_minor"]
        assert (invoice["period_start"], invoice["period_end"]) == ("2026-11-25", "2026-12-10")
        assert (answer.json["subscription"]["plan"]["code"], answer.json["subscription"]["current_term"]["end"]) == (
            "biz", "2026-12-10")
        summary = account(shop)
        assert (summary.outstanding_count, summary.outstanding_minor, summary.credits_minor) == (1, 4_838, 0)


def test_a_downgrade_leaves_the_difference_as_available_credit(aws):
    with client() as c:
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", plan="biz", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        before = account(shop)

        answer = shop.portal.post(f"{path}/changes", {"plan": "pro"})

        # 96.77 credited, 48.39 invoiced and paid from that credit, 48.38 left to spend
        invoice, note = answer.json["invoice"], answer.json["credit_note"]
        assert (note["total_minor"], note["balance_minor"], note["status"]) == (9_677, 4_838, "open")
        assert (invoice["total_minor"], invoice["status"]) == (4_839, "paid")
        after = account(shop)
        assert (after.credits_minor, after.outstanding_minor) == (4_838, before.outstanding_minor)


def test_seats_and_a_coupon_added_mid_term_are_prorated_line_by_line(aws):
    with client() as c:
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        body = {"addons": [{"code": "seats", "quantity": 3}], "coupon": "welcome20"}

        quote = shop.portal.post(f"{path}/changes/preview", body).json
        answer = shop.portal.post(f"{path}/changes", {**body, "quote_id": quote["quote_id"]})

        # 100.00 x 15/31 = 48.39, 3 x 10.00 x 15/31 = 14.52; 130.00 x 15/31 = 62.90 less 20% (12.58) is
        # 50.32: the coupon line takes the two lines to it, -12.59
        assert [l["amount_minor"] for l in quote["invoice_lines"]] == [4_839, 1_452, -1_259]
        assert [l["amount_minor"] for l in answer.json["invoice"]["lines"]] == [4_839, 1_452, -1_259]
        assert answer.json["subscription"]["amount_per_term_minor"] == 10_400


def test_a_quote_that_no_longer_holds_is_refused_and_nothing_is_written(aws):
    with client() as c:
        # Given a previewed upgrade, and a day gone by before Zoë confirms it
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        quote = shop.portal.post(f"{path}/changes/preview", {"plan": "biz"}).json
        with_day_passed(shop)

        # When she confirms the old quote
        answer = shop.portal.post(f"{path}/changes", {"plan": "biz", "quote_id": quote["quote_id"]})

        # Then 409: the proration is now 14/31 days; the subscription and invoices are untouched
        assert (answer.status, answer.json["error"]["code"]) == (409, "quote_changed")
        assert subscription_state(shop, sub["subscription_id"]).plan.code == "pro"
        assert shop.portal.get(f"{path}/invoices").json["items"] == []


def with_day_passed(shop):
    """The organization's billing clock a day ahead (test mode); sessions keep the real time."""
    from dataclasses import replace
    from datetime import timedelta

    from chalicelib.bootstrap import adapters
    org = adapters().uow.organizations.get(shop.acme.org.org_id)
    adapters().uow.organizations.save(replace(org, test_mode=True, test_clock_at=shop.clock.now + timedelta(days=1)))


def test_a_change_at_term_end_is_scheduled_shown_and_charges_nothing_now(aws):
    with client() as c:
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        quote = shop.portal.post(f"{path}/changes/preview", {"plan": "biz", "when": "end_of_term"}).json
        answer = shop.portal.post(f"{path}/changes", {"plan": "biz", "when": "end_of_term",
                                                      "quote_id": quote["quote_id"]})

        assert (quote["amount_due_minor"], quote["effective_on"], quote["next_term_total_minor"]) == (
            0, "2026-12-10", 20_000)
        shown = answer.json["subscription"]
        assert (shown["plan"]["code"], shown["scheduled_change"]["plan"]["code"]) == ("pro", "biz")
        assert shown["scheduled_change"]["effective_on"] == "2026-12-10"
        assert shown["next_billing_amount_minor"] == 20_000
        assert (answer.json["invoice"], answer.json["credit_note"], answer.json["payment"]) == (None, None, None)
        assert shop.portal.get(f"{path}/invoices").json["items"] == []


def test_the_coupon_is_removed_with_an_explicit_null(aws):
    with client() as c:
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", coupon_code="welcome20", **TERM)
        answer = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes",
                                  {"coupon": None, "when": "end_of_term"})
        assert answer.status == 200, answer.json
        assert answer.json["subscription"]["scheduled_change"]["coupon"] is None


def test_only_the_plans_and_parts_the_merchant_allows_can_be_chosen(aws):
    with client() as c:
        # Given a merchant who offers only Pro and Business, no coupons, and changes at term end only
        shop = a_shop(c, preferences={"edit_subscription": {
            "enabled": True, "allowed_plan_codes": ["pro", "biz"], "change_coupon": False,
            "apply_when": ["end_of_term"]}})
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        options = shop.portal.get("/portal/subscription-options").json
        yearly = shop.portal.post(f"{path}/changes", {"plan": "yearly", "when": "end_of_term"})
        coupon = shop.portal.post(f"{path}/changes", {"coupon": "welcome20", "when": "end_of_term"})
        now = shop.portal.post(f"{path}/changes", {"plan": "biz", "when": "now"})

        assert [p["code"] for p in options["plans"]] == ["biz", "pro"] and options["when"] == ["end_of_term"]
        assert (options["coupons"], options["change_coupon"]) == ([], False)
        assert (yearly.status, yearly.json["error"]["details"]["fields"]) == (
            400, {"plan": "This plan cannot be chosen in the portal."})
        assert (coupon.status, coupon.json["error"]["details"]) == (403, {"feature": "edit_subscription.change_coupon"})
        assert (now.status, now.json["error"]["details"]) == (403, {"feature": "edit_subscription.immediately"})
        assert subscription_state(shop, sub["subscription_id"]).version == 1


def test_bad_changes_are_refused_with_field_errors_and_write_nothing(aws):
    with client() as c:
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}/changes"
        answers = [
            shop.portal.post(path, {"plan": "biz", "colour": "red"}),
            shop.portal.post(path, {"addons": [{"code": "seats", "quantity": 0}]}),
            shop.portal.post(path, {"plan": "platinum"}),
            shop.portal.post(path, {"addons": [{"code": "unknown"}]}),
            shop.portal.post(path, {"plan": "biz", "when": "tomorrow"}),
            shop.portal.post(path, {"plan": "pro"}),
            shop.portal.post(path, raw=b"{not json"),
        ]
        assert [(a.status, sorted(a.json["error"]["details"]["fields"])) for a in answers] == [
            (400, ["colour"]), (400, ["addons.0.quantity"]), (400, ["plan"]), (400, ["addons.0.code"]),
            (400, ["when"]), (400, ["body"]), (400, ["body"])]
        assert subscription_state(shop, sub["subscription_id"]).version == 1
        assert shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}/invoices").json["items"] == []


# --- auto-charge --------------------------------------------------------------------------------

def test_auto_charge_is_turned_on_and_off_without_collecting_open_invoices(aws):
    with client() as c:
        # Given a live subscription with a card and its open term invoice
        shop = a_shop(c, preferences={"auto_charge": True})
        sub = shop.subscription("live", payment_method_id="pm_card_visa")
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        on = shop.portal.put(f"{path}/auto-charge", {"enabled": True})
        off = shop.portal.put(f"{path}/auto-charge", {"enabled": False})

        assert (on.status, on.json["subscription"]["auto_charge"]) == (200, True)
        assert (off.status, off.json["subscription"]["auto_charge"]) == (200, False)
        [invoice] = shop.portal.get(f"{path}/invoices").json["items"]
        assert (invoice["status"], invoice["amount_paid_minor"]) == ("open", 0)


def test_turning_auto_charge_off_in_dunning_makes_the_subscription_live(aws):
    with client() as c:
        shop = a_shop(c, preferences={"auto_charge": True})
        sub = shop.subscription("dunning", auto_charge=True, payment_method_id="pm_card_visa", **TERM)

        answer = shop.portal.put(f"/portal/subscriptions/{sub['subscription_id']}/auto-charge", {"enabled": False})

        assert (answer.json["subscription"]["status"], answer.json["subscription"]["auto_charge"]) == ("live", False)
        stored = subscription_state(shop, sub["subscription_id"])
        assert (stored.next_retry_at, stored.dunning_attempts) == (None, 0)


def test_auto_charge_needs_a_payment_method_and_a_boolean(aws):
    with client() as c:
        shop = a_shop(c, preferences={"auto_charge": True})
        sub = shop.subscription("live")
        path = f"/portal/subscriptions/{sub['subscription_id']}/auto-charge"
        no_method = shop.portal.put(path, {"enabled": True})
        not_boolean = shop.portal.put(path, {"enabled": "yes"})
        assert (no_method.status, no_method.json["error"]["code"]) == (422, "no_payment_method")
        assert (not_boolean.status, list(not_boolean.json["error"]["details"]["fields"])) == (400, ["enabled"])
