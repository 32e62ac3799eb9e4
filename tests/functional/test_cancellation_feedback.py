"""The cancel flow's questions and its retention offer: the merchant's reasons (required or not,
comments or not), the offer shown once per subscription and accepted at most once, and the
merchant's counts of reasons and offer answers by range of days."""
from tests.support.api import client
from tests.support.subscriptions import TERM, a_shop

REASONS = ["Too expensive", "Missing a feature"]


def cancel_flow(**cancel) -> dict:
    return {"cancel": {"enabled": True, **cancel}}


def with_offer(shop, cycles: int = 3, **cancel) -> None:
    """The merchant's retention coupon (not offered in the portal's list) as the cancel flow's offer."""
    shop.coupon("STAY25", portal=False, percent_off_bp=2500, duration="once")
    shop.preferences(cancel_flow(reasons=REASONS, retention_offer={"coupon_code": "stay25", "cycles": cycles},
                                 **cancel))


# --- reasons ------------------------------------------------------------------------------------

def test_a_reason_the_merchant_did_not_list_is_refused_with_a_field_error_and_nothing_changes(aws):
    with client() as c:
        # Given a merchant who lists two reasons
        shop = a_shop(c, preferences=cancel_flow(reasons=REASONS))
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When the customer cancels with another reason, or with a comment nobody asked for
        unknown = shop.portal.post(f"{path}/cancel", {"when": "end_of_term", "reason": "Bored"})
        commented = shop.portal.post(f"{path}/cancel", {"when": "end_of_term", "reason": "Too expensive",
                                                        "comment": "Far too dear"})

        # Then both are 400 naming the field, and the subscription is as it was
        assert (unknown.status, unknown.json["error"]["details"]["fields"]) == (
            400, {"reason": "Not one of the reasons offered."})
        assert (commented.status, list(commented.json["error"]["details"]["fields"])) == (400, ["comment"])
        assert shop.portal.get(path).json["status"] == "live"


def test_a_required_reason_must_be_given_and_a_listed_one_with_a_comment_is_kept(aws):
    with client() as c:
        shop = a_shop(c, preferences=cancel_flow(reasons=REASONS, reason_required=True, comments=True))
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        dialog = shop.portal.get(f"{path}/cancel-dialog")
        missing = shop.portal.post(f"{path}/cancel", {"when": "end_of_term"})
        given = shop.portal.post(f"{path}/cancel", {"when": "end_of_term", "reason": "Missing a feature",
                                                    "comment": "  No SSO  "})

        assert dialog.json == {"reasons": REASONS, "reason_required": True, "comments": True, "offer": None}
        assert (missing.status, missing.json["error"]["details"]["fields"]) == (400, {"reason": "Choose a reason."})
        assert (given.status, given.json["subscription"]["status"]) == (200, "non_renewing")
        assert given.json["subscription"]["scheduled_cancellation"]["reason"] == "Missing a feature"


def test_without_listed_reasons_the_reason_stays_free_text(aws):
    with client() as c:
        shop = a_shop(c, preferences=cancel_flow())
        sub = shop.subscription("live", **TERM)
        answer = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/cancel",
                                  {"when": "now", "reason": "Moving to a spreadsheet"})
        assert (answer.status, answer.json["subscription"]["cancel_reason"]) == (200, "Moving to a spreadsheet")


# --- the retention offer ------------------------------------------------------------------------

