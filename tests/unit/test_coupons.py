"""Coupon rules in the domain (no AWS): who may apply a coupon and when, codes in any case, what
counts as a redemption, and what the merchant may change."""
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain import coupons
from chalicelib.domain.catalog import Coupon, coupon_key
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.subscription import AppliedCoupon, CouponUse, PlanSnapshot, ScheduledChange, Subscription
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PRO = PlanSnapshot("pro", "Pro", 10_000)


def a_coupon(code="TENOFF", **fields) -> Coupon:
    values = dict(name="Ten off", duration="once", amount_off_minor=1_000, currency="USD", portal=True)
    return Coupon(code, **{**values, **fields})


def held(code="TENOFF") -> AppliedCoupon:
    return AppliedCoupon(code, "Ten off", "once", amount_off_minor=1_000)


def a_subscription(**fields) -> Subscription:
    return Subscription(**{**dict(subscription_id="sub_1", customer_id="cus_1", status=Status.LIVE, plan=PRO,
                                  currency="USD", created_at=NOW), **fields})


def refused(coupon, **kwargs) -> str:
    defaults = dict(by="customer", sub=a_subscription(), plan_code="pro", currency="USD", now=NOW, field="coupon")
    with pytest.raises(InvalidInput) as error:
        coupons.applicable(coupon, **{**defaults, **kwargs})
    return error.value.fields["coupon"]


# --- codes ------------------------------------------------------------------------------------

def test_codes_in_any_case_are_one_coupon_shown_as_written():
    # Given the merchant's TENOFF
    coupon = a_coupon("TENOFF")
    # Then TENOFF, tenoff and TenOff all find it, and it still shows as TENOFF
    assert {coupon_key(code) for code in ("TENOFF", "tenoff", "TenOff")} == {coupon.key}
    assert coupon.code == "TENOFF"


# --- who may apply it, and when ------------------------------------------------------------------

def test_a_coupon_not_offered_in_the_portal_is_to_a_customer_exactly_a_missing_one_but_the_merchant_applies_it():
    # Given a 100% coupon the merchant keeps for one account
    vip = a_coupon("VIP", portal=False, percent_off_bp=10_000, amount_off_minor=None, currency=None)
    # When a customer applies it, or a code that does not exist, Then both are "No such coupon."
    assert refused(vip) == refused(None) == "No such coupon."
    # When the merchant applies it, Then it is applied from its first cycle
    assert coupons.applicable(vip, by="merchant", sub=None, plan_code="pro", currency="USD", now=NOW,
                              field="coupon_code") == AppliedCoupon("VIP", "Ten off", "once", percent_off_bp=10_000)


def test_a_coupon_expires_at_its_expiry_instant_and_is_then_refused_to_everyone():
    # Given a coupon that expires at noon
    flash = a_coupon(expires_at=NOW)
    # Then a minute before it may be applied, and from noon on it may not, by the customer or the merchant
    assert coupons.refusal(flash, by="customer", now=NOW - timedelta(minutes=1)) is None
    assert refused(flash) == "This coupon has expired."
    assert refused(flash, by="merchant") == "This coupon has expired."


def test_a_withdrawn_coupon_is_refused():
    assert refused(a_coupon(active=False)) == "This coupon is no longer available."


def test_a_used_up_coupon_is_refused_to_a_new_subscription_but_not_to_one_that_had_it():
    # Given a coupon for two subscriptions, used by two
    used_up = a_coupon(max_redemptions=2, redemptions=2)
    # Then a new one is refused, and one that had it before (now removed) may have it again: no new redemption
    assert refused(used_up) == "This coupon has been fully redeemed."
    had_it = a_subscription(coupon_uses=(CouponUse("tenoff", 1),))
    assert coupons.applicable(used_up, by="customer", sub=had_it, plan_code="pro", currency="USD", now=NOW,
                              field="coupon") == held()


def test_a_coupon_for_other_plans_or_another_currency_does_not_apply():
    assert refused(a_coupon(plan_codes=("biz",))) == "This coupon does not apply to the plan."
    assert refused(a_coupon(currency="EUR")) == "This coupon does not apply to the plan."


