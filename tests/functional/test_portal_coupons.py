"""Coupons in the portal (docs/billing.md, "Coupons"), through the routes: only the coupons the merchant offers in
the portal are listed to customers and self-applicable, any other answers exactly as a missing
one, and the merchant applies any; codes match in any case and show as written; expiry and
redemption limits refuse new applications (a limit holds when two customers race for its last
redemption); re-applying a coupon to the same subscription is no new redemption."""
import threading
from datetime import timedelta

from chalicelib.bootstrap import services
from chalicelib.domain.errors import DomainError, InvalidInput
from chalicelib.services.subscriptions.actions import Caller
from chalicelib.services.subscriptions.changes import ChangeRequest
from tests.support.api import NOW, client
from tests.support.concurrency import at_once, dynamodb_requests_one_at_a_time
from tests.support.subscriptions import TERM, a_shop, subscription_of

EDIT_ONLY = {"edit_subscription": {"enabled": True}}


# --- builders and what the tests look at -------------------------------------------------------

def offered_codes(shop) -> list[str]:
    """The coupons Zoë is offered in the portal."""
    answer = shop.portal.get("/portal/subscription-options")
    assert answer.status == 200, answer.json
    return [c["code"] for c in answer.json["coupons"]]


def in_catalog(shop, code: str) -> dict:
    """The coupon as the merchant's list shows it."""
    return next(c for c in shop.admin.get("/admin/coupons").json["items"] if c["code"].lower() == code.lower())


def apply(portal, sub: dict, code, **changes):
    """The customer applies `code` now (with any other changes)."""
    return portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes",
                       {"coupon": code, "when": "now", **changes})


def field_error(answer) -> tuple[int, dict]:
    return answer.status, answer.json["error"]["details"]["fields"]


def unchanged(portal, sub: dict) -> bool:
    """The subscription as it was imported: no coupon, no invoice, no change by the customer."""
    path = f"/portal/subscriptions/{sub['subscription_id']}"
    activity = portal.get("/portal/activity?limit=100").json["items"]
    return (portal.get(path).json["coupon"] is None and portal.get(f"{path}/invoices").json["items"] == []
            and not [a for a in activity if a["subject_id"] == sub["subscription_id"] and a["actor"]["type"] == "customer"])


def stored(shop, sub: dict):
    from chalicelib.bootstrap import adapters
    return adapters().uow.subscriptions.get(shop.acme.org.org_id, sub["customer_id"], sub["subscription_id"])


# --- visibility -------------------------------------------------------------------------------

def test_a_coupon_not_offered_in_the_portal_is_neither_listed_nor_applicable_by_the_customer_but_the_merchant_applies_it(aws):
    with client() as c:
        # Given a 100% coupon the merchant keeps for one account, not offered in the portal
        shop = a_shop(c, preferences=EDIT_ONLY)
        shop.coupon("VIP100", portal=False, percent_off_bp=10_000)
        sub = shop.subscription("live", **TERM)

        # When Zoë looks at the coupons she may choose, then asks for it, and for a code that does not exist
        offered = offered_codes(shop)
        vip, missing = apply(shop.portal, sub, "VIP100"), apply(shop.portal, sub, "NOPE100")

        # Then it is not listed, and it is refused exactly as the missing code is (codes cannot be probed)
        assert offered == ["welcome20"]
        assert field_error(vip) == (400, {"coupon": "No such coupon."})
        assert (vip.status, vip.json) == (missing.status, missing.json)
        assert unchanged(shop.portal, sub) and in_catalog(shop, "VIP100")["redemptions"] == 0

        # When the merchant gives it to a new subscription of hers
        given = subscription_of(shop.admin, shop.zoe.customer_id, coupon_code="VIP100", **TERM)

        # Then it is applied and counted, and she keeps it through a plan change she makes in the portal
        assert (given["coupon"]["code"], [use["code"] for use in given["coupon_uses"]]) == ("VIP100", ["vip100"])
        kept = apply(shop.portal, given, "vip100", plan="biz")
        assert kept.status == 200, kept.json
        assert (kept.json["subscription"]["plan"]["code"], kept.json["subscription"]["coupon"]["code"]) == ("biz", "VIP100")
        assert in_catalog(shop, "VIP100")["redemptions"] == 1


