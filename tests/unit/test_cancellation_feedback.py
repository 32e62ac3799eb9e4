"""The cancel flow's rules in the domain (no AWS): which reasons and comments are accepted, when the
retention offer is open and how it is held, the merchant's counts, and the preferences' checks."""
from datetime import date, datetime, timezone

import pytest

from chalicelib.domain.cancellation_feedback import CancellationFeedback, check_reason, days_range, open_offer, report
from chalicelib.domain.catalog import Coupon
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.preferences import CancelPreferences, RetentionOffer, preferences_from_dict
from chalicelib.domain.subscription import AppliedCoupon, PlanSnapshot, Subscription
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LISTED = CancelPreferences(enabled=True, reasons=("Too expensive", "Missing a feature"))
OFFER = CancelPreferences(enabled=True, retention_offer=RetentionOffer("STAY", cycles=3))


def a_subscription(**fields) -> Subscription:
    return Subscription(**{**dict(subscription_id="sub_1", customer_id="cus_1", status=Status.LIVE,
                                  plan=PlanSnapshot("pro", "Pro", 10_000), currency="USD", created_at=NOW), **fields})


def stay(**fields) -> Coupon:
    return Coupon("STAY", **{**dict(name="Stay", duration="forever", percent_off_bp=2500), **fields})


def refusal(prefs: CancelPreferences, reason=None, comment=None) -> dict:
    with pytest.raises(InvalidInput) as error:
        check_reason(prefs, reason, comment)
    return error.value.fields


def test_a_listed_reason_is_accepted_and_any_other_is_refused():
    check_reason(LISTED, "Too expensive", None)
    assert refusal(LISTED, "too expensive") == {"reason": "Not one of the reasons offered."}


def test_a_required_reason_and_an_unasked_comment_are_both_named():
    prefs = CancelPreferences(enabled=True, reasons=("Too expensive",), reason_required=True)
    assert refusal(prefs, None, "hm") == {"reason": "Choose a reason.", "comment": "Comments are not asked for."}


def test_without_a_list_any_reason_is_free_text_and_required_means_some_text():
    check_reason(CancelPreferences(enabled=True), "Anything at all", None)
    assert refusal(CancelPreferences(reason_required=True)) == {"reason": "Say why you cancel."}


def test_the_offer_is_held_for_the_merchants_cycles_whatever_the_coupons_duration():
    assert open_offer(OFFER, a_subscription(), stay(), NOW, "pro") == AppliedCoupon(
        "STAY", "Stay", "repeating", percent_off_bp=2500, cycles=3)


@pytest.mark.parametrize("sub, coupon", [
    (a_subscription(retention_offer="accepted"), stay()),          # answered once already
    (a_subscription(retention_offer="declined"), stay()),
    (a_subscription(status=Status.PAUSED), stay()),                 # cannot take a scheduled change
    (a_subscription(), None),                                      # no longer in the catalogue
    (a_subscription(), stay(active=False)),
    (a_subscription(), stay(expires_at=NOW)),
    (a_subscription(), stay(plan_codes=("biz",))),
    (a_subscription(coupon=AppliedCoupon("STAY", "Stay", "forever", 2500)), stay()),   # has it already
])
def test_the_offer_is_not_shown(sub, coupon):
    assert open_offer(OFFER, sub, coupon, NOW, "pro") is None


def test_the_report_counts_reasons_most_frequent_first_and_the_answers_to_the_offer():
    def said(kind, reason=None, offer=None):
        return CancellationFeedback("sub", "cus", kind, NOW, reason, None, offer)
    counted = report([said("cancelled", "B", "declined"), said("cancelled", "A"), said("cancelled", "B"),
                      said("cancelled"), said("offer_accepted", offer="accepted")], date(2026, 11, 1),
                     date(2026, 11, 30))
    assert counted.reasons == (("B", 2), ("(no reason given)", 1), ("A", 1))
    assert (counted.cancellations, counted.offers_accepted, counted.offers_declined) == (4, 1, 1)


def test_a_report_covers_whole_days_in_order_and_at_most_a_year():
    days_range(date(2026, 1, 1), date(2027, 1, 1))    # 366 days, both included
    for start, end in ((date(2026, 2, 1), date(2026, 1, 31)), (date(2026, 1, 1), date(2027, 1, 2))):
        with pytest.raises(InvalidInput):
            days_range(start, end)


def test_the_merchants_reasons_and_offer_are_checked_and_read_back_as_stored():
    for bad in (dict(reasons=("A", "A")), dict(reasons=(" padded",)), dict(reasons=("x" * 81,))):
        with pytest.raises(ValueError):
            CancelPreferences(**bad)
    with pytest.raises(ValueError):
        RetentionOffer("STAY", cycles=0)
    stored = CancelPreferences(enabled=True, reasons=("A",), comments=True,
                               retention_offer=RetentionOffer("STAY", 2))
    prefs = preferences_from_dict({"cancel": {**stored.__dict__, "reasons": ["A"],
                                              "retention_offer": {"coupon_code": "STAY", "cycles": 2}}})
    assert prefs.cancel == stored
