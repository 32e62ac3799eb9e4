"""Scheduled entry points (EventBridge): each calls one service with the current time.

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

DUE_WORK_SHARE = 0.8   # of the run's budget; the payments' reconciliation has the rest (and what is left over)

bp = Blueprint(__name__)


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
    """Carry out the subscription work that is due: starts, trial ends, cancellations, pauses,
    resumes, renewals and dunning retries (the real clock; test clocks run from /admin/test-clock);
    then settle the payments still waiting for Stripe by asking it (services/payments/confirmation.py).
    Both share the budget its timeout sets: the subscriptions' work first, the payments a share of it."""
    with observed(event, "run_due_work") as run:
        budget, started = bootstrap.adapters().settings.job_time_budget_seconds, time.monotonic()
        now = bootstrap.now()
        report = services().subscriptions.run_due("live", now, budget_seconds=budget * DUE_WORK_SHARE)
        reconciled = services().payments.reconcile(now, budget_seconds=max(budget - (time.monotonic() - started), 0))
        run.finished(done=len(report.done), failed=len(report.failed), left_over=report.left_over,
                     payments_settled=len(reconciled.settled), payments_waiting=reconciled.waiting)
        metrics.record({"JobItemsDone": len(report.done) + len(reconciled.settled),
                        "JobItemsFailed": len(report.failed) + len(reconciled.failed),
                        "JobItemsLeftOver": report.left_over + int(reconciled.stopped_early)}, job="run_due_work")
    return {**report.as_dict(), "payments": reconciled.as_dict()}
