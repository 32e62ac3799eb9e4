"""The customer's spending history, month by month: one Query of the ledger (every entry up to
today; the organization as the session check read it), shaped by `domain.spending` from the same statements the statement page shows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ...domain.calendar import start_of_day
from ...domain.organization import Organization
from ...domain.spending import CurrencySpending, spending_history


@dataclass(frozen=True)
class Spending:
    months: int
    currencies: list[CurrencySpending]


def spending(adapters, org: Organization, customer_id: str, *, months: int, now: datetime) -> Spending:
    today = org.today(now)
    entries = adapters.uow.ledger.entries_before(org.org_id, customer_id,
                                                 start_of_day(today + timedelta(days=1), org.time_zone))
    return Spending(months, spending_history(entries, today=today, months=months, time_zone=org.time_zone,
                                             default_currency=org.currency))
