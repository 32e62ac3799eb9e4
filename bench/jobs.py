"""The cost of one scheduled run grows with the work due, not with the subscriptions there are:
the DynamoDB calls (and time) of a run with 50 renewals due among 500 and among many more
subscriptions; and the drain time of due work fanned out to 1, 4 and 16 workers. Run alone with
`python -m bench.jobs [--drain]`, or as part of `make bench`.

The subscriptions are written straight to the table (a batch write), as the import would leave
them: those not due are live with their term ending next month, so they sit in the `due` index
too, but after `now`, where the Query's key condition never reads them."""
from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("PORTICO_TABLE_PREFIX", "bench-")
os.environ.setdefault("AWS_XRAY_SDK_ENABLED", "false")

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
DUE = 50
SIZES = (500, 5_000, 20_000)


def world(total: int, due: int = DUE) -> str:
    """An organization with one customer holding `total` live subscriptions, `due` of them at term end."""
    from chalicelib import bootstrap
    from chalicelib.domain.customers import Customer
    from chalicelib.domain.ids import new_id
    from chalicelib.domain.subscription import PlanSnapshot, Subscription
    from chalicelib.domain.subscription_status import Status
    from chalicelib.tables.subscriptions import SubscriptionItem, item_for

    org, _key = bootstrap.services().access.create_organization(name="Bench Co", email="billing@bench.example",
                                                                currency="USD", now=NOW)
    customer = bootstrap.adapters().uow.customers.add(
        org.org_id, Customer(new_id("customer", NOW), "Globex", "zoe@globex.example", "USD", created_at=NOW))
    plan = PlanSnapshot("pro", "Pro", 10_000)
    template = Subscription(subscription_id="", customer_id=customer.customer_id, status=Status.LIVE, plan=plan,
                            currency="USD", created_at=NOW - timedelta(days=30), activated_at=NOW - timedelta(days=30))
    with SubscriptionItem.batch_write() as batch:
        for n in range(total):
            ends = (NOW if n < due else NOW + timedelta(days=1 + n % 28)).date()
            sub = replace(template, subscription_id=new_id("subscription", NOW - timedelta(seconds=n)),
                          term_start=ends - timedelta(days=30), term_end=ends, billing_anchor=ends)
            item = item_for(org.org_id, sub, clock="live")
            item.version = 1   # a batch write does not set it, as a save would
            batch.save(item)
    return org.org_id


def one_run(total: int) -> tuple[dict, float, int]:
    """(DynamoDB calls by operation, seconds, renewals done) of one run over a fresh world."""
    from moto import mock_aws

    with mock_aws():
        from chalicelib import bootstrap, tables
        from chalicelib.tables.metrics import counting_calls
        bootstrap.reset()
        bootstrap.tables_ready()
        tables.create_all()
        world(total)
        started = time.perf_counter()
        with counting_calls() as count:
            # all 50, however slow moto is
            report = bootstrap.services().subscriptions.run_due("live", NOW, budget_seconds=900)
        return dict(count.operations), time.perf_counter() - started, len(report.done)


def section(sizes=SIZES) -> list[str]:
    lines = ["", f"## Scheduled run: DynamoDB calls with {DUE} renewals due (no auto-charge)", "",
             "| subscriptions | done | Query | GetItem | UpdateItem (claims, invoice numbers) | TransactWriteItems | "
             "all calls | time vs smallest |", "|---|---|---|---|---|---|---|---|"]
    first = None
    for total in sizes:
        ops, seconds, done = one_run(total)
        first = first or seconds
        lines.append(f"| {total:,} | {done} | {ops.get('Query', 0)} | {ops.get('GetItem', 0)} | "
                     f"{ops.get('UpdateItem', 0)} | {ops.get('TransactWriteItems', 0)} | {sum(ops.values())} | "
                     f"{seconds / first:.2f}x |")
    lines += ["", "The calls depend on the work due (per renewal: claim, organization number, credits "
              "query, one transaction) plus one Query per shard; moto's time also grows with the table "
              "size, which DynamoDB's key-condition Query does not."]
    return lines


# --- due work fanned out: drain time by worker concurrency -----------------------------------

DRAIN_DUE = 100
CONCURRENCY = (1, 4, 16)
GATEWAY_LATENCY = 0.1          # seconds a simulated charge takes
STRIPE_LATENCY = 0.4           # the on-paper figure: Stripe's round trip
DEFAULT_CONCURRENCY = 60       # infra/parameters.py DueWorkConcurrency
DYNAMODB_CALL_SECONDS = 0.008  # a single-digit-millisecond DynamoDB call, for the on-paper figure


class SlowGateway:
    """The simulated gateway, each charge taking `latency` seconds (Stripe's round trip)."""

    def __init__(self, latency: float):
        from chalicelib.gateways.simulated_payments import SimulatedGateway
        self._inner, self.latency = SimulatedGateway(), latency
        self.name, self.publishable_key = self._inner.name, None

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def charge(self, **kwargs):
        time.sleep(self.latency)
        return self._inner.charge(**kwargs)


