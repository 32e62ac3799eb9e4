"""The audit log: every change made through the admin API, by an API key or a merchant user, says
who, what, on what, when and which fields (never a secret); a refused change records nothing; the
log is read by time range, newest first, a page at a time."""
from datetime import timedelta

import pytest

from chalicelib import bootstrap
from chalicelib.tables.metrics import counting_calls
from tests.support.api import client
from tests.support.console import a_console
from tests.support.merchant import a_customer
from tests.support.subscriptions import subscription_of, with_plans


def log_of(api, **window):
    now = bootstrap.now()
    start, end = window.get("start", now - timedelta(hours=1)), window.get("end", now + timedelta(hours=1))
    query = f"from={start.isoformat()}&to={end.isoformat()}".replace("+", "%2B")
    if "limit" in window:
        query += f"&limit={window['limit']}"
    if window.get("cursor"):
        query += f"&cursor={window['cursor']}"
    answer = api.get(f"/admin/audit-log?{query}")
    assert answer.status == 200, answer.json
    return answer.json


def test_a_preference_flipped_by_an_admin_user_is_in_the_log_with_its_old_and_new_value(aws):
    with client() as c:
        # Given an admin user of the console
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")
        preferences = olivia.get("/admin/preferences").json["preferences"]

        # When she turns the portal's reviews off
        flipped = olivia.put("/admin/preferences", {"preferences": {**preferences, "reviews": False}})

        # Then the log says she did, and what moved
        entry = log_of(console.key)["items"][0]
        assert flipped.status == 200
        assert (entry["actor_type"], entry["actor_email"], entry["action"]) == (
            "merchant_user", "olivia@acme.example", "PUT /admin/preferences")
        assert entry["actor_id"].startswith("mu_")
        assert entry["changes"] == {"preferences.reviews": "true → false"}


def test_a_change_by_the_api_key_names_the_key_and_never_records_a_password(aws):
    with client() as c:
        console = a_console(c)

        console.user("sam@acme.example", "support")

        entry = log_of(console.key)["items"][0]
        assert (entry["actor_type"], entry["actor_id"], entry["action"]) == (
            "api_key", "API key", "POST /admin/merchant-users")
        assert entry["changes"]["email"] == "sam@acme.example"
        assert "amber" not in str(entry)      # the password given


def test_a_change_that_sets_a_currency_is_logged_as_given_text_without_an_exponent_beside_it(aws):
    with client() as c:
        # Given a plan created in dollars
        console = a_console(c)
        created = console.key.post("/admin/plans", {"code": "team", "name": "Team", "price_minor": 4900,
                                                    "currency": "USD"})

        # Then its entry shows the fields as given, and nothing the answers add to a priced object
        entry = log_of(console.key)["items"][0]
        assert created.status == 201
        assert entry["changes"]["currency"] == "USD"
        assert "currency_exponent" not in entry["changes"]
        assert all(isinstance(value, str) for value in entry["changes"].values())


def test_a_transactional_change_and_its_entry_are_written_together(aws):
    with client() as c:
        # Given a customer and a plan
        console = a_console(c)
        with_plans(console.key)
        customer = a_customer(console.key)

        # When the API key creates a subscription (one transaction)
        with counting_calls() as calls:
            created = subscription_of(console.key, customer["customer_id"])

        # Then its entry was written in that transaction, not after it
        entries = log_of(console.key)["items"]
        assert [e["action"] for e in entries][0] == "POST /admin/subscriptions"
        assert entries[0]["changes"]["plan_code"] == "pro" and created["subscription_id"]
        assert calls.operations.get("PutItem", 0) == 0, dict(calls.operations)


def test_a_transaction_that_fails_writes_no_entry_and_one_that_commits_takes_it(aws):
    from chalicelib.domain.errors import ConcurrentUpdate
    from chalicelib.tables.audit_log import AuditEntry
    from chalicelib.tables.organizations import OrganizationItem
    uow = bootstrap.adapters().uow
    now = bootstrap.now()
    entry = AuditEntry("org_x", "aud_1", now, "api_key", "API key", "PUT /admin/x")
    uow.audit_log.pend(entry)

    with pytest.raises(ConcurrentUpdate):
        with uow.transaction("test") as tx:
            tx.condition_check(OrganizationItem, "org_missing", condition=OrganizationItem.org_id.exists())
    assert uow.audit_log.pending() is entry
    assert uow.audit_log.page("org_x", start=now - timedelta(1), end=now + timedelta(1), limit=5, cursor=None).items == []

    with uow.transaction("test") as tx:
        tx.condition_check(OrganizationItem, "org_missing", condition=OrganizationItem.org_id.does_not_exist())
    assert uow.audit_log.pending() is None
    stored = uow.audit_log.page("org_x", start=now - timedelta(1), end=now + timedelta(1), limit=5, cursor=None)
    assert [e.entry_id for e in stored.items] == ["aud_1"]


def test_a_refused_change_records_nothing(aws):
    with client() as c:
        console = a_console(c)
        support = console.signed_in("sam@acme.example", "support")
        before = log_of(console.key)["items"]

        console.key.put("/admin/preferences", {"preferences": {"no_such_switch": True}})
        support.put("/admin/preferences", {"preferences": {}})
        console.key.post("/admin/customers/cus_01JAAAAAAAAAAAAAAAAAAAAAAA/review-requests")

        assert log_of(console.key)["items"] == before


def test_the_log_is_read_a_page_at_a_time_within_its_range(aws):
    with client() as c:
        console = a_console(c)
        for n in range(3):
            console.user(f"user{n}@acme.example", "support")

        window = {"start": bootstrap.now() - timedelta(hours=1), "end": bootstrap.now() + timedelta(hours=1)}
        first = log_of(console.key, limit=2, **window)
        second = log_of(console.key, limit=2, cursor=first["next_cursor"], **window)
        later = log_of(console.key, start=bootstrap.now() + timedelta(minutes=5),
                       end=bootstrap.now() + timedelta(hours=1))

        emails = [e["changes"]["email"] for e in first["items"] + second["items"]]
        assert emails == ["user2@acme.example", "user1@acme.example", "user0@acme.example"]
        assert later["items"] == []


def test_another_organizations_log_is_not_shown(aws):
    with client() as c:
        ours, theirs = a_console(c, "Acme Cloud"), a_console(c, "Globex Corp")
        theirs.user("hank@globex.example", "admin")

        assert log_of(ours.key)["items"] == []


def test_a_range_backwards_or_beyond_the_calendar_is_refused_in_words(aws):
    with client() as c:
        console = a_console(c)

        backwards = console.key.get("/admin/audit-log?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z")
        beyond = console.key.get("/admin/audit-log?from=0001-01-01T00:00:00%2B14:00&to=2026-12-01T00:00:00Z")

        assert (backwards.status, list(backwards.json["error"]["details"]["fields"])) == (400, ["query.to"])
        assert (beyond.status, list(beyond.json["error"]["details"]["fields"])) == (400, ["query.from"])


def test_without_a_range_the_whole_log_is_read_a_page_at_a_time(aws):
    with client() as c:
        console = a_console(c)
        for n in range(3):
            console.user(f"user{n}@acme.example", "support")

        first = console.key.get("/admin/audit-log?limit=2").json
        second = console.key.get(f"/admin/audit-log?limit=2&cursor={first['next_cursor']}").json

        assert len(first["items"]) == 2 and len(second["items"]) == 1