def test_the_portal_lists_only_coupons_a_customer_could_apply_now():
    # Given coupons offered or not, withdrawn, expired, used up
    listed = {code: coupons.offered_in_portal(coupon, NOW) for code, coupon in {
        "offered": a_coupon(), "merchant_only": a_coupon(portal=False), "withdrawn": a_coupon(active=False),
        "expired": a_coupon(expires_at=NOW - timedelta(days=1)), "used_up": a_coupon(max_redemptions=1, redemptions=1),
        "one_left": a_coupon(max_redemptions=2, redemptions=1)}.items()}
    # Then only the offered ones that are still open are listed
    assert [code for code, shown in listed.items() if shown] == ["offered", "one_left"]


# --- redemptions ----------------------------------------------------------------------------

def codes(sub) -> list[str]:
    return [use.code for use in sub.coupon_uses]


def test_a_subscription_has_used_a_coupon_it_holds_has_scheduled_or_once_held_in_any_case():
    assert coupons.has_used(a_subscription(coupon=held("TENOFF")), "tenoff")
    assert coupons.has_used(a_subscription(scheduled_change=ScheduledChange(PRO, (), held("TENOFF"))), "TenOff")
    assert coupons.has_used(a_subscription(coupon_uses=(CouponUse("tenoff"),)), "TENOFF")
    assert not coupons.has_used(a_subscription(coupon=held("WELCOME20")), "TENOFF")


def test_the_first_application_to_a_subscription_is_a_redemption_and_a_re_application_is_not():
    # Given a subscription without a coupon
    before = a_subscription()
    # When TENOFF is applied, Then that is one redemption, and the subscription remembers it
    with_it = coupons.remembering_coupons(before, a_subscription(coupon=held("TENOFF")))
    assert coupons.redeemed(before, with_it) == ("tenoff",)
    assert codes(with_it) == ["tenoff"]
    # When it is removed and applied again (as tenoff), Then no new redemption, and it is still remembered
    removed = coupons.remembering_coupons(with_it, a_subscription(coupon_uses=with_it.coupon_uses))
    again = a_subscription(coupon=held("TENOFF"), coupon_uses=removed.coupon_uses)
    assert codes(removed) == ["tenoff"]
    assert coupons.redeemed(removed, again) == ()
    # And a change scheduled with a new coupon redeems it when the change is made
    scheduled = a_subscription(coupon=held("TENOFF"), scheduled_change=ScheduledChange(PRO, (), held("WELCOME20")))
    assert coupons.redeemed(again, scheduled) == ("welcome20",)


def test_a_new_subscription_redeems_its_coupon_and_one_that_moves_to_another_remembers_both():
    assert coupons.redeemed(None, a_subscription(coupon=held())) == ("tenoff",)
    # Given a subscription that holds TENOFF (and has not yet discounted a term with it)
    legacy = a_subscription(coupon=held("TENOFF"))
    # When it moves to WELCOME20, Then both are remembered: TENOFF re-applied later is no new redemption
    moved = coupons.remembering_coupons(legacy, a_subscription(coupon=held("WELCOME20")))
    assert codes(moved) == ["tenoff", "welcome20"]


# --- the merchant's changes -------------------------------------------------------------------

def test_the_merchant_changes_visibility_limit_expiry_and_withdrawal_but_not_below_what_was_redeemed():
    # Given a coupon redeemed three times
    coupon = a_coupon(portal=False, redemptions=3)
    # When the merchant offers it in the portal with a limit of five and an expiry, Then it is so
    changed = coupons.changed(coupon, {"portal": True, "max_redemptions": 5, "expires_at": NOW, "active": False})
    assert (changed.portal, changed.max_redemptions, changed.expires_at, changed.active) == (True, 5, NOW, False)
    # When the limit would be below the three redemptions made, Then it is refused
    with pytest.raises(InvalidInput) as error:
        coupons.changed(coupon, {"max_redemptions": 2})
    assert error.value.fields == {"max_redemptions": "At least the 3 redemption(s) already made."}
    # And nothing else of a coupon is changed this way
    with pytest.raises(ValueError):
        coupons.changed(coupon, {"redemptions": 0})


def test_a_new_coupon_may_not_already_be_expired():
    with pytest.raises(InvalidInput) as error:
        coupons.check_new(a_coupon(expires_at=NOW), NOW)
    assert error.value.fields == {"expires_at": "Must be in the future."}
