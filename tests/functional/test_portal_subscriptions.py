"""The portal's subscriptions: list, detail and invoices, and what every action route shares —
gated by the merchant's preferences, refused in the wrong status, never reaching another
customer's subscription, conditional on the state read, and recorded in the activity timeline."""
import threading
from datetime import datetime, timedelta, timezone

from chalicelib.bootstrap import services
from chalicelib.services.subscriptions.actions import Caller
from tests.support.api import NOW, client
from tests.support.concurrency import dynamodb_requests_one_at_a_time
from tests.support.portal import PortalOrganization, portal_organization, signed_in_customer
from tests.support.subscriptions import TERM, EVERYTHING_ON, a_shop, action, mark_expired_at_trial_end, with_plans

UTC = timezone.utc

# Every action route: method, path after /portal/subscriptions/{id}, body, a status it accepts
# (with the fields that status needs), a status it refuses.
ACTION_ROUTES = [
    ("POST", "/activate/preview", {}, ("trial", {}), "live"),
    ("POST", "/activate", {}, ("trial", {}), "live"),
    ("POST", "/extend-trial", None, ("expired", {"expired_at_trial_end": True}), "live"),
    ("POST", "/changes/preview", {"plan": "biz"}, ("live", TERM), "cancelled"),
    ("POST", "/changes", {"plan": "biz"}, ("live", TERM), "cancelled"),
    ("PUT", "/auto-charge", {"enabled": True}, ("live", {"payment_method_id": "pm_card_visa"}), "cancelled"),
    ("PUT", "/pause-schedule", {}, ("live", TERM), "cancelled"),
    ("DELETE", "/pause-schedule", None, ("paused", {"resume_at": datetime(2027, 1, 1, tzinfo=UTC)}), "cancelled"),
    ("POST", "/resume/preview", {}, ("paused", {}), "live"),
    ("POST", "/resume", {}, ("paused", {}), "live"),
    ("POST", "/cancel/preview", {"when": "now"}, ("live", TERM), "cancelled"),
    ("POST", "/cancel", {"when": "now"}, ("live", TERM), "cancelled"),
    ("DELETE", "/scheduled-cancellation", None, ("non_renewing", TERM), "live"),
    ("POST", "/reactivate/preview", {}, ("cancelled", {}), "live"),
    ("POST", "/reactivate", {}, ("cancelled", {}), "live"),
]
READ_ROUTES = [("GET", "", None), ("GET", "/invoices", None)]


def call(portal, method, path, body=None):
    return portal.call(method, path, body if body is not None or method == "GET" else {})


def subscription_for(shop, status, fields):
    fields = dict(fields)
    expired_at_trial_end = fields.pop("expired_at_trial_end", False)
    sub = shop.subscription(status, **fields)
    if expired_at_trial_end:
        mark_expired_at_trial_end(shop.acme.org.org_id, shop.zoe.customer_id, sub["subscription_id"])
    return sub


# --- list, detail, invoices ---------------------------------------------------------------------

def test_the_list_filters_by_status_and_pages_with_a_cursor(aws):
    with client() as c:
        # Given three live subscriptions, made a minute apart, and a trial
        shop = a_shop(c)
        live = []
        for _ in range(3):
            live.append(shop.subscription("live")["subscription_id"])
            shop.clock.advance(minutes=1)
        trial = shop.subscription("trial")["subscription_id"]

        # When Zoë lists her live ones two at a time
        first = shop.portal.get("/portal/subscriptions?status=live&limit=2")
        second = shop.portal.get(f"/portal/subscriptions?status=live&limit=2&cursor={first.json['next_cursor']}")

        # Then she gets them all, newest first, and no trial among them
        assert first.status == second.status == 200
        assert [s["subscription_id"] for s in first.json["items"] + second.json["items"]] == live[::-1]
        assert {s["status"] for s in first.json["items"] + second.json["items"]} == {"live"}
        trials = shop.portal.get("/portal/subscriptions?status=trial").json["items"]
        assert [s["subscription_id"] for s in trials] == [trial]
        assert len(shop.portal.get("/portal/subscriptions?status=all").json["items"]) == 4


