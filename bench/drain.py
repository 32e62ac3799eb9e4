"""Due work fanned out, measured: a discovery, then 1, 4 and 16 workers taking its items until none
is left, the simulated gateway answering each charge in Stripe's 0.4 s; the drain time ratios, the
DynamoDB calls per renewal against the serial run's, and from them, on paper, 100,000 renewals at
the template's default concurrency and charge rate. Run alone with `python -m bench.drain`, or as
part of `make bench`.

Where the time goes, and why it is measured this way. On AWS a worker's renewal is ~0.4 s waiting
on Stripe and ~0.1 s on DynamoDB, and the workers share nothing but DynamoDB (which serves them in
parallel) and Stripe's rate limit; each has a CPU of its own. Here the workers are threads of one
process on a machine of two cores, so their CPU does not overlap and moto does not serve them in
parallel. With moto in the same process and the gateway shortened to 0.1 s, 4 workers were 1.7x
one: every renewal's CPU (the app's and moto's) was serial, moto's transactions copied whole
tables (their cost growing with the drain), and its answers went through a generic serializer
costing more than the rest of its work. Now moto's server runs in a process of its own (the app's
CPU and moto's overlap, as the app's and DynamoDB's do), backs transactions up per item and writes
item answers as the JSON they are (bench/moto_items.py), and the gateway waits Stripe's real
round trip, not a shortened one: the wait dominates as it does on AWS. What is left serial is the
CPU, reported per renewal beside the ratios, with the machine's load average."""
from __future__ import annotations

import logging
import math
import os
import queue
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Iterator

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("PORTICO_TABLE_PREFIX", "bench-")
os.environ.setdefault("AWS_XRAY_SDK_ENABLED", "false")

from bench.jobs import NOW  # noqa: E402 - after the environment it sets
from infra.operations import DUE_WORK_RECEIVE_LIMIT  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DUE = 160                      # renewals drained; ~80 s for one worker at 0.4 s each
CONCURRENCY = (1, 4, 16)
BATCH_SIZE = 10                # messages a worker takes at once (the template's DueWorkBatchSize)
GATEWAY_LATENCY = 0.4          # seconds a simulated charge takes: Stripe's round trip, not scaled down
SERIAL_DUE = DUE               # renewals of the serial run the calls are compared with
PAPER_RENEWALS = 100_000
PAPER_GOAL_MINUTES = 15
# Stripe's documented live-mode limits (docs.stripe.com/rate-limits): 100 requests a second per
# account, and 25 a second on each endpoint unless noted (POST /v1/payment_intents is one).
STRIPE_ACCOUNT_LIMIT = 100
STRIPE_ENDPOINT_LIMIT = 25
RAISED_CHARGES_PER_SECOND = 120    # with Stripe's limits raised on request (docs/deploy.md)


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
    """An organization whose `due` customers each have a saved card and an auto-charged renewal due at
    NOW: real renewals are spread over customers (one customer's renewals would all contend for its
    account summary, which no real due day does)."""
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
    ends = NOW.date()
    with SubscriptionItem.batch_write() as batch:
        for n in range(due):
            made = NOW - timedelta(seconds=n)
            gateway_customer = simulated.ensure_customer(
                org_id=org.org_id, customer_id=f"bench{n}", email=f"zoe{n}@globex.example", name=f"Globex {n}",
                existing_gateway_customer_id=None, idempotency_key=f"bench{n}")
            card = simulated.attach_method(gateway_customer_id=gateway_customer, method_id="pm_card_visa")
            customer = adapters.uow.customers.add(org.org_id, Customer(
                new_id("customer", made), f"Globex {n}", f"zoe{n}@globex.example", "USD", created_at=NOW,
                gateway_customer_id=gateway_customer))
            method = PaymentMethod(new_id("payment_method", made), customer.customer_id, simulated.name,
                                   card.gateway_method_id, "visa", "4242", 12, 2030, NOW, is_default=True,
                                   gateway_customer_id=gateway_customer)
            with adapters.uow.transaction("bench card") as tx:
                adapters.uow.payment_methods.put_in(tx, org.org_id, method)
            sub = Subscription(subscription_id=new_id("subscription", made), customer_id=customer.customer_id,
                               status=Status.LIVE, plan=PlanSnapshot("pro", "Pro", 10_000), currency="USD",
                               auto_charge=True, payment_method_id=method.payment_method_id,
                               created_at=NOW - timedelta(days=30), activated_at=NOW - timedelta(days=30),
                               term_start=ends - timedelta(days=30), term_end=ends, billing_anchor=ends)
            item = item_for(org.org_id, sub, clock="live")
            item.version = 1
            batch.save(item)


