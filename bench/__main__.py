"""`make bench`: cold start, DynamoDB calls per route, latency ratios, package size.
Prints ratios and counts, and writes bench/RESULTS.md. Not part of the test run."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                   "AWS_XRAY_SDK_ENABLED": "false", "PORTICO_TABLE_PREFIX": "bench-"})


def cold_start(runs: int = 9) -> tuple[float, float]:
    def median_import(code: str) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
            times.append(time.perf_counter() - started)
        return statistics.median(times)
    return median_import("import chalice, boto3, pynamodb.models"), median_import("import app")


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
                      "transaction counts once); the exceptions, each with its reason, are listed in "
                      "bench/scenarios.py.", "",
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
    floor, ours = cold_start()
    lines = ["# Bench results", "", f"Produced by `make bench` on {datetime.now(timezone.utc):%Y-%m-%d}; ratios, "
             "not absolute times (the machine varies).", "", "## Cold start (median of 9 fresh imports)", "",
             f"`import app` / floor (`import chalice, boto3, pynamodb`): **{ours / floor:.2f}x** "
             f"(target <= 1.5x)"]
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