def test_a_bad_filter_or_cursor_is_refused_with_field_errors(aws):
    with client() as c:
        shop = a_shop(c)
        unknown = shop.portal.get("/portal/subscriptions?status=sleeping")
        forged = shop.portal.get("/portal/subscriptions?cursor=bm90LWEtY3Vyc29y")
        assert (unknown.status, list(unknown.json["error"]["details"]["fields"])) == (400, ["query.status"])
        assert (forged.status, list(forged.json["error"]["details"]["fields"])) == (400, ["cursor"])


def test_a_once_coupon_discounts_the_current_term_but_not_the_price_per_term(aws):
    with client() as c:
        # Given a live Pro subscription (100.00 a month) whose first month is free with a one-time coupon
        shop = a_shop(c)
        shop.coupon("firstfree", percent_off_bp=10_000, duration="once")
        sub = shop.subscription("live", coupon_code="firstfree", **TERM)

        # When Zoë opens it, and her list
        detail = shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}").json
        listed = shop.portal.get("/portal/subscriptions").json["items"][0]

        # Then its price per term is the plan's, and only this term costs nothing
        assert (detail["price_per_term_minor"], detail["amount_per_term_minor"]) == (10_000, 0)
        assert (listed["price_per_term_minor"], listed["amount_per_term_minor"]) == (10_000, 0)


def test_the_detail_shows_the_terms_amounts_schedule_and_allowed_actions(aws):
    with client() as c:
        # Given a live Pro subscription with two seats and 20% off, whose cancellation is scheduled
        shop = a_shop(c)
        sub = shop.subscription("non_renewing", addons=[{"code": "seats", "quantity": 2}], coupon_code="welcome20",
                                cancel_reason="Budget", auto_charge=True, payment_method_id="pm_card_visa", **TERM)

        # When Zoë opens it
        detail = shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}")

        # Then she sees what she pays per term ((100.00 + 2 x 10.00) less 20%), when it ends, and why
        assert detail.status == 200
        body = detail.json
        assert (body["status"], body["plan"]["name"], body["amount_per_term_minor"]) == ("non_renewing", "Pro", 9_600)
        assert body["price_per_term_minor"] == 9_600          # welcome20 discounts every term
        assert [(a["code"], a["quantity"]) for a in body["addons"]] == [("seats", 2)]
        assert body["coupon"]["code"] == "welcome20"
        assert body["current_term"] == {"start": "2026-11-09", "end": "2026-12-10"}
        assert body["scheduled_cancellation"] == {"effective_on": "2026-12-10", "reason": "Budget"}
        assert body["auto_charge"] is True and body["payment_method_id"] == "pm_card_visa"
        assert body["trial_extensions"] == {"used": 0, "allowed": 1}
        # And what she may do now
        assert action(detail, "remove_scheduled_cancellation") == {
            "action": "remove_scheduled_cancellation", "allowed": True, "reason": None, "message": None}
        assert action(detail, "pause")["reason"] == "invalid_status"


def test_the_subscriptions_invoices_are_listed(aws):
    with client() as c:
        # Given a live subscription (its first term invoiced) and an invoice of another subscription
        shop = a_shop(c)
        sub = shop.subscription("live")
        shop.subscription("live")

        # When Zoë lists the first one's invoices
        answer = shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}/invoices")

        # Then she sees its invoice only
        assert answer.status == 200
        assert [(i["subscription_id"], i["total_minor"]) for i in answer.json["items"]] == [
            (sub["subscription_id"], 10_000)]


# --- what every action route shares -----------------------------------------------------------

def test_with_the_reference_defaults_every_action_answers_feature_disabled(aws):
    with client() as c:
        # Given a merchant who kept the defaults (subscriptions shown, no action allowed)
        shop = a_shop(c, preferences=None)
        answers = {}
        for method, path, body, (status, fields), _ in ACTION_ROUTES:
            sub = subscription_for(shop, status, fields)
            answers[f"{method} {path}"] = call(shop.portal, method,
                                               f"/portal/subscriptions/{sub['subscription_id']}{path}", body)
        sub = shop.subscription("live")
        answers["GET /portal/subscription-options"] = shop.portal.get("/portal/subscription-options")

        # Then every action is refused as a disabled feature, and reading still works
        assert {route: (a.status, a.json["error"]["code"]) for route, a in answers.items()} == {
            route: (403, "feature_disabled") for route in answers}
        assert shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}").status == 200


