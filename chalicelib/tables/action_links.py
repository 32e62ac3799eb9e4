"""Action links a merchant sent one customer (pay this invoice, review this subscription, ...),
stored by the hash of their token, with TTL."""
from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.models import Model

from ..domain.action_links import ActionLink
from .base import table
from .transactions import condition_failed


@table("action_links")
class ActionLinkItem(Model):
    class Meta:
        pass

    token_hash = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    action = UnicodeAttribute()
    target_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()
    used_at = UTCDateTimeAttribute(null=True)
    used_by = UnicodeAttribute(null=True)       # the session that followed it


class ActionLinks:
    """Action links by the hash of their token: kept, read, and marked used once."""

    def add(self, link: ActionLink) -> None:
        """Keep a new link (the token itself is never stored)."""
        ActionLinkItem(link.token_hash, org_id=link.org_id, customer_id=link.customer_id, action=link.action,
                       target_id=link.target_id, created_at=link.created_at, expires_at=link.expires_at
                       ).save(condition=ActionLinkItem.token_hash.does_not_exist())

    def get(self, token_hash: str) -> ActionLink | None:
        try:
            item = ActionLinkItem.get(token_hash, consistent_read=True)
        except DoesNotExist:
            return None
        return ActionLink(item.token_hash, item.org_id, item.customer_id, item.action, item.target_id,
                          item.created_at, item.expires_at, item.used_at, item.used_by)

    def use(self, token_hash: str, session_id: str, now: datetime) -> bool:
        """Mark the link used by `session_id`; False if someone used it first (two requests racing
        with one link cannot both succeed)."""
        T = ActionLinkItem
        try:
            T(token_hash).update(actions=[T.used_at.set(now), T.used_by.set(session_id)],
                                 condition=T.token_hash.exists() & T.used_at.does_not_exist())
        except UpdateError as error:
            if condition_failed(error):
                return False
            raise
        return True
