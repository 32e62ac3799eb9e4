"""The app's scheduled functions, run on a local timer instead of EventBridge, and its queue
workers, run by a small pool polling moto's SQS as Lambda's event source mapping would: a batch
received, the handler called with it, the messages it did not report as failed deleted (the
others come back after their visibility timeout)."""
from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timezone

from chalice.app import Chalice, ScheduledEventConfig, SQSEventConfig
from chalice.local import LambdaContext

log = logging.getLogger("devstack.schedules")

LOCAL_ACCOUNT = "123456789012"


def scheduled_handlers(app: Chalice) -> dict[str, Callable]:
    """Every `@app.schedule` (or blueprint schedule) handler, by its function name."""
    return {source.name: app.handler_map[source.name] for source in app.event_sources
            if isinstance(source, ScheduledEventConfig)}


def queue_handlers(app: Chalice) -> dict[str, Callable]:
    """Every `@app.on_sqs_message` handler, by its function name."""
    return {source.name: app.handler_map[source.name] for source in app.event_sources
            if isinstance(source, SQSEventConfig)}


def sqs_event(messages: list[dict], queue_arn: str, region: str) -> dict:
    """The event Lambda's SQS event source sends: the received messages as records."""
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}), "messageAttributes": {}, "md5OfBody": m.get("MD5OfBody"),
        "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": region} for m in messages]}


def deliver_once(handler: Callable, client, queue_url: str, *, region: str, batch_size: int = 10,
                 wait_seconds: int = 0) -> int:
    """One batch from the queue through `handler`, as the event source mapping does with
    ReportBatchItemFailures: the messages received (0: the queue was empty)."""
    received = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=batch_size,
                                      WaitTimeSeconds=wait_seconds, AttributeNames=["All"]).get("Messages", [])
    if not received:
        return 0
    arn = client.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    context = LambdaContext(function_name="due_work_worker", memory_size=512, max_runtime_ms=300_000)
    try:
        answer = handler(sqs_event(received, arn, region), context) or {}
    except Exception:  # noqa: BLE001 - the whole batch failed: every message comes back
        log.exception("queue worker failed a batch of %d", len(received))
        return len(received)
    failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
    done = [m for m in received if m["MessageId"] not in failed]
    if done:
        client.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(done)])
    return len(received)


def create_queue(client, name: str, *, visibility_seconds: int = 30, receive_limit: int = 5) -> str:
    """A queue and its dead-letter queue (`<name>-dead-letters`), as the template makes them; its URL.
    Creating one that exists with the same attributes is harmless (a restarted devstack)."""
    dead = client.create_queue(QueueName=f"{name}-dead-letters")["QueueUrl"]
    dead_arn = client.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return client.create_queue(QueueName=name, Attributes={
        "VisibilityTimeout": str(visibility_seconds),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": receive_limit})})["QueueUrl"]


class QueueWorkers:
    """`size` threads each delivering batches from `queue_url` to `handler` until stopped."""

    def __init__(self, handler: Callable, client, queue_url: str, *, region: str, size: int = 4,
                 batch_size: int = 10):
        self.handler, self.client, self.queue_url = handler, client, queue_url
        self.region, self.batch_size = region, batch_size
        self._stopping = threading.Event()
        self._threads = [threading.Thread(target=self._run, name=f"queue-worker-{n}", daemon=True)
                         for n in range(size)]

    def start(self) -> "QueueWorkers":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                if not deliver_once(self.handler, self.client, self.queue_url, region=self.region,
                                    batch_size=self.batch_size, wait_seconds=1):
                    self._stopping.wait(0.5)
            except Exception:  # noqa: BLE001 - a worker outlives a failing poll (moto restarting)
                log.exception("polling %s failed", self.queue_url)
                self._stopping.wait(1.0)


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