def test_a_coupon_stored_before_portal_visibility_existed_is_not_offered_until_the_merchant_says_so(aws):
    from chalicelib.tables.catalog import CatalogItem
    with client() as c:
        # Given a coupon stored without any of the new attributes
        shop = a_shop(c, preferences=EDIT_ONLY)
        CatalogItem(shop.acme.org.org_id, "coupon#legacy", kind="coupon", code="legacy", name="Old offer",
                    duration="forever", percent_off_bp=500, active=True).save()
        sub = shop.subscription("live", **TERM)

        # Then it reads as not offered in the portal, unlimited and never redeemed
        listed = in_catalog(shop, "legacy")
        assert (listed["portal"], listed["max_redemptions"], listed["expires_at"], listed["redemptions"]) == (
            False, None, None, 0)
        assert "legacy" not in offered_codes(shop)
        assert field_error(apply(shop.portal, sub, "legacy")) == (400, {"coupon": "No such coupon."})

        # When the merchant offers it in the portal, Then Zoë may apply it, and it is counted
        assert shop.admin.patch("/admin/coupons/legacy", {"portal": True}).status == 200
        assert "legacy" in offered_codes(shop)
        assert apply(shop.portal, sub, "LEGACY").status == 200
        assert in_catalog(shop, "legacy")["redemptions"] == 1


# --- codes in any case ------------------------------------------------------------------------

def test_codes_match_in_any_case_and_show_as_the_merchant_wrote_them(aws):
    with client() as c:
        # Given the merchant's TENOFF, offered in the portal, and three subscriptions of Zoë's
        shop = a_shop(c, preferences=EDIT_ONLY)
        shop.coupon("TENOFF", percent_off_bp=None, amount_off_minor=1_000, currency="USD", duration="once")
        subs = [shop.subscription("live", **TERM) for _ in range(3)]

        # When a coupon differing from it only in case is added
        twin = shop.admin.post("/admin/coupons", {"code": "TenOff", "name": "Twin", "percent_off_bp": 500})
        # And Zoë applies it as TENOFF, tenoff and TenOff, and the merchant as tenOFF
        answers = [apply(shop.portal, sub, code) for sub, code in zip(subs, ("TENOFF", "tenoff", "TenOff"))]
        given = subscription_of(shop.admin, shop.zoe.customer_id, coupon_code="tenOFF", **TERM)

        # Then the twin is refused as taken
        assert (twin.status, twin.json["error"]["code"]) == (409, "already_exists")
        # And each subscription has TENOFF, as the merchant wrote it, listed so too, redeemed four times
        assert [a.status for a in answers] == [200, 200, 200]
        assert [a.json["subscription"]["coupon"]["code"] for a in answers] + [given["coupon"]["code"]] == ["TENOFF"] * 4
        assert "TENOFF" in offered_codes(shop)
        assert in_catalog(shop, "tenoff")["redemptions"] == 4
        assert [line["description"].split(" (")[0] for line in answers[1].json["invoice"]["lines"]
                if line["amount_minor"] < 0] == ["Coupon TENOFF"]


# --- expiry and limits ------------------------------------------------------------------------

def test_an_expired_coupon_is_refused_to_new_subscriptions_and_kept_by_those_that_have_it(aws):
    with client() as c:
        # Given a portal coupon that expires in ten minutes, a subscription that has it, and one that has not
        shop = a_shop(c, preferences=EDIT_ONLY)
        shop.coupon("FLASH", expires_at=NOW + timedelta(minutes=10))
        has_it = shop.subscription("live", coupon_code="FLASH", **TERM)
        sub = shop.subscription("live", **TERM)

        # When its expiry passes
        shop.clock.advance(minutes=15)
        listed = offered_codes(shop)
        refused = apply(shop.portal, sub, "flash")
        by_merchant = shop.admin.post("/admin/subscriptions", {"customer_id": shop.zoe.customer_id, "plan_code": "pro",
                                                              "coupon_code": "FLASH"})
        kept = apply(shop.portal, has_it, "FLASH", plan="biz")

        # Then it is no longer listed, Zoë and the merchant are refused, nothing is written
        assert "FLASH" not in listed
        assert field_error(refused) == (400, {"coupon": "This coupon has expired."})
        assert field_error(by_merchant) == (400, {"coupon_code": "This coupon has expired."})
        assert unchanged(shop.portal, sub)
        # And the subscription that had it keeps it through a plan change
        assert kept.status == 200, kept.json
        assert kept.json["subscription"]["coupon"]["code"] == "FLASH"
        assert in_catalog(shop, "FLASH")["redemptions"] == 1


