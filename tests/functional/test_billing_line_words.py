"""A billing line's words as data, beside its English description: the preview of a change and the
invoice it raises give the browser the names, numbers and days to write in the customer's language;
a line typed in by the merchant has none (the browser shows its description)."""
from tests.support.api import client
from tests.support.subscriptions import TERM, a_shop

EDIT_ONLY = {"edit_subscription": {"enabled": True}}
# Nov 25 (the tests' now) to Dec 10: 15 of the term's 31 days
REST_OF_TERM = {"period_start": "2026-11-25", "period_end": "2026-12-10", "days": 15, "days_in_term": 31}
NO_COUPON = {"coupon_code": None, "percent_off_bp": None, "amount_off_minor": None, "discount_minor": None,
             "increment_minor": None}


def words(line):
    return line.get("words")


def test_a_change_preview_gives_each_line_its_words_beside_its_description(aws):
    with client() as c:
        # Given Pro (100.00) for a 31-day term with 15 days left
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When Zoë previews three seats and the 20% coupon from now
        quote = shop.portal.post(f"{path}/changes/preview",
                                 {"addons": [{"code": "seats", "quantity": 3}], "coupon": "welcome20"}).json

        # Then the credit for the unused time says so as data
        [credit] = quote["credit_note_lines"]
        assert credit["description"] == "Unused time on Pro 100.00 x 15/31 days"
        assert words(credit) == {"kind": "unused_time", "name": "Pro", "quantity": 1, "unit_amount_minor": 10_000,
                                 **REST_OF_TERM, **NO_COUPON}
        # And the invoice's lines name the seats and the coupon on the remaining time
        plan, seats, coupon = quote["invoice_lines"]
        assert (words(plan)["kind"], words(plan)["name"]) == ("remaining_time", "Pro")
        assert seats["description"] == "Remaining time on Extra seat 3 x 10.00 x 15/31 days"
        assert {k: words(seats)[k] for k in ("kind", "name", "quantity", "unit_amount_minor", "days")} == {
            "kind": "remaining_time", "name": "Extra seat", "quantity": 3, "unit_amount_minor": 1_000, "days": 15}
        assert coupon["description"] == "Coupon welcome20 (20% off) on remaining time -26.00 x 15/31 days"
        assert words(coupon) == {"kind": "coupon_on_remaining_time", "name": "Welcome", "quantity": None,
                                 "unit_amount_minor": None, **REST_OF_TERM, "coupon_code": "welcome20",
                                 "percent_off_bp": 2_000, "amount_off_minor": None, "discount_minor": 2_600,
                                 "increment_minor": None}


def test_the_invoice_a_change_raises_keeps_its_lines_words_and_a_typed_line_has_none(aws):
    with client() as c:
        # Given an upgrade to Business made now
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", **TERM)
        changed = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes", {"plan": "biz"})
        assert changed.status == 200, changed.json
        # And an invoice the merchant typed in
        typed = shop.admin.post("/admin/invoices", {"customer_id": shop.zoe.customer_id,
                                                    "lines": [{"description": "Consulting", "unit_price_minor": 5_000}]})
        assert typed.status == 201, typed.json

        # When Zoë opens each in the portal
        upgrade = shop.portal.get(f"/portal/invoices/{changed.json['invoice']['invoice_id']}").json
        consulting = shop.portal.get(f"/portal/invoices/{typed.json['invoice_id']}").json

        # Then the upgrade's line has the words it was made with, read back from the table
        [line] = upgrade["lines"]
        assert line["description"] == "Remaining time on Business 200.00 x 15/31 days"
        assert words(line) == {"kind": "remaining_time", "name": "Business", "quantity": 1,
                               "unit_amount_minor": 20_000, **REST_OF_TERM, **NO_COUPON}
        # And the typed line has no words: its description is what it says
        assert [(l["description"], words(l)) for l in consulting["lines"]] == [("Consulting", None)]
