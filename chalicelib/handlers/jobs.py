"""Scheduled entry points (EventBridge) and the due-work queue's worker (SQS): each calls one service
with the current time.

Each is a Lambda function of its own, which imports this module and not app.py: it configures
the logs itself."""
import importlib
import time

from chalice import Blueprint, Rate

from .. import bootstrap, logs, metrics
from ..bootstrap import services
from .job_runs import observed

logs.configure()

# The outbox renders the PDFs it attaches with renderers that this module registers on import;
# nothing else imports it in the email job's Lambda.
ATTACHMENT_RENDERERS = "chalicelib.services.documents.pdfs"

DISCOVERY_READ_SHARE = 0.5   # of the run's budget, for reading the index; sending has the rest

bp = Blueprint(__name__)

# The queue's name as Chalice needs one; the template points the event source at the stack's own
# queue (infra/operations.py) and the environment gives the discovery its URL.
DUE_WORK_QUEUE = "portico-due-work"


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="send_queued_email")
def send_queued_email(event):
    """Send email that is queued or whose earlier attempt failed (the outbox)."""
    with observed(event, "send_queued_email") as run:
        importlib.import_module(ATTACHMENT_RENDERERS)
        sent = services().accounts.send_queued_email(bootstrap.now())
        run.finished(sent=sent)
    return {"sent": sent}


@bp.schedule(Rate(5, unit=Rate.MINUTES), name="run_due_work")
def run_due_work(event):
    """Find the subscription work that is due on the real clock (starts, trial ends, cancellations,
    pauses, resumes, renewals, dunning retries) and send it to the due-work queue, one message an
    item, for `due_work_worker` to do; without a queue (the tests, the CLI) do it here, within the
    budget its timeout sets. Test clocks run from /admin/test-clock."""
    settings = bootstrap.adapters().settings
    with observed(event, "run_due_work") as run:
        answer, counts = _subscriptions_due(settings, bootstrap.now(), settings.job_time_budget_seconds)
        run.finished(**counts)
        metrics.record({"JobItemsDone": counts["done"], "JobItemsFailed": counts["failed"],
                        "JobItemsLeftOver": counts["left_over"]}, job="run_due_work")
    return answer


@bp.schedule(Rate(5, unit=Rate.MINUTES), name="reconcile_payments")
def reconcile_payments(event):
    """Settle the payments still waiting for Stripe (a lost answer, a webhook that never came, a
    3-D Secure nobody finished) by asking it, within the budget its timeout sets
    (services/payments/confirmation.py). A function of its own: its role holds the books and the
    Stripe secret, which the discovery of due work needs neither of."""
    settings = bootstrap.adapters().settings
    with observed(event, "reconcile_payments") as run:
        reconciled = services().payments.reconcile(bootstrap.now(), budget_seconds=settings.job_time_budget_seconds)
        run.finished(settled=len(reconciled.settled), waiting=reconciled.waiting, failed=len(reconciled.failed))
        metrics.record({"JobItemsDone": len(reconciled.settled), "JobItemsFailed": len(reconciled.failed),
                        "JobItemsLeftOver": int(reconciled.stopped_early)}, job="reconcile_payments")
    return reconciled.as_dict()


def _subscriptions_due(settings, now, budget_seconds: float) -> tuple[dict, dict]:
    """The subscriptions' due work sent to the queue, or done here without one: what to answer,
    and the counts to log (done, failed, left over, and what was queued). Sent, the discovery reads
    for half the budget at most and sends with the rest; what it did not read or send is still due,
    and the next discovery finds it."""
    if settings.due_work_queue_url is None:
        report = services().subscriptions.run_due("live", now, budget_seconds=budget_seconds)
        return report.as_dict(), {"done": len(report.done), "failed": len(report.failed),
                                  "left_over": report.left_over}
    from . import jobs_queue   # with the services it needs, on first use (cold start)
    started = time.monotonic()
    found = services().subscriptions.discover_due(
        "live", now, per_org=settings.due_work_per_org,
        out_of_time=lambda: time.monotonic() - started > budget_seconds * DISCOVERY_READ_SHARE)
    queued = jobs_queue.send(bootstrap.adapters().client("sqs"), settings.due_work_queue_url, found.items,
                             out_of_time=lambda: time.monotonic() - started > budget_seconds)
    stopped_early = found.stopped_early or queued < len(found.items)
    answer = {"queued": queued, "organizations": found.organizations, "held_back": found.held_back,
              "stopped_early": stopped_early}
    left_over = found.held_back + len(found.items) - queued + int(found.stopped_early)   # a floor
    return answer, {**answer, "done": 0, "failed": 0, "left_over": left_over}


@bp.on_sqs_message(queue=DUE_WORK_QUEUE, batch_size=10, name="due_work_worker")
def due_work_worker(event):
    """Do the due work a discovery sent, each message on its own: the ones that failed are answered
    as batch item failures, delivered again, and after the queue's receive limit dead-lettered."""
    from . import jobs_queue   # with the services it needs, on first use (cold start)
    with observed(event, "due_work_worker") as run:
        now, orgs = bootstrap.now(), {}   # an organization read once a batch, as the serial run does once a run
        outcome = jobs_queue.work_through(event.to_dict()["Records"],
                                          lambda item: services().subscriptions.run_due_item(item, now, orgs))
        run.finished(done=len(outcome.done), failed=len(outcome.failed), nothing_to_do=outcome.nothing_to_do)
        metrics.record({"JobItemsDone": len(outcome.done), "JobItemsFailed": len(outcome.failed)},
                       job="due_work_worker")
    return outcome.response()
