"""Undoing an immediate cancellation or downgrade in the portal: within the merchant's window the
subscription is as it was and what the action issued is voided, the customer's money exactly as
before; refused with the reason as a 409 code when the window passed or something since depends
on it; once only; another customer's subscription is not found."""
from tests.support.api import client
from tests.support.subscriptions import TERM, a_shop

UNDO_ON = {"edit_subscription": {"enabled": True}, "cancel": {"enabled": True, "reasons": ["Too expensive"]}}


def account(shop):
    from chalicelib.bootstrap import adapters
    summary = adapters().uow.account_summaries.get(shop.acme.org.org_id, shop.zoe.customer_id, "USD")
    return summary.outstanding_count, summary.outstanding_minor, summary.credits_minor


def closing_balance(shop):
    answer = shop.portal.get("/portal/statements?from=2026-11-01&to=2026-11-30")
    assert answer.status == 200, answer.json
    return [s["closing_balance"]["amount_minor"] for s in answer.json["statements"]]


def stored(shop, subscription_id):
    from chalicelib.bootstrap import adapters
    return adapters().uow.subscriptions.get(shop.acme.org.org_id, shop.zoe.customer_id, subscription_id)


def cancellations_counted(shop):
    return shop.admin.get("/admin/cancellations?from=2026-11-25&to=2026-11-25").json["cancellations"]


def test_a_cancellation_undone_within_the_window_is_as_if_it_had_not_happened(aws):
    with client() as c:
        # Given Zoë's live Pro subscription and the default 30-minute window
        shop = a_shop(c, preferences=UNDO_ON)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        before = stored(shop, sub["subscription_id"])

        # When she cancels it now, and the detail offers the undo until 30 minutes later
        cancelled = shop.portal.post(f"{path}/cancel", {"when": "now", "reason": "Too expensive"})
        assert cancelled.status == 200, cancelled.json
        assert cancelled.json["subscription"]["status"] == "cancelled"
        assert cancelled.json["subscription"]["undo"] == {"action": "cancel_now", "until": "2026-11-25T12:30:00+00:00",
                                                          "minutes_left": 30}
        assert cancellations_counted(shop) == 1
        shop.clock.advance(minutes=29)
        assert shop.portal.get(path).json["undo"]["minutes_left"] == 1

        # And undoes it 29 minutes later
        undone = shop.portal.post(f"{path}/undo")

        # Then the subscription is live on its term as before, with nothing left to undo
        assert undone.status == 200, undone.json
        shown = undone.json["subscription"]
        assert (shown["status"], shown["current_term"], shown["cancelled_at"], shown["undo"]) == (
            "live", {"start": "2026-11-09", "end": "2026-12-10"}, None, None)
        after = stored(shop, sub["subscription_id"])
        assert after.version == before.version + 2
        from dataclasses import replace
        assert replace(after, version=None, undo=None) == replace(before, version=None)
        # And the merchant's counts no longer count the cancellation
        assert cancellations_counted(shop) == 0

        # When she asks again (a retried request), the answer is the same and nothing is written
        again = shop.portal.post(f"{path}/undo")
        assert again.status == 200, again.json
        assert again.json["subscription"] == shown
        assert stored(shop, sub["subscription_id"]).version == after.version


def test_a_downgrade_undone_voids_its_documents_and_gives_the_credit_back(aws):
    with client() as c:
        # Given Business (200.00), 15 of 31 days left, and 20.00 of credit Zoë already had
        shop = a_shop(c, preferences=UNDO_ON)
        sub = shop.subscription("live", plan="biz", **TERM)
        credit = shop.admin.post("/admin/credit-notes", {"customer_id": shop.zoe.customer_id, "reason": "Goodwill",
                                                         "lines": [{"description": "Goodwill", "unit_price_minor": 2_000}]})
        assert credit.status == 201, credit.json
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        money_before, balance_before = account(shop), closing_balance(shop)

        # When she moves to Pro now: the invoice (48.39) is paid by the 20.00 first, then by the new credit
        changed = shop.portal.post(f"{path}/changes", {"plan": "pro", "when": "now"})
        assert changed.status == 200, changed.json
        invoice, note = changed.json["invoice"], changed.json["credit_note"]
        assert (invoice["total_minor"], invoice["status"], note["total_minor"]) == (4_839, "paid", 9_677)
        assert changed.json["subscription"]["undo"]["action"] == "change_now"

        # And undoes it
        undone = shop.portal.post(f"{path}/undo")

        # Then she is on Business again, and her money is exactly as before
        assert undone.status == 200, undone.json
        assert undone.json["subscription"]["plan"]["code"] == "biz"
        assert account(shop) == money_before
        assert closing_balance(shop) == balance_before
        # And both documents are voided (kept, numbered, in the statement with their voids)
        assert shop.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "void"
        from chalicelib.bootstrap import adapters
        voided = adapters().uow.credit_notes.get(shop.acme.org.org_id, shop.zoe.customer_id, note["credit_note_id"])
        assert (voided.status.value, voided.balance_minor) == ("void", 0)
        goodwill = adapters().uow.credit_notes.get(shop.acme.org.org_id, shop.zoe.customer_id,
                                                   credit.json["credit_note_id"])
        assert (goodwill.status.value, goodwill.balance_minor) == ("open", 2_000)