def test_a_used_up_coupon_is_refused_and_no_longer_listed_until_the_merchant_raises_its_limit(aws):
    with client() as c:
        # Given a coupon for two subscriptions, which the merchant gave to two
        shop = a_shop(c, preferences=EDIT_ONLY)
        shop.coupon("FIRST2", max_redemptions=2)
        for _ in range(2):
            shop.subscription("live", coupon_code="FIRST2", **TERM)
        sub = shop.subscription("live", **TERM)

        # When Zoë applies it to a third
        refused = apply(shop.portal, sub, "first2")

        # Then she is told it is used up, nothing is written, and it is not listed any more
        assert field_error(refused) == (400, {"coupon": "This coupon has been fully redeemed."})
        assert unchanged(shop.portal, sub) and stored(shop, sub).version == 1
        assert "FIRST2" not in offered_codes(shop)
        assert in_catalog(shop, "FIRST2")["redemptions"] == 2

        # When the merchant raises the limit to three, Then she may have it
        assert shop.admin.patch("/admin/coupons/first2", {"max_redemptions": 3}).status == 200
        assert apply(shop.portal, sub, "FIRST2").status == 200
        assert in_catalog(shop, "FIRST2")["redemptions"] == 3


def test_re_applying_a_coupon_to_the_same_subscription_is_no_new_redemption(aws):
    with client() as c:
        # Given a coupon for one subscription only, which Zoë applies to hers
        shop = a_shop(c, preferences=EDIT_ONLY)
        shop.coupon("ONLYONE", max_redemptions=1)
        sub = shop.subscription("live", **TERM)
        applied = apply(shop.portal, sub, "ONLYONE")

        # When she removes it, then applies it again (in another case)
        removed = apply(shop.portal, sub, None)
        again = apply(shop.portal, sub, "onlyone")

        # Then each went through, and the coupon counts one redemption: its only one
        assert [a.status for a in (applied, removed, again)] == [200, 200, 200], again.json
        assert again.json["subscription"]["coupon"]["code"] == "ONLYONE"
        assert in_catalog(shop, "ONLYONE")["redemptions"] == 1
        assert [use.code for use in stored(shop, sub).coupon_uses] == ["onlyone"]
        # And for any other subscription it is used up
        other = shop.subscription("live", **TERM)
        assert field_error(apply(shop.portal, other, "ONLYONE")) == (400, {"coupon": "This coupon has been fully redeemed."})


def test_two_customers_racing_for_the_last_redemption_get_one_success_and_one_clear_refusal(aws, monkeypatch):
    with client() as c:
        # Given a coupon with one redemption left, and Zoë and Hank each with a live subscription
        shop = a_shop(c, preferences=EDIT_ONLY)
        shop.coupon("LASTONE", max_redemptions=1)
        hank = shop.another_customer()
        racers = [(customer, subscription_of(shop.admin, customer.customer_id, **TERM)) for customer in (shop.zoe, hank)]
        org_id = shop.acme.org.org_id
        dynamodb_requests_one_at_a_time(monkeypatch)
        each_reads_the_coupon_before_either_writes(monkeypatch, len(racers))

        # When both apply it at the same moment
        def applies(n):
            customer, sub = racers[n]
            caller = Caller(org_id, customer.customer_id, customer.contact["contact_id"])
            return services().subscriptions.change(caller, sub["subscription_id"], ChangeRequest(coupon="lastone"),
                                                   when="now", quote_id=None, now=NOW)
        answers = at_once(applies, len(racers))
        monkeypatch.undo()

        # Then exactly one has it; the other is told it is used up, and nothing of theirs was written
        refused = [n for n, answer in enumerate(answers) if isinstance(answer, DomainError)]
        assert len(refused) == 1, answers
        error = answers[refused[0]]
        assert isinstance(error, InvalidInput) and error.fields == {"coupon": "This coupon has been fully redeemed."}
        winner, loser = racers[1 - refused[0]], racers[refused[0]]
        assert winner[0].portal.get(f"/portal/subscriptions/{winner[1]['subscription_id']}").json["coupon"]["code"] == "LASTONE"
        assert unchanged(loser[0].portal, loser[1])
        assert in_catalog(shop, "LASTONE")["redemptions"] == 1


