"""Portal sign-in accounts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError

from ...domain.errors import ConcurrentUpdate
from ..base import owner_key
from ..mapping import from_item, to_item
from ..portal_users import PortalUserItem, login_key
from ..transactions import condition_failed

__all__ = ["PortalUser", "login_key", "find", "item_for", "save", "saved"]


@dataclass(frozen=True)
class PortalUser:
    login: str                          # org#email, lower case: see `login_key`
    org_id: str
    customer_id: str
    contact_id: str
    email: str
    role: str                           # primary | contact, as when last invited or signed in
    status: str                         # invited | active | disabled
    created_at: datetime
    password_hash: str | None = None
    password_changed_at: datetime | None = None
    version: int | None = None

    @property
    def is_active(self) -> bool:
        return self.status == "active"


def find(login: str) -> PortalUser | None:
    """The account signing in as `login`, read consistently (a password just changed counts)."""
    try:
        return from_item(PortalUser, PortalUserItem.get(login, consistent_read=True))
    except DoesNotExist:
        return None


def item_for(user: PortalUser) -> PortalUserItem:
    """The item to save, alone or in a transaction; its version guards against lost updates."""
    return to_item(PortalUserItem, user, owner=owner_key(user.org_id, user.customer_id))


def save(user: PortalUser) -> PortalUser:
    item = item_for(user)
    try:
        item.save()
    except PutError as error:
        if condition_failed(error):
            raise ConcurrentUpdate("portal user") from error
        raise
    return saved(item)


def saved(item: PortalUserItem) -> PortalUser:
    """The account as written (its version bumped), after a transaction."""
    return from_item(PortalUser, item)
