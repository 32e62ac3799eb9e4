"""CloudWatch metrics in the embedded metric format (EMF): one JSON line on stdout per measurement,
which CloudWatch Logs turns into metrics of the `Portico` namespace, per stack (PORTICO_STACK, set by
the template). No API call, no client, nothing on the request's path but a print.

    metrics.count("PaymentsSucceeded", source="portal")

Written inside a Lambda (and wherever PORTICO_METRICS=on); `make run` and the tests stay quiet.
The alarms of infra/operations.py watch these names: `NAMES` lists them, and a test keeps the two
in step."""
from __future__ import annotations

import json
import os
import sys
import time

from . import logs

NAMESPACE = "Portico"
NAMES = ("PaymentsSucceeded", "PaymentsFailed", "JobItemsDone", "JobItemsFailed", "JobItemsLeftOver",
         "EmailsFailed", "WebhooksRejected")


def count(name: str, value: int = 1, **properties) -> None:
    """Add `value` to the count `name`; `properties` travel along (searchable, not dimensions)."""
    record({name: value}, **properties)


def record(values: dict[str, float], *, unit: str = "Count", **properties) -> None:
    """Several measurements of one moment (e.g. a job run's done / failed / left over)."""
    unknown = set(values) - set(NAMES)
    if unknown:
        raise ValueError(f"not a Portico metric: {sorted(unknown)}")
    if not values or not enabled():
        return
    line = {"_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{
                "Namespace": NAMESPACE, "Dimensions": [["Stack"]],
                "Metrics": [{"Name": name, "Unit": unit} for name in values]}]},
            "Stack": os.environ.get("PORTICO_STACK", "local"), **logs.masked_fields(properties),
            **logs.current_invocation(), **values}
    sys.stdout.write(json.dumps(line, default=str) + "\n")
    sys.stdout.flush()


def enabled() -> bool:
    switch = os.environ.get("PORTICO_METRICS", "").lower()
    return switch == "on" or (switch != "off" and "AWS_LAMBDA_FUNCTION_NAME" in os.environ)
