"""Action links: the merchant makes one for a customer (or an email asks for one as it is sent), and
the customer, signed in, follows it to the page where the action is done.

Only the hash of a link's token is stored; the token lives in the URL handed to the merchant or in
the email, in the fragment (`#/act/<token>`), so browsers never send it to a server or in a Referer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from ...domain.action_links import ACTIONS, ActionLink, LinkUsed, lifetime
from ...domain.errors import InvalidInput, NotFound
from ...domain.portal_address import portal_link
from ...domain.tokens import new_token, token_hash
from .mailed_links import MadeLink

# What each kind of target is read with, to prove it is the customer's.
_TARGETS = {"invoice": "invoices", "subscription": "subscriptions", "estimate": "estimates"}
# An action whose page the merchant may turn off: no link to a page the customer cannot open.
NEEDS_FEATURE = {"write_review": "reviews", "review_subscription": "subscriptions"}
# How long a link in an email stays good.
EMAIL_DAYS = 14


@dataclass(frozen=True)
class MadeActionLink:
    url: str
    action: str
    target_id: str | None
    expires_at: datetime


@dataclass(frozen=True)
class Destination:
    action: str
    target_id: str | None
    route: str


def create(adapters, org_id: str, customer_id: str, action: str, target_id: str | None, days: int,
           now: datetime) -> MadeActionLink:
    """A link for one customer to do `action` (on `target_id`, which must be theirs: 404 otherwise)."""
    kind = ACTIONS[action].target
    if kind is None and target_id:
        raise InvalidInput({"target_id": f"'{action}' names no item: leave target_id out."})
    if kind is not None and not target_id:
        raise InvalidInput({"target_id": f"'{action}' needs the id of the {kind}."})
    if kind is None:
        adapters.uow.customers.get(org_id, customer_id)
    else:
        getattr(adapters.uow, _TARGETS[kind]).get(org_id, customer_id, target_id)
    org = adapters.uow.organizations.get(org_id)
    if action in NEEDS_FEATURE:
        org.preferences.require(NEEDS_FEATURE[action])
    url, link = _fresh(adapters, org.portal_name, org_id, customer_id, action, target_id, days, now)
    adapters.uow.action_links.add(link)
    return MadeActionLink(url, action, target_id, link.expires_at)


def make_for_email(adapters, org_id: str, customer_id: str, spec: dict, recipient: str, now: datetime) -> MadeLink:
    """The action link of an email about to be sent (`spec`: domain.action_links.for_email), its
    token's hash stored."""
    org = adapters.uow.organizations.get(org_id)
    url, link = _fresh(adapters, org.portal_name, org_id, customer_id, spec["action"], spec["target_id"] or None,
                       EMAIL_DAYS, now)
    adapters.uow.action_links.add(link)
    return MadeLink(recipient, url)


def redeem(adapters, org_id: str, customer_id: str, session_id: str, token: str, now: datetime, *,
           may_act: Callable[[str], bool] = lambda action: True) -> Destination:
    """Where the link leads, marking it used; the same answer to a retry by the same session. A caller
    whose role may not do the link's action (`may_act(action)` False: a viewer following a link to pay)
    is shown the page, and the link is left for someone of the account who may."""
    link = adapters.uow.action_links.get(token_hash(token))
    if link is None:
        raise NotFound("action link")
    first_use = link.check(org_id, customer_id, session_id, now)
    if first_use and may_act(link.action) and not adapters.uow.action_links.use(link.token_hash, session_id, now):
        raise LinkUsed()
    return Destination(link.action, link.target_id, link.route)


def _fresh(adapters, portal_name: str, org_id: str, customer_id: str, action: str, target_id: str | None,
           days: int, now: datetime) -> tuple[str, ActionLink]:
    token = new_token()
    link = ActionLink(token_hash(token), org_id, customer_id, action, target_id, created_at=now,
                      expires_at=now + lifetime(days))
    return portal_link(adapters.settings.portal_base_url, portal_name, f"act/{token}"), link