def test_with_every_feature_on_every_action_is_accepted_in_a_status_it_allows(aws):
    with client() as c:
        shop = a_shop(c)
        statuses = {}
        for method, path, body, (status, fields), _ in ACTION_ROUTES:
            sub = subscription_for(shop, status, fields)
            answer = call(shop.portal, method, f"/portal/subscriptions/{sub['subscription_id']}{path}", body)
            statuses[f"{method} {path}"] = (answer.status, answer.json)
        assert {route: status for route, (status, _) in statuses.items()} == {route: 200 for route in statuses}, \
            statuses


def test_with_the_subscriptions_module_off_nothing_is_shown(aws):
    with client() as c:
        shop = a_shop(c, preferences={**EVERYTHING_ON, "subscriptions": False})
        sub = shop.subscription("live")
        paths = ["/portal/subscriptions", f"/portal/subscriptions/{sub['subscription_id']}"]
        assert [(shop.portal.get(p).status, shop.portal.get(p).json["error"]["details"]) for p in paths] == [
            (403, {"feature": "subscriptions"})] * 2
        cancel = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/cancel", {"when": "now"})
        assert (cancel.status, cancel.json["error"]["code"]) == (403, "feature_disabled")


def test_every_action_in_a_status_it_does_not_accept_answers_409_with_the_current_status(aws):
    with client() as c:
        shop = a_shop(c)
        answers = {}
        for method, path, body, _, wrong in ACTION_ROUTES:
            sub = shop.subscription(wrong, payment_method_id="pm_card_visa")
            answer = call(shop.portal, method, f"/portal/subscriptions/{sub['subscription_id']}{path}", body)
            answers[f"{method} {path}"] = (answer.status, answer.json["error"]["code"],
                                           answer.json["error"]["details"].get("current_status"))
        assert answers == {f"{m} {p}": (409, "invalid_status", wrong) for m, p, _, _, wrong in ACTION_ROUTES}


def test_another_customers_subscription_is_not_found_on_every_route(aws):
    with client() as c:
        # Given Zoë, Hank (another customer of the same merchant) and Ida (a customer of another merchant)
        shop = a_shop(c)
        hank = shop.another_customer()
        umbrella = portal_organization(shop.api, "Umbrella Corp")
        with_plans(umbrella.admin)
        umbrella.admin.put("/admin/preferences", {"preferences": EVERYTHING_ON})
        ida = signed_in_customer(shop.api, umbrella.org, umbrella.key, email="ida@umbrella.example")
        theirs = {"hank": other_subscription(shop.acme, hank.customer_id),
                  "ida": other_subscription(umbrella, ida.customer_id)}

        # When Zoë tries every route on their subscriptions
        answers = {}
        for owner, subscription_id in theirs.items():
            for method, path, body, *_ in ACTION_ROUTES + READ_ROUTES:
                answer = call(shop.portal, method, f"/portal/subscriptions/{subscription_id}{path}", body)
                answers[(owner, method, path)] = (answer.status, answer.json["error"]["code"])

        # Then each answers exactly as for a subscription that does not exist
        missing = call(shop.portal, "POST", "/portal/subscriptions/sub_missing/cancel", {"when": "now"})
        assert (missing.status, missing.json["error"]["code"]) == (404, "not_found")
        assert answers == {key: (404, "not_found") for key in answers}


def other_subscription(merchant: PortalOrganization, customer_id: str) -> str:
    answer = merchant.admin.post("/admin/subscriptions", {"customer_id": customer_id, "plan_code": "pro",
                                                          "status": "live"})
    assert answer.status == 201, answer.json
    return answer.json["subscription_id"]


def test_without_a_valid_session_every_route_is_refused(aws):
    with client() as c:
        shop = a_shop(c)
        sub = shop.subscription("live")
        stranger = shop.portal.as_("not-a-session")
        answers = {(method, path): call(stranger, method, f"/portal/subscriptions/{sub['subscription_id']}{path}",
                                        body).status
                   for method, path, body, *_ in ACTION_ROUTES + READ_ROUTES}
        assert answers == {key: 401 for key in answers}


