"""Portal sessions, stored by the hash of their token; DynamoDB's TTL removes dead ones.

A session is read with the customer and the organization its token names in one BatchGetItem
(`with_parties`): the session check answers who the caller is, their role as the customer's contacts
say it now, and what nearly every portal route needs of them, in one call."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from ..domain.customers import Customer
from ..domain.organization import Organization
from . import read_ahead
from .base import table
from .batch_reads import batch_get
from .customers import CustomerItem, customer_read, organization_read
from .organizations import OrganizationItem
from .transactions import Transaction, condition_failed


class SessionsByUser(GlobalSecondaryIndex):
    """Every session of a user, to end them all (password change)."""
    class Meta:
        index_name = "user"
        projection = KeysOnlyProjection()

    login = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


@table("sessions", deletable=True)   # signing out ends a session at once
class SessionItem(Model):
    class Meta:
        pass

    token_hash = UnicodeAttribute(hash_key=True)
    login = UnicodeAttribute()
    org_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    role = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    last_seen_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()

    by_user = SessionsByUser()


@dataclass(frozen=True)
class Session:
    token_hash: str
    login: str
    org_id: str
    customer_id: str
    contact_id: str
    role: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class SessionWithParties:
    """A session and the customer and organization read with it (each None where missing)."""
    session: Session | None
    org: Organization | None
    customer: Customer | None


class Sessions:
    """Portal sessions, by the hash of their token."""

    def add(self, session: Session) -> None:
        _item(session).save()

    def put_in(self, tx: Transaction, session: Session) -> None:
        """Start a session within the caller's transaction (with the account it signs in)."""
        tx.save(_item(session))

    def get(self, token_hash: str) -> Session | None:
        """Read consistently: a session ended a moment ago must not be found."""
        try:
            return _session_of(SessionItem.get(token_hash, consistent_read=True))
        except DoesNotExist:
            return None

    def with_parties(self, token_hash: str, org_id: str, customer_id: str, *, ahead=None) -> SessionWithParties:
        """The session, customer `customer_id` and organization `org_id` in one BatchGetItem: the session
        read consistently (a session ended a moment ago is not found: signing out, and a change of role or
        a removal, which end the person's sessions), the customer and the organization eventually (half
        the units: domain/customers.py `lesser_role` says why a moment-old customer is enough). The
        caller checks that the session names the same customer: the ids come from the token, not the
        session.

        The same call reads the customer's items a GET request's route reads (`ahead`: the ids its path
        names, what it declares), kept for the request's own reads (tables/read_ahead.py), or what a
        change declares its first read reads (those items alone are kept)."""
        change = ahead is not None and ahead.first_read is not None
        ahead = read_ahead.wanted(org_id, customer_id, ahead) if ahead is not None else []
        wanted = {SessionItem: [(token_hash,)], OrganizationItem: [(org_id,)], CustomerItem: [(org_id, customer_id)]}
        for model, key, _ in ahead:
            wanted.setdefault(model, []).append(key)
        found = batch_get(wanted, keep_ahead={model for model, _, _ in ahead} if change else True,
                          answered=(SessionItem,), as_read=(OrganizationItem, CustomerItem),
                          eventually_consistent=(OrganizationItem, CustomerItem,
                                                 *(model for model, _, consistent in ahead if not consistent)))
        session_item, org_raw, customer_raw = (next(iter(found[model]), None)
                                               for model in (SessionItem, OrganizationItem, CustomerItem))
        return SessionWithParties(
            _session_of(session_item) if session_item is not None else None,
            organization_read(org_id, org_raw) if org_raw is not None else None,
            customer_read(org_id, customer_id, customer_raw) if customer_raw is not None else None)

    def touch(self, token_hash: str, *, last_seen_at: datetime, expires_at: datetime) -> bool:
        """Record use of a session; False if it has ended meanwhile (an update must not revive it)."""
        try:
            SessionItem(token_hash).update(
                actions=[SessionItem.last_seen_at.set(last_seen_at), SessionItem.expires_at.set(expires_at)],
                condition=SessionItem.token_hash.exists())
        except UpdateError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def move_in(self, tx: Transaction, token_hash: str, login: str) -> None:
        """Within the caller's transaction, let a session belong to the account's new `login`, if it
        still exists (an update must not revive it)."""
        tx.update(SessionItem(token_hash), actions=[SessionItem.login.set(login)],
                  condition=SessionItem.token_hash.exists())

    def delete(self, token_hash: str) -> None:
        SessionItem(token_hash).delete()

    def token_hashes_of(self, login: str) -> list[str]:
        """Every live session of one account (the `user` index; eventually consistent)."""
        return [item.token_hash for item in SessionItem.by_user.query(login)]

    def delete_many(self, token_hashes: list[str]) -> None:
        with SessionItem.batch_write() as batch:
            for token_hash in token_hashes:
                batch.delete(SessionItem(token_hash))


def _session_of(item: SessionItem) -> Session:
    return Session(item.token_hash, item.login, item.org_id, item.customer_id, item.contact_id, item.role,
                   item.created_at, item.last_seen_at, item.expires_at)


def _item(session: Session) -> SessionItem:
    return SessionItem(session.token_hash, login=session.login, org_id=session.org_id,
                       customer_id=session.customer_id, contact_id=session.contact_id, role=session.role,
                       created_at=session.created_at, last_seen_at=session.last_seen_at,
                       expires_at=session.expires_at)
