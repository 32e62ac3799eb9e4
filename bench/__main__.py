"""`make bench`: the Lambda package and its cold start, warm CPU and request units per route, the
monthly cost, DynamoDB calls per route, a scheduled run, what is owed with 10 and 1,000 paid
invoices behind, whether timing tells which accounts exist, a load run. Prints ratios and counts (never
wall-clock verdicts) and writes bench/RESULTS.md. Not part of the test run.

    python -m bench [--package build/dev/deployment.zip]

Needs the package `make package` builds (`make bench` builds it first)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                   "AWS_XRAY_SDK_ENABLED": "false", "PORTICO_TABLE_PREFIX": "bench-",
                   # the bench pays the demo customer's invoices dozens of times within an hour: with the
                   # payment velocity limit it would measure 429s instead of payments
                   "PORTICO_RATE_LIMITS": "payment_customer=100000"})
PACKAGE = ROOT / "build" / "dev" / "deployment.zip"
PACKAGE_LIMIT_MB = 12
PASSKEYS_LIMIT_MB = 18     # infra/slim.py says why
JOB_SIZES = (100, 1_000)     # `python -m bench.jobs` runs larger ones
LOAD_REQUESTS = 400


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--package", type=Path, default=PACKAGE)
    package = arguments.parse_args().package
    if not package.exists():
        raise SystemExit(f"no {package}: run `make package` first")
    started = time.perf_counter()
    lines = ["# Bench results", "", f"Produced by `make bench` on {datetime.now(timezone.utc):%Y-%m-%d}: ratios "
             "and counts, not absolute times (the machine varies). Goals not met yet say so.", ""]
    from bench.history import section as what_is_owed
    from bench.drain import section as drain
    from bench.jobs import section as scheduled_run
    from bench.timing import section as timing
    lines += package_section(package)
    lines += measured_on_local_aws(package)
    with timed("scheduled run"):
        lines += scheduled_run(JOB_SIZES)
    with timed("due work fanned out"):
        lines += drain()
    with timed("history"):
        lines += what_is_owed()
    with timed("timing of answers that must not tell"):
        lines += timing()
    with timed("load"):
        lines += load()
    lines += ["", f"(`python -m bench` took {time.perf_counter() - started:.0f} s on this machine, after the package "
                  "build.)"]
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "RESULTS.md").write_text(text)
    print(text)


@contextmanager
def timed(what: str):
    """How long `what` took, on stderr (to keep `make bench` within its few minutes)."""
    started = time.perf_counter()
    yield
    print(f"bench: {what} took {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


def package_section(package: Path) -> list[str]:
    size = package.stat().st_size / 1e6
    verdict = "" if size <= PACKAGE_LIMIT_MB else " **over the goal**"
    lines = ["## Lambda package", "",
             f"`{_shown(package)}`: {size:.1f} MB zipped "
             f"(goal <= {PACKAGE_LIMIT_MB} MB){verdict}, with bytecode for the modules requests import "
             "(infra/bytecode.py; tests/integration/test_package.py checks it). The cold start below is its."]
    passkeys = package.with_name("passkeys.zip")
    if passkeys.exists():
        lines += ["", f"`{_shown(passkeys)}`, the passkeys function's (the same with py_webauthn and cryptography, "
                      f"for the passkey routes alone; docs/deploy.md): {passkeys.stat().st_size / 1e6:.1f} MB zipped "
                      f"(limit {PASSKEYS_LIMIT_MB} MB)."]
    return lines


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def measured_on_local_aws(package: Path) -> list[str]:
    """Cold start, warm CPU, units and cost, calls per route: one seeded local AWS for all of them."""
    from bench.cold_start import cold_start
    from exercise.local_aws import signed_in_local_aws
    with ExitStack() as local:
        with timed("seeding the local AWS"):
            aws = local.enter_context(signed_in_local_aws())
        with timed("cold start"):
            cold = cold_start(package, aws.environment)
        from app import app
        from exercise.examples import examples
        from bench.lambda_like import dynamodb_calls
        from bench.warm_cpu import as_request, warm_cpu
        from bench.yardstick import make_app
        me = next(as_request(e, aws.world) for e in examples(aws.world) if e.key == ("GET", "/portal/me"))
        yardstick = make_app(dynamodb_calls(app, me))
        with timed("warm CPU"):
            warm = warm_cpu(app, yardstick, aws.world)
        with timed("calls per route"):
            calls = calls_per_route(app, aws.world)
    return ["", "## Cold start, as Lambda runs the package", "", *cold.lines(package),
            "", "## Warm CPU and request units per route", "", *warm.lines(),
            "", "## Monthly cost of a merchant", "", *cost(warm, cold.portico_seconds),
            *calls]


def cost(warm, cold_start_seconds: float) -> list[str]:
    from bench.cost_model import Deployment, RouteUsage, section
    from infra.parameters import PARAMETERS
    stage = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"]["prod"]
    usage = {route.key: RouteUsage(
        lambdas=route.profile.invocation.lambdas, cpu_seconds=route.cpu_seconds,
        dynamodb_calls=sum(route.profile.dynamodb_calls.values()),
        other_aws_calls=sum(route.profile.other_calls.values()), read_units=route.profile.read_units,
        write_units=route.profile.write_units, emails=route.profile.emails_queued,
        log_bytes=route.profile.log_bytes) for route in warm.routes}
    return section(usage, Deployment(memory_mb=stage["lambda_memory_size"],
                                     trace_sample_rate=PARAMETERS["TraceSampleRate"]["Default"],
                                     log_retention_days=PARAMETERS["LogRetentionDays"]["Default"],
                                     cold_start_seconds=cold_start_seconds))


def calls_per_route(app, world) -> list[str]:
    """Every route's example, in order (writes included, signing out last), through chalice's test
    client: DynamoDB calls against the budget, and request units."""
    from chalice.test import Client

    from exercise.examples import measure
    from bench.lambda_like import quiet
    from exercise.scenarios import BUDGET_EXCEPTIONS, READ_BUDGET, WRITE_BUDGET, within_budget
    lines = ["", "## DynamoDB calls and request units per route (each route's example from exercise/examples.py, "
                 "in order)", "",
             f"Budget: reads <= {READ_BUDGET} (session check included), writes <= {WRITE_BUDGET} (a transaction "
             f"counts once); exceptions listed in exercise/scenarios.py: {len(BUDGET_EXCEPTIONS) or 'none'}. "
             "Request units as DynamoDB bills them on demand (exercise/request_units.py).", "",
             "| route | status | reads | writes | RRU | WRU | within budget |", "|---|---|---|---|---|---|---|"]
    with Client(app) as client, quiet():
        measured = measure(client, world)
    for m in measured:
        verdict = "yes" if within_budget(m.reads, m.writes) else \
            "exception" if m.example.key in BUDGET_EXCEPTIONS else "NO"
        status = f"{m.status} ({m.example.why})" if m.example.why else m.status
        lines.append(f"| {m.example.spec.method} {m.example.spec.path} | {status} | {m.reads} | {m.writes} | "
                     f"{m.units.read:g} | {m.units.write:g} | {verdict} |")
    return lines


def load() -> list[str]:
    import requests

    from exercise.load import report, run_load
    from devstack.seed import DEMO_PASSWORD
    from devstack.launcher import start_devstack
    stack = start_devstack("bench-load-")
    try:
        login = requests.post(f"{stack.api_url}/portal/auth/login", timeout=10, json={
            "organization": "org_demo", "email": "ada@acme-analytics.example", "password": DEMO_PASSWORD})
        return report(run_load(stack.api_url, stack.printed("Admin API key"), login.json()["token"],
                               total=LOAD_REQUESTS))
    finally:
        stack.interrupt()


if __name__ == "__main__":
    main()