def test_an_action_writes_an_activity_record_with_who_what_before_and_after(aws):
    with client() as c:
        shop = a_shop(c)
        sub = shop.subscription("live", **TERM)

        shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/cancel",
                         {"when": "end_of_term", "reason": "Budget cuts"})

        [record] = [r for r in activity_of(shop) if r.actor.type == "customer"]
        assert (record.action, record.subject_id, record.at) == (
            "subscription.cancellation_scheduled", sub["subscription_id"], NOW)
        assert (record.actor.type, record.actor.id) == ("customer", shop.zoe.contact["contact_id"])
        assert record.before == {"status": "live", "cancel_reason": None}
        assert record.after == {"status": "non_renewing", "cancel_reason": "Budget cuts"}


def activity_of(shop):
    from chalicelib.bootstrap import adapters
    return adapters().uow.activity.page(shop.acme.org.org_id, shop.zoe.customer_id, limit=50, cursor=None).items


def test_two_racing_cancellations_one_wins_the_other_is_refused(aws, monkeypatch):
    with client() as c:
        # Given a live subscription, and two requests that both read it before either writes
        shop = a_shop(c)
        sub = shop.subscription("live", **TERM)
        from chalicelib.bootstrap import adapters
        both_read = threading.Barrier(2, timeout=10)
        store = adapters().uow.subscriptions
        read = store.with_organization

        def read_then_wait(*args, **kwargs):
            found = read(*args, **kwargs)
            both_read.wait()
            return found
        monkeypatch.setattr(store, "with_organization", read_then_wait)
        dynamodb_requests_one_at_a_time(monkeypatch)   # as DynamoDB is: each conditional write atomic
        caller = Caller(shop.acme.org.org_id, shop.zoe.customer_id, shop.zoe.contact["contact_id"])
        outcomes = []

        def cancel(when):
            try:
                services().subscriptions.cancel(caller, sub["subscription_id"], when=when, reason=None, now=NOW)
                outcomes.append(("won", when))
            except Exception as error:  # noqa: BLE001 - the test records what each request met
                outcomes.append((getattr(error, "code", repr(error)), when))

        # When one cancels now while the other schedules the cancellation
        threads = [threading.Thread(target=cancel, args=(when,)) for when in ("now", "end_of_term")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        monkeypatch.undo()

        # Then exactly one wins; the other meets the changed subscription (409) and wrote nothing
        assert sorted(code for code, _ in outcomes) == ["concurrent_update", "won"], outcomes
        winner = next(when for code, when in outcomes if code == "won")
        detail = shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}").json
        assert detail["status"] == {"now": "cancelled", "end_of_term": "non_renewing"}[winner]
        assert [r.action for r in activity_of(shop) if r.subject_id == sub["subscription_id"]
                and r.actor.type == "customer"] == [
            {"now": "subscription.cancelled", "end_of_term": "subscription.cancellation_scheduled"}[winner]]


def test_a_stale_version_is_refused_over_http_too(aws):
    with client() as c:
        # Given a subscription changed by someone else after the customer's request read it
        shop = a_shop(c)
        sub = shop.subscription("live", **TERM)
        from chalicelib.bootstrap import adapters
        store = adapters().uow.subscriptions
        read = store.with_organization

        def read_then_someone_else_writes(*args, **kwargs):
            org, found = read(*args, **kwargs)
            store.save(shop.acme.org.org_id, found, clock="live")   # bumps the version
            return org, found
        store.with_organization = read_then_someone_else_writes
        try:
            answer = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/cancel", {"when": "now"})
        finally:
            del store.with_organization   # the repository's own again

        assert (answer.status, answer.json["error"]["code"]) == (409, "concurrent_update")
        assert shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}").json["status"] == "live"


def test_due_work_follows_each_action(aws):
    with client() as c:
        # Given a live subscription whose pause is scheduled a week ahead
        shop = a_shop(c)
        sub = shop.subscription("live", **TERM)
        pause_at = NOW.date() + timedelta(days=7)
        shop.portal.put(f"/portal/subscriptions/{sub['subscription_id']}/pause-schedule",
                        {"pause_at": pause_at.isoformat()})

        # Then the scheduled job will find it when the pause day begins (before the term ends)
        from chalicelib.tables.base import owner_key
        from chalicelib.tables.subscriptions import SubscriptionItem
        item = SubscriptionItem.get(owner_key(shop.acme.org.org_id, shop.zoe.customer_id), sub["subscription_id"])
        assert item.due_at == datetime(2026, 12, 2, tzinfo=UTC) and item.due_partition.startswith("live#")
