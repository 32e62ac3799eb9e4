"""Counting in their balances the ledger entries of customers whose entries predate them (`python -m
chalicelib.cli record-ledger-balances --org ...`, docs/deploy.md), so that their statements read only
their range like everyone else's (tables/ledger.py). Until then a statement reads every entry up to
the end of its range.

A customer's balances are read before its entries and set to what every entry adds up to on their
counts as read, with the marker: an entry written meanwhile adds to a count, fails the write, and
the customer is counted again. `again` counts the customers already marked too (after a rollback
to a release that wrote entries without their balances). Safe to run again."""
from __future__ import annotations

from dataclasses import dataclass

from ...domain.errors import ConcurrentUpdate
from ...domain.statement import Balance, balances_of
from ..backfills import every_customer

ATTEMPTS = 5    # counts of a customer whose entries changed while they were read, before giving up


@dataclass
class Counted:
    customers: int = 0       # whose balances now count every entry
    entries: int = 0
    left: int = 0            # whose entries kept changing while they were counted: run again


def record_all(adapters, org_id: str, *, again: bool = False) -> Counted:
    report = Counted()
    for customer in every_customer(adapters, org_id):
        try:
            counted = _count(adapters, org_id, customer.customer_id, again)
        except ConcurrentUpdate:
            report.left += 1
            continue
        if counted is not None:
            report.customers += 1
            report.entries += counted
    return report


def _count(adapters, org_id: str, customer_id: str, again: bool) -> int | None:
    """How many entries the customer's balances now count (None: they were marked already);
    ConcurrentUpdate if its entries changed while they were counted, each of ATTEMPTS times."""
    for _ in range(ATTEMPTS):
        read, marked = adapters.uow.ledger.balances(org_id, customer_id)
        if marked and not again:
            return None
        # a balance read with no entry left to count goes back to nothing
        counted = {**{currency: Balance(0, 0) for currency in read},
                   **balances_of(adapters.uow.ledger.entries_before(org_id, customer_id))}
        try:
            with adapters.uow.transaction("ledger") as tx:
                adapters.uow.ledger.keep_balances_in(tx, org_id, customer_id, counted, read)
            return sum(balance.entries for balance in counted.values())
        except ConcurrentUpdate:
            continue    # an entry was written while they were counted: count them again
    raise ConcurrentUpdate("ledger")
