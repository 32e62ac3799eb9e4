"""The merchant's own users (the console's sign-in accounts), one per organization and email.

Their login key is `console#<org>#<email>`: never a portal login (`<org>#<email>`), so the sign-in
failures counted under it (`rate_counters`), and a second-factor challenge signed for it, can never
be taken for a portal account's."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ..domain.errors import AlreadyExists, ConcurrentUpdate, NotFound
from . import read_ahead
from .base import table
from .batch_reads import batch_get
from .mapping import from_item, to_item
from .organizations import OrganizationItem, organization_of
from .transactions import Transaction, condition_failed

ROLES = ("admin", "support")


def merchant_login_key(org_id: str, email: str) -> str:
    return f"console#{org_id}#{email.strip().lower()}"


class MerchantUsersByOrganization(GlobalSecondaryIndex):
    """An organization's users, for the console's list of them."""
    class Meta:
        index_name = "organization"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)


@table("merchant_users")
class MerchantUserItem(Model):
    class Meta:
        pass

    login = UnicodeAttribute(hash_key=True)           # console#org#email (lower case)
    user_id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute(default="")
    role = UnicodeAttribute()                         # admin | support
    status = UnicodeAttribute(default="active")       # active | disabled
    password_hash = UnicodeAttribute(null=True)
    password_changed_at = UTCDateTimeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    totp_secret = UnicodeAttribute(null=True)
    totp_pending_secret = UnicodeAttribute(null=True)
    totp_last_step = NumberAttribute(null=True)
    recovery_code_hashes = ListAttribute(of=UnicodeAttribute, default=list)
    version = VersionAttribute()

    by_organization = MerchantUsersByOrganization()


@dataclass(frozen=True)
class MerchantUser:
    login: str                          # see `merchant_login_key`
    user_id: str
    org_id: str
    email: str
    role: str                           # admin | support
    status: str                         # active | disabled
    created_at: datetime
    name: str = ""
    password_hash: str | None = None
    password_changed_at: datetime | None = None
    # the second factor, as a portal account's (services/access/second_factor.py reads these fields)
    totp_secret: str | None = None
    totp_pending_secret: str | None = None
    totp_last_step: int | None = None
    recovery_code_hashes: tuple[str, ...] = ()
    version: int | None = None

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None

    def password_changed_since(self, at: datetime) -> bool:
        """Whether the password was changed or reset after `at` (a reset link made before then is dead)."""
        return self.password_changed_at is not None and at < self.password_changed_at

    @property
    def secret_holder(self) -> str:
        """Whose sealed secrets these are (gateways/sealed_secrets.py)."""
        return f"merchant-user:{self.user_id}"


class MerchantUsers:
    """The console's accounts, by login (`merchant_login_key`); each written on the version read."""

    def find(self, login: str) -> MerchantUser | None:
        """Read consistently: a password just changed counts."""
        try:
            return from_item(MerchantUser, MerchantUserItem.get(login, consistent_read=True))
        except DoesNotExist:
            return None

    def find_with_organization(self, login: str, org_id: str, ahead=None) -> MerchantUser | None:
        """As `find`, with the organization `org_id` read in the same BatchGetItem (eventually
        consistent) and kept for a GET request's own read of it (tables/read_ahead.py): the console's
        session check, whose routes mostly read the organization next; and what a GET route of the
        organization reads ahead (`ahead`: the customer its path names), as an API key's check does."""
        wanted = {MerchantUserItem: [(login,)], OrganizationItem: [(org_id,)]}
        for model, key, _ in read_ahead.wanted_by_merchant(org_id, ahead):
            keys = wanted.setdefault(model, [])
            if key not in keys:    # the organization, declared by the route: read once
                keys.append(key)
        found = batch_get(wanted, eventually_consistent=tuple(model for model in wanted if model is not MerchantUserItem),
                          keep_ahead=True)
        return next((from_item(MerchantUser, item) for item in found[MerchantUserItem]), None)

    def with_organization(self, login: str, org_id: str):
        """The account `login` (None if there is none) and its organization (NotFound if missing), read
        consistently in one BatchGetItem: a password reset's reads."""
        found = batch_get({MerchantUserItem: [(login,)], OrganizationItem: [(org_id,)]})
        if not found[OrganizationItem]:
            raise NotFound("organization")
        user = found[MerchantUserItem]
        return (from_item(MerchantUser, user[0]) if user else None), organization_of(found[OrganizationItem][0])

    def add(self, user: MerchantUser) -> MerchantUser:
        """A new account under a login nobody signs in with yet (AlreadyExists otherwise)."""
        item = to_item(MerchantUserItem, user)
        try:
            item.save(condition=MerchantUserItem.login.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                raise AlreadyExists("merchant user", user.email) from error
            raise
        return from_item(MerchantUser, item)

    def save(self, user: MerchantUser) -> MerchantUser:
        """Write back an account read earlier; ConcurrentUpdate if it changed meanwhile."""
        item = to_item(MerchantUserItem, user)
        try:
            item.save()
        except PutError as error:
            if condition_failed(error):
                raise ConcurrentUpdate("merchant user") from error
            raise
        return from_item(MerchantUser, item)

    def save_in(self, tx: Transaction, user: MerchantUser) -> None:
        """Write back an account read earlier within the caller's transaction, on the version read."""
        tx.save(to_item(MerchantUserItem, user))

    def by_id(self, org_id: str, user_id: str) -> MerchantUser | None:
        """The organization's user with this id (the `organization` index), or None: another
        organization's user is never found."""
        for item in MerchantUserItem.by_organization.query(org_id, MerchantUserItem.user_id == user_id, limit=1):
            return from_item(MerchantUser, item)
        return None

    def of_organization(self, org_id: str, *, limit: int = 100) -> list[MerchantUser]:
        """The organization's users, oldest first (the `organization` index)."""
        return [from_item(MerchantUser, item)
                for item in MerchantUserItem.by_organization.query(org_id, limit=limit)]
