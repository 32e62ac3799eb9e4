"""Due work fanned out over SQS (moto): the schedule only discovers and sends one message per
subscription, within a budget of its own; the worker does each exactly once however often (or by
however many workers at once) a message comes, reports the ones
that fail so only they come back, dead-letters a message it can never do, serves a small merchant
within the cycle a big one's backlog falls in, and waits out a gateway's rate limit."""
import json
import threading
from datetime import timedelta

from chalicelib import config
from chalicelib.bootstrap import services
from chalicelib.gateways.payments import GatewayUnavailable
from chalicelib.handlers import jobs_queue
from chalicelib.services.payments import collection
from chalicelib.tables.metrics import counting_calls
from devstack.schedules import sqs_event
from tests.support.concurrency import dynamodb_requests_one_at_a_time
from tests.support.scheduled_work import invoices_of, run_jobs, state
from tests.support.api import NOW, client
from tests.support.due_queue import RECEIVE_LIMIT, deliver_to_a_worker_killed_in, due_queue
from tests.support.payments import CountingGateway, counting_gateway, with_gateway
from tests.support.subscriptions import a_shop

DAY = timedelta(days=1)


def renewals_due(shop, count: int) -> list[dict]:
    card = shop.saved_card()
    return [shop.subscription("live", auto_charge=True, payment_method_id=card, term_start=NOW - 30 * DAY,
                              term_end=NOW) for _ in range(count)]


