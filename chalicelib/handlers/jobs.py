"""Scheduled entry points (EventBridge): each calls one service with the current time."""
from chalice import Blueprint, Rate

from .. import bootstrap, tracing
from ..services import mail

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="send_queued_email")
def send_queued_email(event):
    """Send email that is queued or whose earlier attempt failed (the outbox)."""
    bootstrap.tables_ready()
    with tracing.subsegment("job:send_queued_email", job="send_queued_email"):
        return {"sent": mail.retry_due(bootstrap.now())}
