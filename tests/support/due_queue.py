"""The due-work queue on moto's SQS, with its dead-letter queue, as the template makes them; and a
delivery of its messages to the worker as Lambda's event source mapping does (devstack/schedules.py)."""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

RECEIVE_LIMIT = 3      # as the template's redrive policy


@dataclass
class DueQueue:
    client: Any
    url: str
    dead_letters_url: str

    def deliver(self, c, *, batch_size: int = 10) -> int:
        """One batch through the worker (chalice's test client invokes it); the messages received."""
        from devstack.schedules import deliver_once

        def invoke(event, context):
            return c.lambda_.invoke("due_work_worker", event).payload
        return deliver_once(invoke, self.client, self.url, region="us-east-1", batch_size=batch_size)

    def drain(self, c, *, batch_size: int = 10) -> int:
        """Deliver until the queue is empty (a failing message ends in the dead-letter queue); batches."""
        batches = 0
        while self.deliver(c, batch_size=batch_size):
            batches += 1
        return batches

    def bodies(self) -> list[dict]:
        """The messages waiting, read without taking them (they come straight back: no visibility timeout)."""
        found = self.client.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in found]

    def waiting(self, url: str | None = None) -> int:
        attributes = self.client.get_queue_attributes(QueueUrl=url or self.url,
                                                      AttributeNames=["ApproximateNumberOfMessages"])
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])

    def send_raw(self, body: str) -> None:
        self.client.send_message(QueueUrl=self.url, MessageBody=body)


@contextmanager
def due_queue(monkeypatch, *, per_org: int | None = None) -> Iterator[DueQueue]:
    """The queue (visibility timeout 0: a failed message is delivered again at once) and its
    dead-letter queue; the app's discovery sends to it until the block ends."""
    import boto3

    from chalicelib import bootstrap, config
    sqs = boto3.client("sqs", region_name="us-east-1")
    dead = sqs.create_queue(QueueName="portico-due-work-dead-letters")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = sqs.create_queue(QueueName="portico-due-work", Attributes={
        "VisibilityTimeout": "0",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": RECEIVE_LIMIT})})["QueueUrl"]
    monkeypatch.setenv("PORTICO_DUE_WORK_QUEUE_URL", url)
    if per_org is not None:
        monkeypatch.setenv("PORTICO_DUE_WORK_PER_ORG", str(per_org))
    config.reload()
    try:
        yield DueQueue(bootstrap.adapters().client("sqs"), url, dead)
    finally:
        monkeypatch.delenv("PORTICO_DUE_WORK_QUEUE_URL")
        monkeypatch.delenv("PORTICO_DUE_WORK_PER_ORG", raising=False)
        config.reload()


def deliver_to_a_worker_killed_in(c, queue, monkeypatch, module, name: str) -> None:
    """Deliver the queue's messages to a worker whose Lambda dies in `module.name`, then give the
    next worker the real one back."""
    real = getattr(module, name)

    def killed(*args, **kwargs):
        raise RuntimeError("the Lambda was killed")
    monkeypatch.setattr(module, name, killed)
    queue.deliver(c)
    monkeypatch.setattr(module, name, real)