def test_the_schedule_only_sends_the_due_work_and_the_worker_does_it(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c, due_queue(monkeypatch) as queue:
        # Given three renewals due now
        shop = a_shop(c)
        subs = renewals_due(shop, 3)

        # When the schedule runs
        sent = run_jobs(c)

        # Then it sent one message per subscription, saying the work and when it fell due, and did none of it
        assert sent == {"queued": 3, "organizations": 1, "held_back": 0, "stopped_early": False}
        bodies = queue.bodies()
        assert sorted(b["subscription_id"] for b in bodies) == sorted(s["subscription_id"] for s in subs)
        assert {(b["work"], b["clock"], b["org_id"]) for b in bodies} == {("renew", "live", shop.acme.org.org_id)}
        assert all(b["due_at"].startswith(NOW.date().isoformat()) for b in bodies)
        assert gateway.charges == 0

        # When the worker drains the queue
        queue.drain(c)

        # Then each renewal was invoiced and charged once
        assert all([i["status"] for i in invoices_of(shop, sub)] == ["paid"] for sub in subs)
        assert gateway.charges == 3 and queue.waiting() == 0


def test_a_worker_makes_the_serial_runs_dynamodb_calls_for_the_same_renewals(aws, monkeypatch):
    counting_gateway(monkeypatch)
    with client() as c:
        # Given one merchant with three renewals due now, and another with three due tomorrow
        today, tomorrow = a_shop(c), a_shop(c)
        renewals_due(today, 3)
        card = tomorrow.saved_card()
        for _ in range(3):
            tomorrow.subscription("live", auto_charge=True, payment_method_id=card, term_start=NOW - 29 * DAY,
                                  term_end=NOW + DAY)
        subscriptions = services().subscriptions

        # When today's are discovered and done by a worker taking them as one batch
        with counting_calls() as fanned_out:
            orgs = {}
            done = [subscriptions.run_due_item(item, NOW, orgs)
                    for item in subscriptions.discover_due("live", NOW, per_org=100).items]
        # and tomorrow's by the serial run
        with counting_calls() as serial:
            report = subscriptions.run_due("live", NOW + DAY, budget_seconds=600)

    # Then both renewed three, with the same DynamoDB calls, operation by operation
    assert len([d for d in done if d]) == 3 and len(report.done) == 3
    assert fanned_out.operations == serial.operations


def test_a_message_without_the_subscriptions_copy_is_done_on_the_subscription_read_then(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c, due_queue(monkeypatch) as queue:
        # Given a renewal due now, its message sent without the subscription (one over the size a
        # message carries, or queued before messages carried it)
        shop = a_shop(c)
        [sub] = renewals_due(shop, 1)
        run_jobs(c)
        [body] = queue.bodies()
        queue.client.purge_queue(QueueUrl=queue.url)
        assert body.pop("subscription")["subscription_id"] == {"S": sub["subscription_id"]}
        queue.send_raw(json.dumps(body))

        # When the worker takes it
        queue.drain(c)

        # Then the renewal was invoiced and charged once
        assert [i["status"] for i in invoices_of(shop, sub)] == ["paid"]
        assert gateway.charges == 1


def test_a_message_delivered_twice_acts_once(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c, due_queue(monkeypatch) as queue:
        # Given a renewal due now, sent twice (a redelivery, or two discoveries before a worker ran)
        shop = a_shop(c)
        [sub] = renewals_due(shop, 1)
        run_jobs(c)
        run_jobs(c)
        assert queue.waiting() == 2

        # When the worker takes both messages
        queue.drain(c, batch_size=1)

        # Then the renewal was invoiced and charged once, and both messages are gone
        assert [i["status"] for i in invoices_of(shop, sub)] == ["paid"]
        assert gateway.charges == 1 and len(gateway.calls) == 1
        assert queue.waiting() == 0


def test_the_same_messages_taken_by_two_workers_at_once_act_once(aws, monkeypatch):
    # (SQS may hand one message to two consumers; the threads call the worker's code behind the
    # handler, as chalice's test client serves no threads, with moto's DynamoDB one call at a time)
    dynamodb_requests_one_at_a_time(monkeypatch)
    gateway = counting_gateway(monkeypatch, pause=0.01)
    with client() as c, due_queue(monkeypatch) as queue:
        # Given three renewals due now, sent by a discovery
        shop = a_shop(c)
        subs = renewals_due(shop, 3)
        run_jobs(c)
        records = sqs_event(queue.client.receive_message(QueueUrl=queue.url, MaxNumberOfMessages=10)["Messages"],
                            "arn:aws:sqs:us-east-1:123456789012:portico-due-work", "us-east-1")["Records"]

        # When two workers take the same batch at the same moment
        start, outcomes = threading.Barrier(2), []

        def worker():
            start.wait()
            outcomes.append(jobs_queue.work_through(
                records, lambda item: services().subscriptions.run_due_item(item, shop.clock.now)))
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        # Then each renewal was done by one of them, and neither failed a message
        done = sorted(d.subscription_id for o in outcomes for d in o.done)
        assert done == sorted(s["subscription_id"] for s in subs)
        assert [o.failed for o in outcomes] == [[], []]
        assert all([i["status"] for i in invoices_of(shop, sub)] == ["paid"] for sub in subs)
        assert gateway.charges == 3 and len(gateway.calls) == 3


def test_a_failing_item_is_reported_alone_and_retried_while_the_rest_of_the_batch_is_done(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c, due_queue(monkeypatch) as queue:
        # Given three renewals due now, and a worker whose first charge dies with an error
        shop = a_shop(c)
        subs = renewals_due(shop, 3)
        run_jobs(c)
        real_collect, failures = collection.collect_off_session, []

        def fails_once(*args, **kwargs):
            if not failures:
                failures.append(kwargs)
                raise RuntimeError("the gateway's client blew up")
            return real_collect(*args, **kwargs)
        monkeypatch.setattr(collection, "collect_off_session", fails_once)

        # When one batch is delivered
        answer = []
        real_invoke = c.lambda_.invoke
        monkeypatch.setattr(c.lambda_, "invoke", lambda *a, **k: answer.append(real_invoke(*a, **k)) or answer[-1])
        queue.deliver(c)

        # Then only the failed message was reported, and it is back on the queue
        [failed] = answer[0].payload["batchItemFailures"]
        assert queue.waiting() == 1
        # and once the failed subscription's claim expires, a later discovery sends it again and it is done
        shop.clock.advance(minutes=6)
        queue.drain(c)
        run_jobs(c)
        queue.drain(c)
        assert all([i["status"] for i in invoices_of(shop, sub)] == ["paid"] for sub in subs)
        assert gateway.charges == 3


def test_a_worker_killed_between_the_invoice_and_the_charge_is_finished_by_a_later_message_after_the_lease(
        aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c, due_queue(monkeypatch) as queue:
        # Given a renewal due now, and a worker that dies after committing the invoice, before charging
        shop = a_shop(c)
        [sub] = renewals_due(shop, 1)
        run_jobs(c)
        deliver_to_a_worker_killed_in(c, queue, monkeypatch, collection, "collect_off_session")

        # When the message comes back at once (the claim still held), then a discovery after the lease
        queue.drain(c)
        at_once = state(shop, sub)
        shop.clock.advance(minutes=6)
        run_jobs(c)
        queue.drain(c)

        # Then the redelivery within the lease did nothing; the later message charged the one invoice once
        assert at_once.unpaid_invoice_id is not None
        assert [i["status"] for i in invoices_of(shop, sub)] == ["paid"]
        assert gateway.charges == 1
        assert state(shop, sub).unpaid_invoice_id is None


def test_a_message_that_can_never_be_read_goes_to_the_dead_letter_queue_after_the_receive_limit(
        aws, monkeypatch, caplog):
    with client() as c, due_queue(monkeypatch) as queue:
        # Given a message that is not due work, naming a subscription
        queue.send_raw(json.dumps({"subscription_id": "sub_poison", "work": "renew"}))

        # When the worker is given it until the queue is empty
        batches = queue.drain(c)

        # Then it was tried up to the limit, logged with the subscription's id, and dead-lettered
        assert batches == RECEIVE_LIMIT
        assert queue.waiting() == 0 and queue.waiting(queue.dead_letters_url) == 1
        assert "sub_poison" in caplog.text


def test_a_merchant_with_one_due_cancellation_is_served_in_the_first_cycle_while_another_has_many_due(
        aws, monkeypatch):
    counting_gateway(monkeypatch)
    with client() as c, due_queue(monkeypatch, per_org=10) as queue:
        # Given one merchant with 30 renewals due and another whose one subscription ends its term now
        busy = a_shop(c)
        renewals_due(busy, 30)
        quiet = a_shop(c)
        ending = quiet.subscription("non_renewing", term_start=NOW - 30 * DAY, term_end=NOW)

        # When a discovery runs
        sent = run_jobs(c)

        # Then it queued the busy merchant's share and the quiet merchant's cancellation among the first
        assert sent == {"queued": 11, "organizations": 2, "held_back": 20, "stopped_early": False}
        first_two = [b["org_id"] for b in queue.bodies()[:2]]
        assert quiet.acme.org.org_id in first_two

        # When the workers take the first batch
        queue.deliver(c)

        # Then the cancellation is done, within the cycle that found it
        assert state(quiet, ending).status.value == "cancelled"
        # and the busy merchant's other renewals follow in the next cycles
        queue.drain(c)
        assert run_jobs(c)["queued"] == 10


def test_a_discovery_without_time_left_sends_nothing_and_the_next_one_sends_it_all(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c, due_queue(monkeypatch) as queue:
        # Given three renewals due now, and a discovery with no time at all
        shop = a_shop(c)
        subs = renewals_due(shop, 3)
        monkeypatch.setenv("PORTICO_JOB_BUDGET_SECONDS", "0")
        config.reload()

        # When it runs, and then one with its usual budget, and the workers drain the queue
        starved = run_jobs(c)
        monkeypatch.delenv("PORTICO_JOB_BUDGET_SECONDS")
        config.reload()
        shop.clock.advance(minutes=5)
        next_run = run_jobs(c)
        queue.drain(c)

        # Then the first sent nothing and said it stopped early; the next sent all three, each charged once
        assert (starved["queued"], starved["stopped_early"]) == (0, True)
        assert (next_run["queued"], next_run["stopped_early"]) == (3, False)
        assert all([i["status"] for i in invoices_of(shop, sub)] == ["paid"] for sub in subs)
        assert gateway.charges == 3


def test_a_discovery_out_of_time_while_sending_leaves_the_rest_to_the_next_which_does_nothing_twice(
        aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c, due_queue(monkeypatch) as queue:
        # Given 25 renewals due now, and a discovery whose budget runs out after its first ten messages
        shop = a_shop(c)
        subs = renewals_due(shop, 25)
        real_send = jobs_queue.send

        def out_of_time_after_one_batch(client, url, items, *, out_of_time):
            batches = []

            def spent() -> bool:
                batches.append(1)
                return len(batches) > 1
            return real_send(client, url, items, out_of_time=spent)
        monkeypatch.setattr(jobs_queue, "send", out_of_time_after_one_batch)
        cut_short = run_jobs(c)
        monkeypatch.setattr(jobs_queue, "send", real_send)

        # When the workers take those ten, and the next discovery runs and the workers drain the queue
        queue.drain(c)
        shop.clock.advance(minutes=5)
        next_run = run_jobs(c)
        queue.drain(c)

        # Then the first sent ten and said it stopped early; the next sent the fifteen still due
        assert (cut_short["queued"], cut_short["stopped_early"]) == (10, True)
        assert (next_run["queued"], next_run["stopped_early"]) == (15, False)
        # and every renewal was invoiced and charged once: nothing lost, nothing doubled
        assert all([i["status"] for i in invoices_of(shop, sub)] == ["paid"] for sub in subs)
        assert gateway.charges == 25 and queue.waiting() == 0


class ThrottledGateway(CountingGateway):
    """Stripe answering 429 (rate limit; a lock_timeout stripe-python's retries did not outlast) to
    the first `throttled` charges: the adapter says GatewayUnavailable, no charge was made."""

    def __init__(self, throttled: int):
        super().__init__()
        self.throttled = throttled

    def charge(self, **kwargs):
        if self.throttled:
            self.throttled -= 1
            raise GatewayUnavailable("Stripe is unavailable: RateLimitError")
        return super().charge(**kwargs)


def test_a_charge_the_gateway_throttles_is_asked_again_later_and_never_counted_as_the_customers_failure(
        aws, monkeypatch):
    gateway = with_gateway(monkeypatch, ThrottledGateway(throttled=1))
    with client() as c, due_queue(monkeypatch) as queue:
        # Given a renewal due now, and the gateway throttling the first charge
        shop = a_shop(c)
        [sub] = renewals_due(shop, 1)

        # When the discovery and the worker run, and again after the pending charge's wait
        run_jobs(c)
        queue.drain(c)
        throttled = state(shop, sub)
        shop.clock.advance(minutes=11)
        run_jobs(c)
        queue.drain(c)

        # Then the throttled charge left the renewal waiting on its invoice, not in dunning
        assert throttled.status.value == "live" and throttled.dunning_attempts == 0
        assert throttled.unpaid_invoice_id is not None
        # and the later message charged the invoice, once
        assert [i["status"] for i in invoices_of(shop, sub)] == ["paid"]
        assert gateway.charges == 1 and [status for _key, status in gateway.calls] == ["succeeded"]
        assert state(shop, sub).unpaid_invoice_id is None


def test_a_worker_killed_after_the_gateway_charged_before_the_payment_was_recorded_never_charges_twice(
        aws, monkeypatch):
    from chalicelib.services.payments import settlement
    gateway = counting_gateway(monkeypatch)
    with client() as c, due_queue(monkeypatch) as queue:
        # Given a renewal due now, and a worker that dies once the gateway charged, before recording it
        shop = a_shop(c)
        [sub] = renewals_due(shop, 1)
        run_jobs(c)
        deliver_to_a_worker_killed_in(c, queue, monkeypatch, settlement, "record")
        assert gateway.charges == 1 and state(shop, sub).unpaid_invoice_id is not None

        # When its message comes back at once, then discoveries after the claim's and the payment's leases
        queue.drain(c)
        shop.clock.advance(minutes=6)
        run_jobs(c)
        queue.drain(c)
        shop.clock.advance(minutes=11)
        run_jobs(c)
        queue.drain(c)

        # Then the invoice is paid by the one charge the gateway made (asked again with the same key)
        assert [i["status"] for i in invoices_of(shop, sub)] == ["paid"]
        assert gateway.charges == 1
        assert state(shop, sub).unpaid_invoice_id is None