def test_an_undo_after_the_window_is_refused_and_writes_nothing(aws):
    with client() as c:
        # Given a 10-minute window, and Zoë's cancellation
        shop = a_shop(c, preferences={**UNDO_ON, "undo_minutes": 10})
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        assert shop.portal.post(f"{path}/cancel", {"when": "now"}).status == 200
        written = stored(shop, sub["subscription_id"])

        # When she asks to undo it 10 minutes later
        shop.clock.advance(minutes=10)
        assert shop.portal.get(path).json["undo"] is None
        refused = shop.portal.post(f"{path}/undo")

        # Then it is refused with the reason, and nothing is written
        assert refused.status == 409
        assert refused.json["error"]["code"] == "undo_window_closed"
        assert refused.json["error"]["message"] == "The time to undo this has passed."
        assert stored(shop, sub["subscription_id"]) == written


def test_the_merchants_window_sets_how_long_and_zero_turns_undo_off(aws):
    with client() as c:
        shop = a_shop(c, preferences={**UNDO_ON, "undo_minutes": 5})
        first, second = shop.subscription("live", **TERM), shop.subscription("live", **TERM)
        cancelled = shop.portal.post(f"/portal/subscriptions/{first['subscription_id']}/cancel", {"when": "now"})
        assert cancelled.json["subscription"]["undo"]["until"] == "2026-11-25T12:05:00+00:00"

        shop.preferences({**UNDO_ON, "undo_minutes": 0})
        cancelled = shop.portal.post(f"/portal/subscriptions/{second['subscription_id']}/cancel", {"when": "now"})
        assert cancelled.json["subscription"]["undo"] is None
        refused = shop.portal.post(f"/portal/subscriptions/{second['subscription_id']}/undo")
        assert (refused.status, refused.json["error"]["code"]) == (409, "nothing_to_undo")

        bad = shop.admin.put("/admin/preferences", {"preferences": {"undo_minutes": 2000}})
        assert bad.status == 400, bad.json


def test_an_upgrade_or_a_change_at_term_end_is_not_offered_an_undo(aws):
    with client() as c:
        shop = a_shop(c, preferences=UNDO_ON)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        upgraded = shop.portal.post(f"{path}/changes", {"plan": "biz", "when": "now"})
        scheduled = shop.portal.post(f"{path}/changes", {"plan": "pro", "when": "end_of_term"})

        assert upgraded.json["subscription"]["undo"] is None
        assert scheduled.json["subscription"]["undo"] is None
        assert shop.portal.post(f"{path}/undo").json["error"]["code"] == "nothing_to_undo"


