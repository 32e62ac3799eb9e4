"""The customer's saved payment methods as the account summary mirrors them, so that the pages
showing them read them with the session check alone (tables/account_summaries.py).

Exact by construction: every transaction that puts or deletes methods writes the whole mirror with
them, on the mirror's version read BEFORE the methods were (`saved`), so that any change of the
methods committed in between fails that transaction (409, as a method changed meanwhile does). A
payment that saves a card appends it instead (services/payments/settlement.py); the backfill writes
it for the customers stored before it was kept (`record_all`, the operator's `record-payment-methods`,
docs/deploy.md)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...domain.account_summary import AccountSummary
from ...domain.errors import ConcurrentUpdate
from ...domain.payments import PaymentMethod
from ...tables.account_summaries import MirrorRead
from ..backfills import every_customer

ATTEMPTS = 5    # reads of a customer whose methods changed while they were read, before giving up


@dataclass(frozen=True)
class Saved:
    """The customer's saved methods, oldest first, read consistently after `mirror` (what the
    mirror's write is conditional on: account_summaries.mirror_read)."""
    methods: list[PaymentMethod]
    mirror: Any


def first_read(adapters, org_id: str, customer_id: str) -> list[tuple]:
    """What `saved` reads first (the mirror's version), for the session check of a change of the
    methods to read in its own call, before the methods are (tables/read_ahead.py)."""
    return adapters.uow.account_summaries.mirror_ahead(org_id, customer_id)


def saved(adapters, org_id: str, customer_id: str) -> Saved:
    """The customer's methods, to change: the mirror's version first, then the methods."""
    mirror = adapters.uow.account_summaries.mirror_read(org_id, customer_id)
    return Saved(adapters.uow.payment_methods.of_customer(org_id, customer_id), mirror)


def saved_as_summarised(adapters, org_id: str, customer_id: str, summary: AccountSummary | None) -> Saved:
    """The customer's methods, to change, from their account `summary` read first (consistently): as
    it mirrors them, on the mirror's version read with them; where it mirrors none, from their table,
    read now (after the summary, so the order `saved` keeps)."""
    if summary is None:
        return Saved(adapters.uow.payment_methods.of_customer(org_id, customer_id), MirrorRead(None, None))
    read = MirrorRead(summary.methods_version, summary.currency)
    if summary.payment_methods is None:
        return Saved(adapters.uow.payment_methods.of_customer(org_id, customer_id), read)
    return Saved(list(summary.payment_methods), read)


@dataclass(frozen=True)
class Chosen:
    """The card a subscription is to be charged to, one of the customer's methods as `read`."""
    read: Saved
    method: PaymentMethod


def chosen_in(adapters, tx, org_id: str, customer_id: str, chosen: Chosen) -> None:
    """Within the transaction that charges a subscription to `chosen`: the card written again, on its
    version, so that version moves on, with the mirror in step (docs/billing.md "Cards and
    subscriptions"). A removal of the card that read it before this commits deletes it on the version
    it read, and fails (409); one that commits first fails this (the card is gone, the mirror's
    version moved on)."""
    change_in(adapters, tx, org_id, customer_id, chosen.read, put=(chosen.method,))


def listed(adapters, org_id: str, customer_id: str) -> list[PaymentMethod]:
    """The customer's methods, oldest first, read consistently: as the summary mirrors them (read
    ahead with the session check where the route declares it), else from their table."""
    mirrored = adapters.uow.account_summaries.mirrored_methods(org_id, customer_id)
    return list(mirrored) if mirrored is not None else adapters.uow.payment_methods.of_customer(org_id, customer_id)


def change_in(adapters, tx, org_id: str, customer_id: str, read: Saved, *, put: tuple[PaymentMethod, ...] = (),
              deleted: tuple[PaymentMethod, ...] = ()) -> None:
    """Put `put` and delete `deleted` of the methods `read`, within `tx`, and the mirror with them:
    the one way a change of the methods is written (but the card a payment saves, which the summary
    appends: services/payments/settlement.py), so none can leave the mirror behind
    (tests/unit/test_payment_method_write_sites.py)."""
    for method in put:
        adapters.uow.payment_methods.put_in(tx, org_id, method)
    for method in deleted:
        adapters.uow.payment_methods.delete_in(tx, org_id, method)
    write_in(adapters, tx, org_id, customer_id, read, put=put, deleted=deleted)


def write_in(adapters, tx, org_id: str, customer_id: str, read: Saved, *, put: tuple[PaymentMethod, ...] = (),
             deleted: tuple[PaymentMethod, ...] = ()) -> None:
    """Mirror, within `tx`, the methods `read` as `tx` leaves them (putting `put`, deleting
    `deleted`), on the mirror's version read with them."""
    currency = read.mirror.currency or adapters.uow.customers.get(org_id, customer_id).currency
    adapters.uow.account_summaries.mirror_in(tx, org_id, customer_id, read.mirror, currency, read.methods,
                                             put=put, deleted=deleted)


def record_all(adapters, org_id: str) -> int:
    """Mirror every customer's methods, read again: for the customers stored before they were
    mirrored. Safe to run again; answers how many customers were written."""
    return sum(_record(adapters, org_id, customer.customer_id)
               for customer in every_customer(adapters, org_id))


def _record(adapters, org_id: str, customer_id: str) -> int:
    for _ in range(ATTEMPTS):
        read = saved(adapters, org_id, customer_id)
        try:
            with adapters.uow.transaction("payment method") as tx:
                write_in(adapters, tx, org_id, customer_id, read)
            return 1
        except ConcurrentUpdate:
            continue    # the methods changed while they were read: read them again
    raise ConcurrentUpdate("payment method")
