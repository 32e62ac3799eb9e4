"""Scheduled entry points (EventBridge): each calls one service with the current time."""
from chalice import Blueprint, Rate

from .. import bootstrap, tracing
from ..bootstrap import services


bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="send_queued_email")
def send_queued_email(event):
    """Send email that is queued or whose earlier attempt failed (the outbox)."""
    bootstrap.tables_ready()
    with tracing.subsegment("job:send_queued_email", job="send_queued_email"):
        return {"sent": services().accounts.send_queued_email(bootstrap.now())}


@bp.schedule(Rate(5, unit=Rate.MINUTES), name="run_due_work")
def run_due_work(event):
    """Carry out the subscription work that is due: starts, trial ends, cancellations, pauses,
    resumes, renewals and dunning retries (the real clock; test clocks run from /admin/test-clock)."""
    bootstrap.tables_ready()
    with tracing.subsegment("job:run_due_work", job="run_due_work"):
        return services().subscriptions.run_due("live", bootstrap.now()).as_dict()
