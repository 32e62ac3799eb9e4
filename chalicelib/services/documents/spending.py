"""The customer's spending history, month by month: one Query of the ledger (the entries of the
months shown; the organization as the session check read it), shaped by `domain.spending` from the
same statements the statement page shows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ...domain.calendar import start_of_day
from ...domain.organization import Organization
from ...domain.spending import CurrencySpending, months_back, spending_history


@dataclass(frozen=True)
class Spending:
    months: int
    currencies: list[CurrencySpending]


def spending(adapters, org: Organization, customer_id: str, *, months: int, now: datetime) -> Spending:
    today = org.today(now)
    first_day = months_back(today, months)[0][0]
    entries = adapters.uow.ledger.between(org.org_id, customer_id, start_of_day(first_day, org.time_zone),
                                          start_of_day(today + timedelta(days=1), org.time_zone))
    return Spending(months, spending_history(entries, today=today, months=months, time_zone=org.time_zone,
                                             default_currency=org.currency))
