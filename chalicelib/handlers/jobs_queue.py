"""The due-work queue as the jobs see it: sending a discovery's items as messages (ten a request),
and reading a batch of messages the worker received, answering which failed (SQS's partial batch
response: only those are delivered again, and after the queue's receive limit go to its
dead-letter queue)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .. import logs
from ..services.subscriptions.scheduled import WorkDone
from ..services.subscriptions.scheduled_queue import DueItem

log = logs.logger("portico.jobs")

SEND_BATCH = 10       # SQS's most per SendMessageBatch


def send(client: Any, queue_url: str, items: Iterable[DueItem], *,
         out_of_time: Callable[[], bool] = lambda: False) -> int:
    """Send each item as one message, in order, until all are sent or `out_of_time()`; the number
    sent. An entry SQS refuses is tried once more on its own, then left: the next discovery finds
    the item again, as it finds the items left unsent."""
    items, sent = list(items), 0
    for start in range(0, len(items), SEND_BATCH):
        if out_of_time():
            break
        batch = items[start:start + SEND_BATCH]
        answer = client.send_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(n), "MessageBody": json.dumps(item.as_dict())} for n, item in enumerate(batch)])
        sent += len(answer.get("Successful", []))
        for refused in answer.get("Failed", []):
            item = batch[int(refused["Id"])]
            try:
                client.send_message(QueueUrl=queue_url, MessageBody=json.dumps(item.as_dict()))
                sent += 1
            except Exception:  # noqa: BLE001 - the next discovery sends it again
                log.exception("due work on subscription %s not queued (%s)", item.subscription_id,
                              refused.get("Code"))
    return sent


@dataclass
class BatchOutcome:
    done: list[WorkDone] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)       # message ids, delivered again
    nothing_to_do: int = 0

    def response(self) -> dict:
        """What Lambda's SQS event source reads when the mapping reports batch item failures."""
        return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in self.failed]}


def work_through(records: Iterable[dict], act: Callable[[DueItem], dict | None]) -> BatchOutcome:
    """Act on each message of a batch in turn; one failing (or unreadable) is reported, the rest go on."""
    outcome = BatchOutcome()
    for record in records:
        message_id = record["messageId"]
        item = _item(record)
        if item is None:
            outcome.failed.append(message_id)   # to the dead-letter queue after the receive limit
            continue
        try:
            done = act(item)
        except Exception:  # noqa: BLE001 - one subscription must not fail the batch
            log.exception("scheduled work on subscription %s failed (message %s, receive %s)",
                          item.subscription_id, message_id,
                          record.get("attributes", {}).get("ApproximateReceiveCount"))
            outcome.failed.append(message_id)
            continue
        if done is None:
            outcome.nothing_to_do += 1
        else:
            outcome.done.append(done)
    return outcome


def _item(record: dict) -> DueItem | None:
    """The message's item; None (logged, with the subscription id when there is one) if unreadable."""
    body = None
    try:
        body = json.loads(record["body"])
        return DueItem.of(body)
    except (ValueError, KeyError, TypeError):
        subscription_id = body.get("subscription_id") if isinstance(body, dict) else None
        log.error("unreadable due-work message %s (subscription %s): %.200s", record["messageId"],
                  subscription_id, record.get("body"))
        return None
