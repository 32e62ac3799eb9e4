"""`make bench`: cold start, DynamoDB calls per route, latency ratios, package size.
Prints ratios and counts, and writes bench/RESULTS.md. Not part of the test run."""
from __future__ import annotations

import logging
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                   "AWS_XRAY_SDK_ENABLED": "false", "PORTICO_TABLE_PREFIX": "bench-"})


FLOOR = ("-c", "import chalice, boto3, pynamodb.models")
IMPORT_APP = ("-c", "import app")
FIRST_REQUEST = ("-m", "bench.first_request")   # import app + authorizer + GET /portal/me


@dataclass(frozen=True)
class ColdStart:
    """Median wall times (seconds) of fresh processes, and their ratios to the floor."""
    floor: float
    import_app: float
    first_request: float

    @property
    def import_ratio(self) -> float:
        return self.import_app / self.floor

    @property
    def first_request_ratio(self) -> float:
        return self.first_request / self.floor

    def lines(self) -> list[str]:
        return [f"`import app` / floor (`import chalice, boto3, pynamodb.models`): **{self.import_ratio:.2f}x** "
                "(target <= 1.5x)", "",
                f"`import app` + the first `GET /portal/me` (authorizer included, against a local moto "
                f"server) / floor: **{self.first_request_ratio:.2f}x**", "",
                "This section alone: `.venv/bin/python -c \"from bench.__main__ import cold_start; "
                "print(*cold_start().lines(), sep=chr(10))\"`"]


def cold_start(runs: int = 9) -> ColdStart:
    """Each round runs the three fresh processes in turn, so a loaded machine slows all alike."""
    times: dict[tuple, list[float]] = {FLOOR: [], IMPORT_APP: [], FIRST_REQUEST: []}
    with signed_in_local_aws() as environment:
        for _ in range(runs):
            for command in times:
                started = time.perf_counter()
                subprocess.run([sys.executable, *command], check=True, cwd=ROOT, env=environment)
                times[command].append(time.perf_counter() - started)
    return ColdStart(*(statistics.median(times[command]) for command in (FLOOR, IMPORT_APP, FIRST_REQUEST)))


@contextmanager
def signed_in_local_aws():
    """moto's server on a free port with the demo world seeded; yields the environment of a
    process that uses it, with a portal session token of the demo customer."""
    from bench.scenarios import build_world
    from chalicelib import bootstrap, tables
    from devstack.server import start_embedded_aws
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # moto's server: no line per call
    moto = start_embedded_aws(0)
    try:
        os.environ["PORTICO_AWS_ENDPOINT"] = "http://%s:%d" % moto.get_host_and_port()
        bootstrap.reset()
        bootstrap.tables_ready()
        tables.create_all()
        world = build_world(datetime.now(timezone.utc))
        yield {**os.environ, "BENCH_PORTAL_TOKEN": world.portal_token}
    finally:
        os.environ.pop("PORTICO_AWS_ENDPOINT", None)
        bootstrap.reset()
        moto.close()


def routes_and_latency(lines: list[str]) -> None:
    from chalice.test import Client
    from moto import mock_aws

    with mock_aws():
        from app import app
        from bench.examples import examples, measure, send
        from bench.scenarios import BUDGET_EXCEPTIONS, READ_BUDGET, WRITE_BUDGET, build_world, token_for, within_budget
        from chalicelib import bootstrap, tables
        bootstrap.reset()
        bootstrap.tables_ready()
        tables.create_all()
        world = build_world(datetime.now(timezone.utc))
        with Client(app) as client:
            def median_ms(example, n=30):
                samples = []
                for _ in range(n):
                    started = time.perf_counter()
                    send(client, example, token_for(world, example.spec))
                    samples.append(time.perf_counter() - started)
                return statistics.median(samples) * 1000

            # latency first: the examples end by changing the password and signing out
            reads = {e.spec.path: e for e in examples(world) if e.spec.method == "GET"}
            trivial = median_ms(reads["/openapi.json"])
            ratios = [f"| GET {main} | {median_ms(reads[main]) / trivial:.1f}x |" for main in (
                "/portal/me", "/portal/dashboard", "/portal/subscriptions", "/portal/invoices", "/admin/customers")]
            lines += ["", "## DynamoDB calls per route (each route's example from bench/examples.py, in order)", "",
                      f"Budget: reads <= {READ_BUDGET} (session check included), writes <= {WRITE_BUDGET} (a "
                      f"transaction counts once); exceptions listed in bench/scenarios.py: "
                      f"{len(BUDGET_EXCEPTIONS) or 'none'}.", "",
                      "| route | status | reads | writes | within budget |", "|---|---|---|---|---|"]
            for m in measure(client, world):
                verdict = "yes" if within_budget(m.reads, m.writes) else \
                    "exception" if m.example.key in BUDGET_EXCEPTIONS else "NO"
                status = f"{m.status} ({m.example.why})" if m.example.why else m.status
                lines.append(f"| {m.example.spec.method} {m.example.spec.path} | {status} | {m.reads} | "
                             f"{m.writes} | {verdict} |")
            lines += ["", "## In-process latency, as a ratio to a trivial route (GET /openapi.json, cached)", "",
                      "| route | ratio |", "|---|---|", *ratios]


def package_size(lines: list[str]) -> None:
    package = ROOT / "build" / "dev" / "deployment.zip"
    lines += ["", "## Lambda package", ""]
    if package.exists():
        size = package.stat().st_size / 1e6
        lines.append(f"build/dev/deployment.zip: {size:.1f} MB zipped (target < 25 MB; `make package` slims it)")
    else:
        lines.append("No build/dev/deployment.zip: run `make package` first.")


def load(lines: list[str]) -> None:
    import requests

    from bench.load import report, run_load
    from devstack.seed import DEMO_PASSWORD
    from tests.support.live_stack import start_devstack
    stack = start_devstack("bench-load-")
    try:
        login = requests.post(f"{stack.api_url}/portal/auth/login", timeout=10, json={
            "organization": "org_demo", "email": "ada@acme-analytics.example", "password": DEMO_PASSWORD})
        lines += report(run_load(stack.api_url, stack.printed("Admin API key"), login.json()["token"]))
    finally:
        stack.interrupt()


def main() -> None:
    lines = ["# Bench results", "", f"Produced by `make bench` on {datetime.now(timezone.utc):%Y-%m-%d}; ratios, "
             "not absolute times (the machine varies).", "", "## Cold start (median of 9 fresh processes)", "",
             *cold_start().lines()]
    routes_and_latency(lines)
    from bench.jobs import section as scheduled_run
    lines += scheduled_run()
    load(lines)
    package_size(lines)
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "RESULTS.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
