"""Portal sign-in accounts: one per contact person, keyed by organization and email.

Failed sign-ins are not counted here but in `rate_counters`, under the same login key, so an
email without an account is slowed down and locked exactly like one with an account."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ..domain.customers import Customer
from ..domain.errors import ConcurrentUpdate, NotFound
from ..domain.lockout import NO_FAILURES, FailureState
from ..domain.organization import Organization
from .base import owner_key, table
from .batch_reads import batch_get
from .customers import CustomerItem
from .mapping import from_item, to_item
from .organizations import OrganizationItem, organization_of
from .rate_counters import RateCounterItem, failure_state, failures_key
from .transactions import Transaction, condition_failed


def login_key(org_id: str, email: str) -> str:
    return f"{org_id}#{email.strip().lower()}"


class PortalUsersByContact(GlobalSecondaryIndex):
    class Meta:
        index_name = "contact"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)          # org#customer
    contact_id = UnicodeAttribute(range_key=True)


@table("portal_users", deletable=True)   # an account moves to its new sign-in email
class PortalUserItem(Model):
    class Meta:
        pass

    login = UnicodeAttribute(hash_key=True)           # org#email (lower case)
    org_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    owner = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()                         # owner | billing | viewer (primary | contact before roles)
    status = UnicodeAttribute(default="invited")      # invited | active | disabled
    password_hash = UnicodeAttribute(null=True)
    password_changed_at = UTCDateTimeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    # the second factor (docs/security.md "Second factor": how the secret is protected)
    totp_secret = UnicodeAttribute(null=True)
    totp_pending_secret = UnicodeAttribute(null=True)
    totp_last_step = NumberAttribute(null=True)
    recovery_code_hashes = ListAttribute(of=UnicodeAttribute, default=list)
    version = VersionAttribute()

    by_contact = PortalUsersByContact()


@dataclass(frozen=True)
class PortalUser:
    login: str                          # org#email, lower case: see `login_key`
    org_id: str
    customer_id: str
    contact_id: str
    email: str
    role: str                           # owner | billing | viewer, as when last invited or signed in
    status: str                         # invited | active | disabled
    created_at: datetime
    password_hash: str | None = None
    password_changed_at: datetime | None = None
    totp_secret: str | None = None              # enrolled: sign-in asks for a code
    totp_pending_secret: str | None = None      # shown, not yet confirmed by a first code
    totp_last_step: int | None = None           # the last code's step: no code is accepted twice
    recovery_code_hashes: tuple[str, ...] = ()  # SHA-256 of each unused recovery code
    version: int | None = None

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None

    def password_changed_since(self, at: datetime) -> bool:
        """Whether the password was changed or reset after `at`: what was asked for with the account
        before then (a reset link, a new sign-in email) may have been asked for by whoever had it."""
        return self.password_changed_at is not None and at < self.password_changed_at

    @property
    def secret_holder(self) -> str:
        """Whose sealed secrets these are (gateways/sealed_secrets.py): the contact outlives emails."""
        return f"contact:{self.contact_id}"


@dataclass(frozen=True)
class Account:
    """A portal account with what its password changes check, read together."""
    user: PortalUser | None
    org: Organization
    customer: Customer | None = None
    failures: FailureState = NO_FAILURES


class PortalUsers:
    """Portal sign-in accounts, by login (`login_key`); each written on the version read."""

    def find(self, login: str) -> PortalUser | None:
        """The account signing in as `login`, read consistently (a password just changed counts)."""
        try:
            return from_item(PortalUser, PortalUserItem.get(login, consistent_read=True))
        except DoesNotExist:
            return None

    def of_contact(self, org_id: str, customer_id: str, contact_id: str) -> PortalUser | None:
        """The account of a contact person, whatever email it signs in with now (an index: eventually
        consistent)."""
        items = PortalUserItem.by_contact.query(owner_key(org_id, customer_id),
                                                PortalUsersByContact.contact_id == contact_id, limit=1)
        return next((from_item(PortalUser, item) for item in items), None)

    def statuses(self, org_id: str, contacts: Iterable[tuple[str, str, str]], *,
                 consistent: bool = False) -> dict[tuple[str, str], str]:
        """The status (invited, active, disabled) of the account of each contact that has one, by
        (customer_id, contact_id), from (customer_id, contact_id, email): one BatchGetItem per 100,
        eventually consistent unless `consistent` (what a customer records of its accounts)."""
        contacts = list(contacts)
        asked = {(customer_id, contact_id) for customer_id, contact_id, _ in contacts}
        logins = {(login_key(org_id, email),) for _, _, email in contacts}
        found = batch_get({PortalUserItem: list(logins)}, consistent_read=consistent)[PortalUserItem] if logins else []
        return {(item.customer_id, item.contact_id): item.status for item in found
                if (item.customer_id, item.contact_id) in asked}

    def with_organization(self, login: str, org_id: str, *, customer_id: str | None = None,
                          with_failures: bool = False) -> Account:
        """The account `login` (None if there is none), its organization (NotFound if missing) and, if
        asked, its customer and its sign-in failures: one consistent BatchGetItem instead of two to four."""
        wanted = {PortalUserItem: [(login,)], OrganizationItem: [(org_id,)]}
        if customer_id is not None:
            wanted[CustomerItem] = [(org_id, customer_id)]
        if with_failures:
            wanted[RateCounterItem] = [(failures_key(login),)]
        found = batch_get(wanted)
        if not found[OrganizationItem]:
            raise NotFound("organization")
        first = {model: items[0] if items else None for model, items in found.items()}
        user, customer = first[PortalUserItem], first.get(CustomerItem)
        if user is None:
            _read_a_stand_in()
        return Account(user=from_item(PortalUser, user) if user else None,
                       org=organization_of(first[OrganizationItem]),
                       customer=from_item(Customer, customer) if customer else None,
                       failures=failure_state(first.get(RateCounterItem)))

    def save(self, user: PortalUser) -> PortalUser:
        """Write back an account read earlier; ConcurrentUpdate if it changed meanwhile."""
        item = _item(user)
        try:
            item.save()
        except PutError as error:
            if condition_failed(error):
                raise ConcurrentUpdate("portal user") from error
            raise
        return from_item(PortalUser, item)

    def put_in(self, tx: Transaction, user: PortalUser) -> None:
        """Write an account within the caller's transaction; its version guards against lost updates."""
        tx.save(_item(user))

    def add_in(self, tx: Transaction, user: PortalUser) -> None:
        """Within the caller's transaction, an account under a login nobody signs in with yet."""
        tx.save(_item(user), condition=PortalUserItem.login.does_not_exist())

    def delete_in(self, tx: Transaction, user: PortalUser) -> None:
        """Within the caller's transaction, delete the account on the version read (it moves to a new
        login)."""
        tx.delete(_item(user))


_STAND_IN: dict | None = None   # an account's stored form, for the work of reading one


def _read_a_stand_in() -> None:
    """Read a stand-in account as a found one is read (its item decoded, then mapped), for a login
    with none: a sign-in naming an unknown email must take as long as one with a wrong password, or
    its timing tells which emails have accounts (the password's side is `verify_dummy`)."""
    global _STAND_IN
    if _STAND_IN is None:
        made = datetime(2000, 1, 1, tzinfo=timezone.utc)
        stand_in = PortalUser("org_stand_in#stand-in@example.invalid", "org_stand_in", "cus_stand_in",
                              "con_stand_in", "stand-in@example.invalid", "owner", "active", made,
                              password_hash="$argon2id$v=19$m=19456,t=2,p=1$" + "A" * 22 + "$" + "A" * 43,
                              password_changed_at=made, version=1)
        _STAND_IN = _item(stand_in).serialize()
    from_item(PortalUser, PortalUserItem.from_raw_data(_STAND_IN))


def _item(user: PortalUser) -> PortalUserItem:
    return to_item(PortalUserItem, user, owner=owner_key(user.org_id, user.customer_id))