@contextmanager
def moto_server() -> Iterator[int]:
    """A fresh moto server in a process of its own (`python -m bench.drain --serve`), this process's
    adapters pointed at it with the tables made; its process id."""
    from chalicelib import bootstrap, tables
    server = subprocess.Popen([sys.executable, "-m", "bench.drain", "--serve"], cwd=ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        port = int(server.stdout.readline())
        os.environ["PORTICO_AWS_ENDPOINT"] = f"http://127.0.0.1:{port}"
        bootstrap.reset()
        bootstrap.tables_ready()
        tables.create_all()
        yield server.pid
    finally:
        os.environ.pop("PORTICO_AWS_ENDPOINT", None)
        bootstrap.reset()
        server.stdin.close()
        server.wait(timeout=30)


def serve() -> None:
    """The moto server of one drain: its port on stdout, then serving until stdin closes."""
    from bench.moto_items import item_answers_as_json, transactions_backing_up_items
    from devstack.server import start_embedded_aws
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with transactions_backing_up_items(), item_answers_as_json():
        moto = start_embedded_aws(0)
        print(moto.get_host_and_port()[1], flush=True)
        sys.stdin.read()
        moto.close()


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_drain(due: int, concurrency: int, latency: float) -> dict:
    """A discovery, then `concurrency` workers (threads) taking its items until none is left, over
    a fresh world: seconds, DynamoDB calls by operation, renewals done, CPU of the app and of moto."""
    from chalicelib import bootstrap
    from chalicelib.tables.metrics import counting_calls

    with moto_server() as moto_pid:
        charged_world(due)
        bootstrap.adapters().gateway = SlowGateway(latency)
        subscriptions = bootstrap.services().subscriptions
        app_cpu, moto_cpu, load = time.process_time(), cpu_seconds(moto_pid), os.getloadavg()[0]
        started = time.perf_counter()
        with counting_calls() as count:
            waiting: queue.Queue = queue.Queue()
            for item in subscriptions.discover_due("live", NOW, per_org=due).items:
                waiting.put((item, 1))
            done: list[dict] = []
            redelivered: list = []
            dead_lettered: list = []

            def worker() -> None:   # as Lambda's event source: batches, an organization read once a batch
                while True:
                    batch = []
                    while len(batch) < BATCH_SIZE and not waiting.empty():
                        try:
                            batch.append(waiting.get_nowait())
                        except queue.Empty:
                            break
                    if not batch:
                        return
                    orgs: dict = {}
                    for item, receives in batch:
                        try:
                            outcome = subscriptions.run_due_item(item, NOW, orgs)
                        except Exception:  # noqa: BLE001 - as the worker answers a batch item failure
                            if receives < DUE_WORK_RECEIVE_LIMIT:
                                redelivered.append(item)
                                waiting.put((item, receives + 1))    # SQS delivers it again
                            else:
                                dead_lettered.append(item)
                            continue
                        if outcome is not None:
                            done.append(outcome)
            threads = [threading.Thread(target=worker) for _ in range(concurrency)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        return {"seconds": time.perf_counter() - started, "calls": sum(count.operations.values()),
                "done": len(done), "redelivered": len(redelivered), "dead_lettered": len(dead_lettered), "app_cpu": time.process_time() - app_cpu,
                "moto_cpu": cpu_seconds(moto_pid) - moto_cpu, "load": max(load, os.getloadavg()[0])}


def serial_calls_per_renewal(due: int = SERIAL_DUE) -> float:
    """DynamoDB calls per renewal of the serial run (no queue), over the same world."""
    from chalicelib import bootstrap
    from chalicelib.tables.metrics import counting_calls

    with moto_server():
        charged_world(due)
        bootstrap.adapters().gateway = SlowGateway(0)
        with counting_calls() as count:
            report = bootstrap.services().subscriptions.run_due("live", NOW, budget_seconds=900)
        return sum(count.operations.values()) / max(len(report.done), 1)


def template_defaults() -> tuple[int, float, int]:
    """The template's default worker concurrency, charges a second, and items per organization."""
    from infra.parameters import PARAMETERS
    return (PARAMETERS["DueWorkConcurrency"]["Default"], PARAMETERS["DueWorkChargesPerSecond"]["Default"],
            PARAMETERS["DueWorkPerOrganization"]["Default"])


def on_paper(seconds_per_renewal: float, concurrency: int, charges_per_second: float) -> tuple[float, str]:
    """Minutes for PAPER_RENEWALS auto-charged renewals, and what bounds them."""
    by_workers = concurrency / seconds_per_renewal
    rate = min(by_workers, charges_per_second)
    bound = "the workers" if by_workers < charges_per_second else "the charge rate"
    return PAPER_RENEWALS / rate / 60, bound


def section(due: int = DUE, concurrency=CONCURRENCY, latency: float = GATEWAY_LATENCY) -> list[str]:
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)   # 16 threads, a pool of 10
    lines = ["", f"## Due work fanned out: {due} auto-charged renewals drained by "
                 f"{', '.join(map(str, concurrency[:-1]))} and {concurrency[-1]} workers", "",
             f"A discovery, then the workers (threads; a Python queue stands in for SQS) taking its items until "
             f"none is left, the simulated gateway answering each charge in {latency:g} s (Stripe's round trip, "
             f"not scaled down), moto's server in a process of its own answering DynamoDB one call at a time "
             f"(bench/drain.py says why). CPU per renewal: this process's (the app's) and moto's.", "",
             "A renewal that fails (a conflict it gave up on) is put back in the queue, as the worker answers it "
             f"as a batch item failure and SQS delivers it again, up to the queue's {DUE_WORK_RECEIVE_LIMIT} "
             "receives; 'delivered again' counts those. Here it is taken again at once; SQS delivers it only "
             "after the queue's visibility timeout (infra/operations.py), which each one adds to a real drain.", "",
             "| workers | done | delivered again | drain time vs 1 worker | speed-up / workers | DynamoDB calls per "
             "renewal | app CPU per renewal | moto CPU per renewal | load average |",
             "|---|---|---|---|---|---|---|---|---|"]
    runs = [one_drain(due, workers, latency) for workers in concurrency]
    first = runs[0]
    for workers, run in zip(concurrency, runs):
        done = max(run["done"], 1)
        speed_up = first["seconds"] / run["seconds"]
        lines.append(f"| {workers} | {run['done']} | {run['redelivered']}"
                     + (f" ({run['dead_lettered']} dead-lettered)" if run["dead_lettered"] else "")
                     + f" | {run['seconds'] / first['seconds']:.3f} ({speed_up:.1f}x) | "
                     f"{speed_up / workers:.0%} | {run['calls'] / done:.2f} | {run['app_cpu'] / done * 1000:.0f} ms | "
                     f"{run['moto_cpu'] / done * 1000:.0f} ms | {run['load']:.1f} |")
    serial = serial_calls_per_renewal()
    fanned = first["calls"] / max(first["done"], 1)
    org_reads = (math.ceil(first["done"] / BATCH_SIZE) - 1) / max(first["done"], 1)
    cpu = (first["app_cpu"] + first["moto_cpu"]) / max(first["done"], 1)
    lines += ["", f"DynamoDB calls per renewal: {fanned:.2f} fanned out (the discovery's Queries included) against "
              f"{serial:.2f} in the serial run over the same world ({SERIAL_DUE} renewals): "
              + (f"{fanned - serial:+.2f}, the organization read once a batch of {BATCH_SIZE} rather than once a run "
                 f"({org_reads:.2f} a renewal); otherwise unchanged: the message carries the subscription the "
                 "discovery read, so the worker makes the serial run's calls."
                 if fanned - serial <= org_reads + 0.01 else f"**{fanned - serial:+.2f} more**.")]
    lines += ["", f"What bounds the speed-up here: the renewals' CPU ({cpu * 1000:.0f} ms each, app and moto) runs on "
              f"this machine's {os.cpu_count()} cores, shared with whatever else runs (the load average); at "
              f"{concurrency[-1]} workers they need ~{concurrency[-1] * cpu / (latency + cpu):.1f} cores' worth. On "
              "AWS each worker is a Lambda with its own CPU and DynamoDB serves them in parallel: nothing the "
              "workers share serialises them but the gateway's rate limit, which the template sets (below)."]
    seconds_per_renewal = first["seconds"] / max(first["done"], 1)
    workers, charges, per_org = template_defaults()
    minutes, bound = on_paper(seconds_per_renewal, workers, charges)
    raised_workers = math.ceil(RAISED_CHARGES_PER_SECOND * seconds_per_renewal)   # enough to keep up with it
    raised_minutes, raised_bound = on_paper(seconds_per_renewal, raised_workers, RAISED_CHARGES_PER_SECOND)
    needed = PAPER_RENEWALS / (PAPER_GOAL_MINUTES * 60)
    lines += ["", f"On paper, from the measured {seconds_per_renewal:.2f} s a renewal (one worker, {latency:g} s of it "
              f"the gateway): {PAPER_RENEWALS:,} auto-charged renewals due at once, at the template's defaults "
              f"(`DueWorkConcurrency` {workers}, `DueWorkChargesPerSecond` {charges:g}), take **{minutes:.0f} "
              f"minutes** (bound by {bound}; goal <= {PAPER_GOAL_MINUTES}: **not met under Stripe's default "
              f"limits**). {PAPER_RENEWALS:,} charges in {PAPER_GOAL_MINUTES} minutes are {needed:.0f} "
              f"PaymentIntents a second: above Stripe's live-mode default of {STRIPE_ENDPOINT_LIMIT} a second on "
              f"one endpoint and {STRIPE_ACCOUNT_LIMIT} a second per account. Within the defaults, "
              f"{PAPER_GOAL_MINUTES} minutes carry {charges * PAPER_GOAL_MINUTES * 60:,.0f} charges; due items "
              f"that charge no card (cancellations, trial ends without a price, invoices paid by credit) are not "
              f"paced. With Stripe's limits raised on request (docs/deploy.md, \"Due work at scale\") and "
              f"`DueWorkChargesPerSecond` {RAISED_CHARGES_PER_SECOND} with `DueWorkConcurrency` {raised_workers} (the "
              f"workers that keep up with it at the measured cost): {raised_minutes:.0f} minutes "
              f"(bound by {raised_bound}). No extra DynamoDB call per renewal either way: the pacing is in the "
              f"worker's memory (`DueWorkPerOrganization` defaults to {per_org:,}, a cycle of the defaults' work)."]
    return lines


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve()
    else:
        print("\n".join(section()))