def test_accepting_the_offer_keeps_the_subscription_with_the_coupon_from_the_next_term_as_quoted(aws):
    with client() as c:
        # Given a merchant offering 25% off for three terms to customers about to cancel
        shop = a_shop(c, preferences=None)
        with_offer(shop, cycles=3)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When the customer opens the cancel dialog, then accepts the offer with its quote
        offer = shop.portal.get(f"{path}/cancel-dialog").json["offer"]
        accepted = shop.portal.post(f"{path}/retention-offer", {"quote_id": offer["quote"]["quote_id"]})

        # Then the quote showed the next term at 75.00, and that is what is scheduled, for three terms
        assert (offer["coupon_code"], offer["percent_off_bp"], offer["cycles"]) == ("STAY25", 2500, 3)
        assert (offer["quote"]["next_term_total_minor"], offer["quote"]["amount_due_minor"]) == (7_500, 0)
        assert accepted.status == 200, accepted.json
        shown = accepted.json["subscription"]
        assert (shown["status"], accepted.json["invoice"]) == ("live", None)
        assert shown["scheduled_change"]["coupon"]["code"] == "STAY25"
        # And the offer is not shown again; a retried acceptance changes nothing and redeems once
        again = shop.portal.post(f"{path}/retention-offer", {"quote_id": offer["quote"]["quote_id"]})
        assert (again.status, again.json["subscription"]) == (200, shown)
        assert shop.portal.get(f"{path}/cancel-dialog").json["offer"] is None
        [coupon] = [c for c in shop.admin.get("/admin/coupons").json["items"] if c["code"] == "STAY25"]
        assert coupon["redemptions"] == 1


def test_an_offer_accepted_on_a_stale_quote_is_refused_and_changes_nothing(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        with_offer(shop)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        answer = shop.portal.post(f"{path}/retention-offer", {"quote_id": "quote_from_another_day"})

        assert answer.status == 409, answer.json
        assert shop.portal.get(f"{path}/cancel-dialog").json["offer"] is not None


def test_cancelling_declines_the_offer_and_the_merchant_counts_reasons_and_answers_by_day(aws):
    with client() as c:
        # Given three subscriptions and an offer: one keeps it, two cancel with a reason
        shop = a_shop(c, preferences=None)
        with_offer(shop)
        kept, first, second = (shop.subscription("live", **TERM) for _ in range(3))
        offer = shop.portal.get(f"/portal/subscriptions/{kept['subscription_id']}/cancel-dialog").json["offer"]
        shop.portal.post(f"/portal/subscriptions/{kept['subscription_id']}/retention-offer",
                         {"quote_id": offer["quote"]["quote_id"]})
        for sub, reason in ((first, "Too expensive"), (second, "Too expensive")):
            answer = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/cancel",
                                      {"when": "now", "reason": reason})
            assert answer.status == 200, answer.json

        # When the merchant asks for this month, and for the month before
        month = shop.admin.get("/admin/cancellations?from=2026-11-01&to=2026-11-30")
        before = shop.admin.get("/admin/cancellations?from=2026-10-01&to=2026-10-31")

        # Then this month counts both cancellations by reason, one offer accepted and two declined
        assert month.json == {"start": "2026-11-01", "end": "2026-11-30", "cancellations": 2,
                              "reasons": [{"reason": "Too expensive", "count": 2}],
                              "offers_accepted": 1, "offers_declined": 2}
        assert (before.json["cancellations"], before.json["offers_accepted"]) == (0, 0)


def test_the_report_refuses_days_out_of_order_missing_or_over_a_year_apart(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        answers = [shop.admin.get("/admin/cancellations?from=2026-11-30&to=2026-11-01"),
                   shop.admin.get("/admin/cancellations?to=2026-11-01"),
                   shop.admin.get("/admin/cancellations?from=2025-01-01&to=2026-11-01"),
                   shop.admin.get("/admin/cancellations?from=someday&to=2026-11-01")]
        assert [(a.status, list(a.json["error"]["details"]["fields"])) for a in answers] == [
            (400, ["query.to"]), (400, ["query.from"]), (400, ["query.to"]), (400, ["query.from"])]


def test_the_offer_names_a_coupon_of_the_catalogue(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        answer = shop.admin.put("/admin/preferences", {"preferences": cancel_flow(
            retention_offer={"coupon_code": "NOSUCH", "cycles": 2})})
        assert (answer.status, list(answer.json["error"]["details"]["fields"])) == (
            400, ["preferences.cancel.retention_offer.coupon_code"])


def test_another_customers_subscription_has_no_cancel_dialog_nor_offer(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        with_offer(shop)
        sub = shop.subscription("live", **TERM)
        hank = shop.another_customer()
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        answers = [hank.portal.get(f"{path}/cancel-dialog"), hank.portal.post(f"{path}/retention-offer", {})]
        assert [a.status for a in answers] == [404, 404]
