"""What the merchant console's routes answer: merchant users, the signed-in user, the audit log."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from .shared import Answer, Items, Page


class MerchantUser(Answer):
    """A user of the merchant console (never its password or second-factor secret)."""
    user_id: str
    email: str
    name: str
    role: Literal["admin", "support"]
    status: Literal["active", "disabled"]
    second_factor: bool
    created_at: datetime

    @classmethod
    def of(cls, user) -> "MerchantUser":
        return cls(user_id=user.user_id, email=user.email, name=user.name, role=user.role, status=user.status,
                   second_factor=user.has_second_factor, created_at=user.created_at)


class MerchantUserList(Items[MerchantUser]):
    """The organization's console users."""


class ConsoleMe(Answer):
    """The signed-in merchant user, the organization, and what the role may do."""
    user: MerchantUser
    org_id: str
    organization_name: str
    may_change: bool                  # admin: everything; support: reads and resends invitations


class AuditEntry(Answer):
    """One change made through the admin API: who (a merchant user, or an API key), what (the route),
    on what, when, and the fields it set (secrets withheld)."""
    entry_id: str
    at: datetime
    actor_type: Literal["api_key", "merchant_user"]
    actor_id: str
    actor_email: str
    action: str
    target_id: str
    changes: dict[str, str]

    @classmethod
    def of(cls, entry) -> "AuditEntry":
        return cls(entry_id=entry.entry_id, at=entry.at, actor_type=entry.actor_type, actor_id=entry.actor_id,
                   actor_email=entry.actor_email, action=entry.action, target_id=entry.target_id,
                   changes={str(k): str(v) for k, v in (entry.changes or {}).items()})


class AuditLogPage(Page[AuditEntry]):
    pass