def each_reads_the_coupon_before_either_writes(monkeypatch, racers: int) -> None:
    """Each racer waits, after its first read of the catalog (the coupon with one redemption left),
    until all have read it: a true race for the last one. A racer that tries again (its invoice number
    was taken meanwhile) reads again without waiting."""
    from chalicelib.bootstrap import adapters
    catalog = adapters().uow.catalog
    all_read, read = threading.Barrier(racers, timeout=20), catalog.with_credit_notes
    waited = threading.local()

    def read_then_wait(*args, **kwargs):
        found = read(*args, **kwargs)
        if not getattr(waited, "once", False):
            waited.once = True
            all_read.wait()
        return found
    monkeypatch.setattr(catalog, "with_credit_notes", read_then_wait)


# --- the merchant's changes -------------------------------------------------------------------

def test_the_merchant_offers_limits_and_withdraws_a_coupon_and_bad_changes_are_refused_writing_nothing(aws):
    with client() as c:
        # Given a coupon kept off the portal, given to two subscriptions
        shop = a_shop(c, preferences=EDIT_ONLY)
        shop.coupon("SPRING", portal=False)
        for _ in range(2):
            shop.subscription("live", coupon_code="spring", **TERM)
        sub = shop.subscription("live", **TERM)
        expiry = (NOW + timedelta(days=30)).isoformat()

        # When the merchant offers it in the portal for ten subscriptions in all, until a date, naming it in lower case
        offered = shop.admin.patch("/admin/coupons/spring", {"portal": True, "max_redemptions": 10, "expires_at": expiry})

        # Then it shows so, as written, and Zoë is offered it
        assert offered.status == 200, offered.json
        shown = offered.json
        assert (shown["code"], shown["portal"], shown["max_redemptions"], shown["expires_at"], shown["redemptions"]) == (
            "SPRING", True, 10, expiry, 2)
        assert "SPRING" in offered_codes(shop)

        # When the limit is removed and the coupon withdrawn
        withdrawn = shop.admin.patch("/admin/coupons/SPRING", {"max_redemptions": None, "active": False})

        # Then it is no longer listed, and Zoë is told it is no longer available
        assert (withdrawn.json["max_redemptions"], withdrawn.json["active"]) == (None, False)
        assert "SPRING" not in offered_codes(shop)
        assert field_error(apply(shop.portal, sub, "spring")) == (400, {"coupon": "This coupon is no longer available."})

        # And bad changes are refused with field errors, an unknown code is not found, and nothing is written
        path = "/admin/coupons/spring"
        answers = [shop.admin.patch(path, body) for body in (
            {"portal": None}, {"max_redemptions": 0}, {"expires_at": "9999-12-31T23:00:00-05:00"},
            {"max_redemptions": 1}, {"redemptions": 0}, {})]
        assert [field_error(a) for a in answers] == [
            (400, {"portal": "Give true or false."}),
            (400, {"max_redemptions": "Input should be greater than or equal to 1"}),
            (400, {"expires_at": "Out of range once in UTC."}),
            (400, {"max_redemptions": "At least the 2 redemption(s) already made."}),
            (400, {"redemptions": "Unknown field."}),
            (400, {"body": "Name at least one of active, expires_at, max_redemptions, portal."})]
        assert [shop.admin.patch(f"/admin/coupons/{code}", {"portal": True}).status for code in ("nope", "no%20pe")] == [
            404, 404]
        assert in_catalog(shop, "spring") == withdrawn.json
