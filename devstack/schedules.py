"""The app's scheduled functions, run on a local timer instead of EventBridge."""
from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timezone

from chalice.app import Chalice, ScheduledEventConfig
from chalice.local import LambdaContext

log = logging.getLogger("devstack.schedules")

LOCAL_ACCOUNT = "123456789012"


def scheduled_handlers(app: Chalice) -> dict[str, Callable]:
    """Every `@app.schedule` (or blueprint schedule) handler, by its function name."""
    return {source.name: app.handler_map[source.name] for source in app.event_sources
            if isinstance(source, ScheduledEventConfig)}


def cloudwatch_event(name: str, region: str, now: datetime) -> dict:
    """The event EventBridge sends to a scheduled Lambda."""
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events",
            "account": LOCAL_ACCOUNT, "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "region": region,
            "resources": [f"arn:aws:events:{region}:{LOCAL_ACCOUNT}:rule/{name}"], "detail": {}}


class ScheduleTimer:
    """Calls every scheduled handler each `interval_seconds`; a failing job is logged, the rest go on."""

    def __init__(self, handlers: dict[str, Callable], *, region: str, interval_seconds: float = 30.0):
        self.handlers, self.region, self.interval = handlers, region, interval_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="schedules", daemon=True)

    def start(self) -> "ScheduleTimer":
        if self.handlers:
            self._thread.start()
        return self

    def run_once(self) -> None:
        for name, handler in self.handlers.items():
            if self._stopping.is_set():
                return
            try:
                context = LambdaContext(function_name=name, memory_size=512, max_runtime_ms=300_000)
                handler(cloudwatch_event(name, self.region, datetime.now(timezone.utc)), context)
            except Exception:  # noqa: BLE001 - one broken job must not stop the timer
                log.exception("scheduled job %s failed", name)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            self.run_once()
