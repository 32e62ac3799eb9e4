"""Around each scheduled run: the tables, the invocation's log context, an X-Ray subsegment, and one
`job` log line with the outcome."""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Any, Iterator

from .. import bootstrap, logs, tracing

log = logs.logger("portico.jobs")


class JobRun:
    def __init__(self, name: str, lambda_context: Any):
        self.name, self.lambda_context = name, lambda_context
        self.outcome: dict = {}

    def finished(self, **outcome) -> None:
        self.outcome = outcome


@contextmanager
def observed(event, name: str) -> Iterator[JobRun]:
    lambda_context = getattr(event, "context", None)
    started = time.perf_counter()
    with logs.invocation(function=name, aws_request_id=getattr(lambda_context, "aws_request_id", None)):
        run = JobRun(name, lambda_context)
        try:
            bootstrap.tables_ready()
            with tracing.subsegment(f"job:{name}", job=name):
                yield run
        except Exception:
            log.exception("job %s failed", name)
            raise   # the invocation fails: retried, then sent to the failure destination
        fields = {"type": "job", "job": name, "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                  **run.outcome}
        log.info("job %s: %s", name, ", ".join(f"{k} {v}" for k, v in run.outcome.items()),
                 extra={"fields": fields})