def test_a_downgrade_whose_credit_was_used_since_cannot_be_undone(aws):
    with client() as c:
        # Given a downgrade that left 48.38 of credit
        shop = a_shop(c, preferences=UNDO_ON)
        sub = shop.subscription("live", plan="biz", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        assert shop.portal.post(f"{path}/changes", {"plan": "pro", "when": "now"}).status == 200
        # When another subscription's change uses that credit for its invoice
        other = shop.subscription("live", **TERM)
        used = shop.portal.post(f"/portal/subscriptions/{other['subscription_id']}/changes",
                                {"plan": "biz", "when": "now"})
        assert used.json["invoice"]["credits_applied"], used.json
        money = account(shop)

        refused = shop.portal.post(f"{path}/undo")

        assert refused.status == 409
        assert refused.json["error"]["code"] == "credit_used"
        assert stored(shop, sub["subscription_id"]).plan.code == "pro"
        assert account(shop) == money


def test_a_subscription_changed_since_cannot_be_undone(aws):
    with client() as c:
        # Given Zoë's cancellation
        shop = a_shop(c, preferences={**UNDO_ON, "reactivate": True})
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        assert shop.portal.post(f"{path}/cancel", {"when": "now"}).status == 200
        # When she reactivates it (a new term, invoiced), then asks to undo the cancellation
        reactivated = shop.portal.post(f"{path}/reactivate", {})
        assert reactivated.status == 200, reactivated.json
        assert reactivated.json["subscription"]["undo"] is None

        refused = shop.portal.post(f"{path}/undo")

        # Then it is refused: the subscription has moved on
        assert (refused.status, refused.json["error"]["code"]) == (409, "subscription_changed")
        assert stored(shop, sub["subscription_id"]).status.value == "live"


def test_another_customers_subscription_is_not_found(aws):
    with client() as c:
        shop = a_shop(c, preferences=UNDO_ON)
        sub = shop.subscription("live", **TERM)
        assert shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/cancel", {"when": "now"}).status == 200
        hank = shop.another_customer()

        answer = hank.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/undo")
        missing = hank.portal.post("/portal/subscriptions/sub_nope/undo")

        assert (answer.status, answer.json["error"]["code"]) == (404, "not_found")
        assert answer.json == missing.json
        assert stored(shop, sub["subscription_id"]).status.value == "cancelled"


def test_a_coupon_the_downgrade_redeemed_is_given_back(aws):
    with client() as c:
        # Given Zoë applies WELCOME20 (20% off) now: a lower price per term, so a downgrade
        shop = a_shop(c, preferences=UNDO_ON)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        changed = shop.portal.post(f"{path}/changes", {"coupon": "welcome20", "when": "now"})
        assert changed.json["subscription"]["undo"]["action"] == "change_now", changed.json
        assert redemptions(shop, "welcome20") == 1

        # When she undoes it
        assert shop.portal.post(f"{path}/undo").status == 200

        # Then the subscription has no coupon and never had it, and the coupon's redemption is given back
        after = stored(shop, sub["subscription_id"])
        assert (after.coupon, after.coupon_uses) == (None, ())
        assert redemptions(shop, "welcome20") == 0


def redemptions(shop, code):
    from chalicelib.bootstrap import adapters
    return adapters().uow.catalog.get_many(shop.acme.org.org_id, "coupon", [code])[code].redemptions


def test_a_cancellation_in_dunning_cannot_be_undone_once_the_failed_invoice_was_paid(aws):
    with client() as c:
        # Given Zoë's renewal in dunning, which she cancels now
        from tests.support.scheduled_work import a_renewal_declined
        shop, sub = a_renewal_declined(c)
        shop.preferences({**UNDO_ON})
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        invoice_id = shop.portal.get(f"{path}/dunning").json["invoice"]["invoice_id"]
        assert shop.portal.post(f"{path}/cancel", {"when": "now"}).json["subscription"]["undo"] is not None

        # When she pays the failed invoice, then asks to undo the cancellation
        paid = shop.portal.post("/portal/payments", {"invoice_ids": [invoice_id], "payment_method": "pm_card_visa"},
                                headers={"Idempotency-Key": f"pay-{invoice_id}"})
        assert paid.json["status"] == "succeeded", paid.json
        refused = shop.portal.post(f"{path}/undo")

        # Then it is refused: the retries it would restore have nothing left to collect
        assert (refused.status, refused.json["error"]["code"]) == (409, "payment_made")
        assert stored(shop, sub["subscription_id"]).status.value == "cancelled"


def test_undos_racing_take_effect_once_and_the_money_is_given_back_once(aws, monkeypatch):
    from chalicelib.bootstrap import services
    from chalicelib.domain.errors import DomainError
    from chalicelib.services.subscriptions.commands import Caller
    from tests.support.concurrency import (RACERS, at_once, dynamodb_requests_one_at_a_time,
                                           every_request_has_read_before_any_writes)
    with client() as c:
        # Given a downgrade from Business to Pro
        shop = a_shop(c, preferences=UNDO_ON)
        sub = shop.subscription("live", plan="biz", **TERM)
        money_before = account(shop)
        assert shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes",
                                {"plan": "pro", "when": "now"}).status == 200
        caller = Caller(shop.acme.org.org_id, shop.zoe.customer_id, shop.zoe.contact["contact_id"])
        dynamodb_requests_one_at_a_time(monkeypatch)
        every_request_has_read_before_any_writes(monkeypatch)

        # When several undos of it race, each having read it before any writes
        answers = at_once(lambda n: services().subscriptions.undo(caller, sub["subscription_id"],
                                                                  now=shop.clock.now), RACERS)
        monkeypatch.undo()

        # Then one took effect, the others met a conflict and wrote nothing; the credit came back once
        refused = [a for a in answers if isinstance(a, DomainError)]
        assert len(answers) - len(refused) == 1, answers
        assert {e.code for e in refused} == {"concurrent_update"}
        assert account(shop) == money_before
        timeline = shop.portal.get("/portal/activity?limit=100").json["items"]
        assert [a["action"] for a in timeline if a["action"] == "subscription.undone"] == ["subscription.undone"]