def charged_world(due: int) -> None:
    """An organization whose customer has a saved card and `due` auto-charged renewals due at NOW."""
    from chalicelib import bootstrap
    from chalicelib.domain.customers import Customer
    from chalicelib.domain.ids import new_id
    from chalicelib.domain.payments import PaymentMethod
    from chalicelib.domain.subscription import PlanSnapshot, Subscription
    from chalicelib.domain.subscription_status import Status
    from chalicelib.gateways.simulated_payments import SimulatedGateway
    from chalicelib.tables.subscriptions import SubscriptionItem, item_for

    adapters = bootstrap.adapters()
    adapters.client("ses").verify_email_identity(EmailAddress=adapters.settings.email_sender)   # receipts go out
    org, _key = bootstrap.services().access.create_organization(name="Bench Co", email="billing@bench.example",
                                                                currency="USD", now=NOW)
    simulated = SimulatedGateway()
    gateway_customer = simulated.ensure_customer(org_id=org.org_id, customer_id="bench", email="zoe@globex.example",
                                                 name="Globex", existing_gateway_customer_id=None,
                                                 idempotency_key="bench")
    card = simulated.attach_method(gateway_customer_id=gateway_customer, method_id="pm_card_visa")
    customer = adapters.uow.customers.add(org.org_id, Customer(
        new_id("customer", NOW), "Globex", "zoe@globex.example", "USD", created_at=NOW,
        gateway_customer_id=gateway_customer))
    method = PaymentMethod(new_id("payment_method", NOW), customer.customer_id, simulated.name,
                           card.gateway_method_id, "visa", "4242", 12, 2030, NOW, is_default=True,
                           gateway_customer_id=gateway_customer)
    with adapters.uow.transaction("bench card") as tx:
        adapters.uow.payment_methods.put_in(tx, org.org_id, method)
    template = Subscription(subscription_id="", customer_id=customer.customer_id, status=Status.LIVE,
                            plan=PlanSnapshot("pro", "Pro", 10_000), currency="USD", auto_charge=True,
                            payment_method_id=method.payment_method_id, created_at=NOW - timedelta(days=30),
                            activated_at=NOW - timedelta(days=30))
    ends = NOW.date()
    with SubscriptionItem.batch_write() as batch:
        for n in range(due):
            sub = replace(template, subscription_id=new_id("subscription", NOW - timedelta(seconds=n)),
                          term_start=ends - timedelta(days=30), term_end=ends, billing_anchor=ends)
            item = item_for(org.org_id, sub, clock="live")
            item.version = 1
            batch.save(item)


def one_drain(due: int, concurrency: int, latency: float) -> tuple[float, dict, int]:
    """(seconds, DynamoDB calls by operation, renewals charged) of a discovery, then `concurrency`
    workers taking its items until none is left, over a fresh world. moto serves one DynamoDB call
    at a time (it is not thread-safe): what overlaps is the gateway's latency, as on AWS, where
    DynamoDB does not serialise the workers either."""
    import queue
    import threading

    from moto import mock_aws
    from moto.dynamodb.responses import DynamoHandler

    lock, handle = threading.RLock(), DynamoHandler.call_action
    DynamoHandler.call_action = lambda self: _one_at_a_time(lock, handle, self)
    try:
        with mock_aws():
            from chalicelib import bootstrap, tables
            from chalicelib.tables.metrics import counting_calls
            bootstrap.reset()
            bootstrap.tables_ready()
            tables.create_all()
            charged_world(due)
            bootstrap.adapters().gateway = SlowGateway(latency)
            subscriptions = bootstrap.services().subscriptions
            started = time.perf_counter()
            with counting_calls() as count:
                waiting: queue.Queue = queue.Queue()
                for item in subscriptions.discover_due("live", NOW, per_org=due).items:
                    waiting.put(item)
                done: list[dict] = []

                def worker() -> None:
                    while True:
                        try:
                            item = waiting.get_nowait()
                        except queue.Empty:
                            return
                        outcome = subscriptions.run_due_item(item, NOW)
                        if outcome is not None:
                            done.append(outcome)
                threads = [threading.Thread(target=worker) for _ in range(concurrency)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            return time.perf_counter() - started, dict(count.operations), len(done)
    finally:
        DynamoHandler.call_action = handle


def _one_at_a_time(lock, handle, handler):
    with lock:
        return handle(handler)


def drain_section(due: int = DRAIN_DUE, concurrency=CONCURRENCY, latency: float = GATEWAY_LATENCY) -> list[str]:
    lines = ["", f"## Due work fanned out: {due} auto-charged renewals drained by 1, 4 and 16 workers", "",
             f"A discovery, then the workers taking its items (a Python queue stands in for SQS), the simulated "
             f"gateway answering each charge in {latency * 1000:.0f} ms, moto serving one DynamoDB call at a time.", "",
             "| workers | done | speed-up vs 1 | DynamoDB calls per renewal |", "|---|---|---|---|"]
    first, per_renewal = None, None
    for workers in concurrency:
        seconds, ops, done = one_drain(due, workers, latency)
        first = first or seconds
        calls = sum(ops.values()) / max(done, 1)
        per_renewal = per_renewal or calls
        lines.append(f"| {workers} | {done} | {first / seconds:.1f}x | {calls:.1f} |")
    lines += ["", "The speed-up is bounded here by moto answering one call at a time (its share of a renewal's time "
              "does not overlap); on AWS the workers' DynamoDB calls run in parallel too, and the gateway's "
              "latency, which does overlap, dominates."]
    paper = 100_000 * (STRIPE_LATENCY + per_renewal * DYNAMODB_CALL_SECONDS) / DEFAULT_CONCURRENCY
    lines += ["", f"On paper: 100,000 renewals at the template's default {DEFAULT_CONCURRENCY} workers, a "
              f"{STRIPE_LATENCY} s gateway and {per_renewal:.1f} DynamoDB calls of ~{DYNAMODB_CALL_SECONDS * 1000:.0f} ms "
              f"each per renewal: {paper / 60:.1f} minutes (goal <= 15). That is ~{100_000 / paper:.0f} charge requests a "
              "second, above Stripe's default live-mode limit of 100: see docs/deploy.md, \"Due work at scale\"."]
    return lines


if __name__ == "__main__":
    import sys
    print("\n".join(drain_section() if "--drain" in sys.argv else section()))
