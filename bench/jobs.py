"""The cost of one scheduled run grows with the work due, not with the subscriptions there are:
the DynamoDB calls (and time) of a run with 50 renewals due among 500 and among many more
subscriptions (the drain of due work fanned out to workers is bench/drain.py). Run alone with
`python -m bench.jobs`, or as part of `make bench`.

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


if __name__ == "__main__":
    print("\n".join(section()))
