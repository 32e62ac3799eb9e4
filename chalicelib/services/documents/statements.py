"""Statement of accounts: the customer's ledger, read with one Query on the customer's own
partition: the entries from the start of the range on and the customer's balances, which with them
make the opening balance (`domain.statement.statements_since`), so that a statement reads as much
whatever came before its range. A customer whose balances are not known to count every entry
(from before they were kept, until the backfill) has the entries before the range read besides,
making the opening balance (`build_statements`).

The ledger is written with the documents (`domain.ledger` says which change adds which entry):
an invoice when issued and a `void` when voided; a payment when it succeeded; a credit note when
issued (not an overpayment credit: its payment counted the money) and a `credit_note_void` when
voided; a refund when it was refunded.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ...domain.calendar import start_of_day
from ...domain.errors import InvalidInput
from ...domain.organization import Organization
from ...domain.statement import Statement, build_statements, month_to_date, statements_since

LONGEST_RANGE_DAYS = 366 * 10


@dataclass(frozen=True)
class StatementOfAccounts:
    customer_id: str
    start: date
    end: date
    statements: list[Statement]   # one per currency


def statement_for(adapters, org: Organization, customer_id: str, *, start: date | None, end: date | None,
                  now: datetime) -> StatementOfAccounts:
    """The statement for `start`..`end` (both included, days of the organization's time zone); by
    default this month so far. Customers bill in the organization's currency: a customer without
    transactions gets an empty statement in it."""
    start, end = statement_range(start, end, today=org.today(now))
    first = start_of_day(start, org.time_zone)
    since = adapters.uow.ledger.since(org.org_id, customer_id, first)
    statements = statements_since(since.entries, since.balances, start, end, default_currency=org.currency,
                                  time_zone=org.time_zone) if since.counts_every_entry else None
    if statements is None:      # the balances cannot be trusted: what came before the range is read too
        entries = adapters.uow.ledger.entries_before(org.org_id, customer_id, first) + since.entries
        statements = build_statements(entries, start, end, default_currency=org.currency, time_zone=org.time_zone)
    return StatementOfAccounts(customer_id, start, end, statements)


def statement_range(start: date | None, end: date | None, *, today: date) -> tuple[date, date]:
    """The asked range, filled in from this month: no `from` is the 1st, no `to` is today."""
    default_start, default_end = month_to_date(today)
    start, end = start or default_start, end or default_end
    if start > end:
        raise InvalidInput({"query.from": "Must not be after `to`."}, codes={"query.from": "range_reversed"})
    if (end - start).days > LONGEST_RANGE_DAYS:
        raise InvalidInput({"query.from": "A statement covers at most ten years."}, codes={"query.from": "range_too_long"})
    return start, end
