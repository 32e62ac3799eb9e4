"""Scheduled entry points (EventBridge) and the due-work queue's worker (SQS): each calls one service
with the current time.

Each is a Lambda function of its own, which imports this module and not app.py: it configures
the logs itself."""
import importlib

from chalice import Blueprint, Rate

from .. import bootstrap, logs, metrics
from ..bootstrap import services
from .job_runs import observed

logs.configure()

# The outbox renders the PDFs it attaches with renderers that this module registers on import;
# nothing else imports it in the email job's Lambda.
ATTACHMENT_RENDERERS = "chalicelib.services.documents.pdfs"

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
        if settings.due_work_queue_url is None:
            report = services().subscriptions.run_due("live", bootstrap.now())
            run.finished(done=len(report.done), failed=len(report.failed), left_over=report.left_over)
            metrics.record({"JobItemsDone": len(report.done), "JobItemsFailed": len(report.failed),
                            "JobItemsLeftOver": report.left_over}, job="run_due_work")
            return report.as_dict()
        from . import jobs_queue   # with the services it needs, on first use (cold start)
        found = services().subscriptions.discover_due("live", bootstrap.now(), per_org=settings.due_work_per_org)
        queued = jobs_queue.send(bootstrap.adapters().client("sqs"), settings.due_work_queue_url, found.items)
        run.finished(queued=queued, organizations=found.organizations, held_back=found.held_back)
        metrics.record({"JobItemsLeftOver": found.held_back}, job="run_due_work")
    return {"queued": queued, "organizations": found.organizations, "held_back": found.held_back}


@bp.on_sqs_message(queue=DUE_WORK_QUEUE, batch_size=10, name="due_work_worker")
def due_work_worker(event):
    """Do the due work a discovery sent, each message on its own: the ones that failed are answered
    as batch item failures, delivered again, and after the queue's receive limit dead-lettered."""
    from . import jobs_queue   # with the services it needs, on first use (cold start)
    with observed(event, "due_work_worker") as run:
        now = bootstrap.now()
        outcome = jobs_queue.work_through(event.to_dict()["Records"],
                                          lambda item: services().subscriptions.run_due_item(item, now))
        run.finished(done=len(outcome.done), failed=len(outcome.failed), nothing_to_do=outcome.nothing_to_do)
        metrics.record({"JobItemsDone": len(outcome.done), "JobItemsFailed": len(outcome.failed)},
                       job="due_work_worker")
    return outcome.response()
