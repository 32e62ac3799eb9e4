"""Action links: what a merchant may send one customer to do, where in the portal each leads, and
when a link may still be followed.

A link names one action on one of the customer's items (an invoice to pay, a subscription to review,
an estimate to accept) or on the account itself (update the card, write a review). Following it is
allowed once, by the customer it was made for, before it expires; a retry by the session that
followed it answers the same place again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from .errors import Conflict, DomainError, Gone, NotFound

MIN_DAYS, MAX_DAYS = 1, 30
DEFAULT_DAYS = 7


@dataclass(frozen=True)
class Action:
    target: str | None        # the kind of item the link names (None: the account itself)
    route: str                # the portal's route, `{id}` standing for the target


ACTIONS = {
    "pay_invoice": Action("invoice", "/pay?invoices={id}"),
    "update_payment_method": Action(None, "/details"),
    "review_subscription": Action("subscription", "/subscriptions/{id}"),
    "accept_estimate": Action("estimate", "/approvals?tab=estimates&estimate={id}"),
    "write_review": Action(None, "/reviews"),
}


def destination(action: str, target_id: str | None) -> str:
    """The portal route (after `#`) where the link's action is done."""
    return ACTIONS[action].route.replace("{id}", quote(target_id or "", safe=""))


def for_email(action: str, target_id: str | None = None) -> dict:
    """What an email's action link is for, as the outbox records it: the token is made, and its
    hash stored, only as the email is sent (services/access/action_links.py)."""
    named = target_id if ACTIONS[action].target else None
    return {"purpose": "action", "action": action, "target_id": named or ""}


def lifetime(days: int) -> timedelta:
    return timedelta(days=days)


class LinkForAnotherAccount(NotFound):
    code = "action_link_other_account"

    def __init__(self):
        # NotFound's status (the link is not the caller's), with words of its own rather than "No such ..."
        DomainError.__init__(self, "This link was sent to another account. Sign out, then open it again and "
                                   "sign in as the person it was sent to.", {"kind": "action_link"})


class LinkExpired(Gone):
    code = "action_link_expired"

    def __init__(self):
        super().__init__("This link has expired. Ask for a new one, or find the item in the portal.")


class LinkUsed(Conflict):
    code = "action_link_used"

    def __init__(self):
        super().__init__("This link was already used. Find the item in the portal instead.")


@dataclass(frozen=True)
class ActionLink:
    token_hash: str
    org_id: str
    customer_id: str
    action: str
    target_id: str | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    used_by: str | None = None      # the session that followed it

    @property
    def route(self) -> str:
        return destination(self.action, self.target_id)

    def check(self, org_id: str, customer_id: str, session_id: str, now: datetime) -> bool:
        """Whether following the link now is a first use (True) or a retry by the same session
        (False); raises when it may not be followed: another account's, expired, or used already."""
        if (self.org_id, self.customer_id) != (org_id, customer_id):
            raise LinkForAnotherAccount()
        if self.used_at is not None:
            if self.used_by == session_id:
                return False
            raise LinkUsed()
        # DynamoDB's TTL deletes expired items eventually, not at once: the expiry is checked here.
        if now >= self.expires_at:
            raise LinkExpired()
        return True
