"""The scheduled job does its work exactly once: run twice, run from two threads at once, or
crashed half-way and run again, it raises the same invoices and takes the same charges; and an
organization in test mode runs its own clock from /admin/test-clock.

The threads call the service behind the job (chalice.test.Client cannot serve threads); DynamoDB
requests are serialised as moto in-process needs (see test_portal_payments_concurrency)."""
import threading
from datetime import timedelta

from chalicelib.bootstrap import services
from chalicelib.services.payments import collection
from tests.support.concurrency import dynamodb_requests_one_at_a_time
from tests.support.scheduled_work import auto_charged, invoices_of, run_jobs, state
from tests.support.api import NOW, client
from tests.support.payments import counting_gateway
from tests.support.subscriptions import a_shop

DAY = timedelta(days=1)


def renewals_due(shop, count: int) -> list[dict]:
    card = shop.saved_card()
    return [shop.subscription("live", auto_charge=True, payment_method_id=card, term_start=NOW - 30 * DAY,
                              term_end=NOW) for _ in range(count)]


def test_running_the_job_twice_raises_and_charges_each_renewal_once(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given three renewals due now
        shop = a_shop(c)
        subs = renewals_due(shop, 3)

        # When the job runs twice
        first, second = run_jobs(c), run_jobs(c)

        # Then the first did the work and the second found nothing to do
        assert len(first["done"]) == 3 and first["failed"] == []
        assert second["done"] == []
        assert all([i["status"] for i in invoices_of(shop, sub)] == ["paid"] for sub in subs)
        assert gateway.charges == 3 and len(gateway.calls) == 3


def test_two_runs_at_once_raise_and_charge_each_renewal_once(aws, monkeypatch):
    dynamodb_requests_one_at_a_time(monkeypatch)
    gateway = counting_gateway(monkeypatch, pause=0.01)
    with client() as c:
        # Given five renewals due now
        shop = a_shop(c)
        subs = renewals_due(shop, 5)

        # When two runs start at the same moment
        start, reports = threading.Barrier(2), []

        def run():
            start.wait()
            reports.append(services().subscriptions.run_due("live", shop.clock.now))
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        # Then each renewal was done by one of them: one invoice and one charge each
        done = [d.subscription_id for r in reports for d in r.done]
        assert sorted(done) == sorted(s["subscription_id"] for s in subs)
        assert all([i["status"] for i in invoices_of(shop, sub)] == ["paid"] for sub in subs)
        assert gateway.charges == 5 and len(gateway.calls) == 5


def test_a_crash_between_the_invoice_and_the_charge_is_finished_by_a_later_run_without_a_second_invoice(
        aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a renewal due now, and a run that dies after committing the invoice, before charging
        shop = a_shop(c)
        sub = auto_charged(shop, term_start=NOW - 30 * DAY, term_end=NOW)
        real_collect = collection.collect_off_session

        def crash(*args, **kwargs):
            raise RuntimeError("the Lambda was killed")
        monkeypatch.setattr(collection, "collect_off_session", crash)
        crashed = run_jobs(c)
        monkeypatch.setattr(collection, "collect_off_session", real_collect)

        # When the job runs again at once (the claim still held), and after the claim's lease
        at_once = run_jobs(c)
        shop.clock.advance(minutes=6)
        later = run_jobs(c)

        # Then the crash was logged with the subscription's id and left its marker
        assert crashed["failed"] == [sub["subscription_id"]]
        assert at_once["done"] == [] and [d["work"] for d in later["done"]] == ["charge"]
        # and the one invoice was charged once, with nothing left to do
        assert [i["status"] for i in invoices_of(shop, sub)] == ["paid"]
        assert gateway.charges == 1
        after = state(shop, sub)
        assert after.unpaid_invoice_id is None and after.term_start == NOW.date()


def test_a_crash_after_the_claim_before_anything_is_written_is_redone_after_the_lease(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a renewal due now, and a run that dies right after claiming it
        shop = a_shop(c)
        sub = auto_charged(shop, term_start=NOW - 30 * DAY, term_end=NOW)
        from chalicelib.services.documents import invoicing
        real_bill = invoicing.issue

        def crash(*args, **kwargs):
            raise RuntimeError("the Lambda was killed")
        monkeypatch.setattr(invoicing, "issue", crash)
        run_jobs(c)
        monkeypatch.setattr(invoicing, "issue", real_bill)

        # When the job runs after the claim's lease
        shop.clock.advance(minutes=6)
        run_jobs(c)

        # Then the renewal was done once
        assert [i["status"] for i in invoices_of(shop, sub)] == ["paid"]
        assert gateway.charges == 1


def test_the_test_clock_runs_a_test_mode_organizations_work_up_to_the_time_it_is_moved_to(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given an organization in test mode with a trial ending in 14 days, auto-charged
        shop = a_shop(c)
        assert shop.admin.patch("/admin/organization", {"test_mode": True}).status == 200
        sub = auto_charged(shop, "trial", trial_end=NOW + 14 * DAY)

        # When the real-time job runs (nothing is due on the test clock for it), then the merchant
        # moves the test clock 14 days on, and then 31 more
        untouched = run_jobs(c)
        moved = shop.admin.post("/admin/test-clock", {"advance_to": (NOW + 14 * DAY).isoformat()})
        renewed = shop.admin.post("/admin/test-clock", {"advance_to": (NOW + 45 * DAY).isoformat()})

        # Then the real-time job left it alone; the test clock converted the trial, then renewed it
        assert untouched["done"] == []
        assert moved.status == 200, moved.json
        assert [(d["work"], d["status"]) for d in moved.json["done"]] == [("trial_end", "live")]
        assert [d["work"] for d in renewed.json["done"]] == ["renew"]
        assert [i["status"] for i in invoices_of(shop, sub)] == ["paid", "paid"]
        assert gateway.charges == 2
        organization = shop.admin.get("/admin/organization").json
        assert organization["test_clock_at"].startswith((NOW + 45 * DAY).date().isoformat())


def test_the_test_clock_never_moves_back(aws):
    with client() as c:
        shop = a_shop(c)
        assert shop.admin.patch("/admin/organization", {"test_mode": True}).status == 200
        assert shop.admin.post("/admin/test-clock", {"advance_to": (NOW + DAY).isoformat()}).status == 200

        answer = shop.admin.post("/admin/test-clock", {"advance_to": NOW.isoformat()})

        assert answer.status == 400 and "advance_to" in answer.json["error"]["details"]["fields"]


def test_the_test_clock_is_refused_to_an_organization_not_in_test_mode(aws):
    with client() as c:
        shop = a_shop(c)

        answer = shop.admin.post("/admin/test-clock", {"advance_to": (NOW + DAY).isoformat()})

        assert answer.status == 422 and answer.json["error"]["code"] == "not_in_test_mode"


def test_the_test_clock_refuses_a_time_without_a_zone(aws):
    with client() as c:
        shop = a_shop(c)
        assert shop.admin.patch("/admin/organization", {"test_mode": True}).status == 200

        answer = shop.admin.post("/admin/test-clock", {"advance_to": "2026-12-01T00:00:00"})

        assert answer.status == 400


def test_test_mode_is_chosen_before_the_first_subscription(aws):
    with client() as c:
        # Given an organization with a live subscription on the real clock
        shop = a_shop(c)
        sub = shop.subscription("live", term_start=NOW - 5 * DAY, term_end=NOW + 25 * DAY)

        # When the merchant tries to switch to test mode
        answer = shop.admin.patch("/admin/organization", {"test_mode": True})

        # Then it is refused (its subscriptions would be left on the real clock) and nothing changed
        assert answer.status == 422 and answer.json["error"]["code"] == "test_mode_locked", answer.json
        assert shop.admin.get("/admin/organization").json["test_mode"] is False
        assert shop.admin.patch("/admin/organization", {"test_mode": False, "phone": "+1 206 555 0100"}).status == 200
        assert state(shop, sub).status.value == "live"
