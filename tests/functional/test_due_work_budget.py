"""The due-work job keeps to the time budget its Lambda's timeout gives it (PORTICO_JOB_BUDGET_SECONDS,
set by the template): out of time, it stops, says how much it left, and the next run goes on."""
from datetime import timedelta

from chalicelib import bootstrap
from tests.support.api import NOW, client
from tests.support.subscriptions import a_shop


def run_jobs(c) -> dict:
    event = c.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])
    return c.lambda_.invoke("run_due_work", event).payload


def test_a_run_out_of_time_leaves_the_due_work_to_the_next_run_and_says_how_much(aws, monkeypatch):
    with client() as c:
        # Given two subscriptions whose terms have ended
        shop = a_shop(c)
        due = [shop.subscription(term_start=NOW - timedelta(days=30), term_end=NOW)["subscription_id"]
               for _ in range(2)]
        shop.clock.advance(hours=1)

        # When the job runs with no time at all, then with its usual budget
        monkeypatch.setenv("PORTICO_JOB_BUDGET_SECONDS", "0")
        bootstrap.reset()
        starved = run_jobs(c)
        monkeypatch.delenv("PORTICO_JOB_BUDGET_SECONDS")
        bootstrap.reset()
        shop.clock.advance(minutes=5)
        next_run = run_jobs(c)

    # Then the first did nothing and said both were left over; the next did both
    assert (starved["done"], starved["stopped_early"], starved["left_over"]) == ([], True, 2)
    assert sorted(d["subscription_id"] for d in next_run["done"]) == sorted(due)
    assert next_run["left_over"] == 0
