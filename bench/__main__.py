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
        from bench.scenarios import READ_BUDGET, WRITE_BUDGET, build_world, headers_for, read_budget, readable_routes
        from chalicelib import bootstrap, tables
        from chalicelib.tables.metrics import counting_calls
        bootstrap.reset()
        bootstrap.tables_ready()
        tables.create_all()
        world = build_world(datetime.now(timezone.utc))
        with Client(app) as client:
            def call(spec, path):
                return client.http.get(path, headers=headers_for(world, spec))

            lines += ["", "## DynamoDB calls per route (GET routes of the demo customer)", "",
                      f"Budget: reads <= {READ_BUDGET} (session check included), writes <= {WRITE_BUDGET}; "
                      "statements are allowed 5 reads (see bench/scenarios.py).", "",
                      "| route | status | reads | writes | within budget |", "|---|---|---|---|---|"]
            for spec, path in readable_routes(world):
                call(spec, path)   # warm
                with counting_calls() as count:
                    answer = call(spec, path)
                ok = count.reads <= read_budget(spec.path) and count.writes <= WRITE_BUDGET
                lines.append(f"| {spec.method} {spec.path} | {answer.status_code} | {count.reads} | {count.writes} | "
                             f"{'yes' if ok else 'NO'} |")

            def median_ms(spec, path, n=30):
                samples = []
                for _ in range(n):
                    started = time.perf_counter()
                    call(spec, path)
                    samples.append(time.perf_counter() - started)
                return statistics.median(samples) * 1000

            routes = {spec.path: (spec, path) for spec, path in readable_routes(world)}
            trivial = median_ms(*routes["/openapi.json"])
            lines += ["", "## In-process latency, as a ratio to a trivial route (GET /openapi.json, cached)", "",
                      "| route | ratio |", "|---|---|"]
            for main in ("/portal/me", "/portal/dashboard", "/portal/subscriptions", "/portal/invoices",
                         "/admin/customers"):
                if main in routes:
                    lines.append(f"| GET {main} | {median_ms(*routes[main]) / trivial:.1f}x |")


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
