"""Exports of the statement of accounts (the statement, its invoices, its payments) in one
currency, for the customer's range: the same `statement_for` the PDF renders from, shaped by
`domain.exports`. One read: the customer's ledger (the organization is the session check's)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ...domain import exports
from ...domain.currencies import require_supported
from ...domain.money import Money
from ...domain.organization import Organization
from ...domain.statement import Statement
from .statements import statement_for


@dataclass(frozen=True)
class Export:
    start: date
    end: date
    table: exports.ExportTable

    @property
    def filename_stem(self) -> str:
        """e.g. 'statement-USD-2026-11-01-to-2026-11-30': a kind, an ISO currency code and ISO days,
        nothing a header or a disk needs escaped."""
        return f"{self.table.kind}-{self.table.currency}-{self.start.isoformat()}-to-{self.end.isoformat()}"

    def csv(self) -> str:
        return exports.csv_text(self.table)


def export(adapters, org: Organization, customer_id: str, kind: exports.ExportKind, *, start: date | None,
           end: date | None, currency: str | None, now: datetime) -> Export:
    """The `kind` export in `currency` (by default the organization's); a currency the customer
    has no transactions in gives the header and, for the statement, zero balances."""
    currency = require_supported(currency, "query.currency") if currency else org.currency
    period = statement_for(adapters, org, customer_id, start=start, end=end, now=now)
    statement = next((s for s in period.statements if s.currency == currency), None) or _empty(currency, period)
    return Export(period.start, period.end, exports.export_table(kind, statement))


def _empty(currency: str, period) -> Statement:
    zero = Money.zero(currency)
    return Statement(currency=currency, period_start=period.start, period_end=period.end, opening_balance=zero,
                     rows=[], invoiced=zero, paid=zero, credited=zero, refunded=zero, closing_balance=zero)
