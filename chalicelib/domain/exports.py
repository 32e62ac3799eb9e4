"""Exports of a statement of accounts: the statement itself, its invoices and its payments as
tables of text, one currency each, and those tables as CSV (RFC 4180) or JSON-ready rows.

Every figure comes from the one `Statement` the PDF renders from, so an export matches it figure
for figure. Amounts are in major units with the currency's decimals ("35.20", JPY "3520", KWD
"1.230"), a minus sign for negative amounts, no thousands separators, no currency symbol (the
currency has its own column). A row's `type` is the ledger's kind (invoice, payment, credit_note,
refund, void, credit_note_void; opening_balance and closing_balance on the statement). docs/billing.md, "Exports", has the rules.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Literal

from .money import Money
from .statement import Statement, StatementRow

ExportKind = Literal["statement", "invoices", "payments"]
EXPORT_KINDS: tuple[ExportKind, ...] = ("statement", "invoices", "payments")

STATEMENT_COLUMNS = ("date", "type", "reference", "description", "currency", "amount", "balance")
DOCUMENT_COLUMNS = STATEMENT_COLUMNS[:-1]

# A spreadsheet takes a cell that starts with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportTable:
    kind: ExportKind
    currency: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]

    def records(self) -> list[dict[str, str]]:
        """The rows as objects named by the columns (the JSON export)."""
        return [dict(zip(self.columns, row)) for row in self.rows]


def amount_text(money: Money) -> str:
    """Major units with the currency's decimals: '35.20', '-3520' (JPY), '1.230' (KWD)."""
    return money.format()


def export_table(kind: ExportKind, statement: Statement) -> ExportTable:
    """The `kind` export of one currency's statement.

    - statement: an opening-balance row, every transaction with its signed effect on what is owed
      and the balance after it (as the PDF), a closing-balance row;
    - invoices: the invoices and voids of the period, signed as on the statement (they add up to
      the statement's invoiced amount);
    - payments: the payments and refunds of the period as money received: a payment positive, a
      refund negative (they add up to the statement's paid less refunded).
    """
    if kind == "statement":
        return ExportTable(kind, statement.currency, STATEMENT_COLUMNS, _statement_rows(statement))
    if kind == "invoices":
        rows = [_row(row, row.amount) for row in statement.rows if row.kind in ("invoice", "void")]
        return ExportTable(kind, statement.currency, DOCUMENT_COLUMNS, rows)
    if kind == "payments":
        rows = [_row(row, -row.amount) for row in statement.rows if row.kind in ("payment", "refund")]
        return ExportTable(kind, statement.currency, DOCUMENT_COLUMNS, rows)
    raise ValueError(f"export kind must be one of {', '.join(EXPORT_KINDS)}, got {kind!r}")


def _statement_rows(statement: Statement) -> list[tuple[str, ...]]:
    currency = statement.currency
    opening = (statement.period_start.isoformat(), "opening_balance", "", "", currency, "",
               amount_text(statement.opening_balance))
    closing = (statement.period_end.isoformat(), "closing_balance", "", "", currency, "",
               amount_text(statement.closing_balance))
    return [opening, *(_row(row, row.amount) + (amount_text(row.balance),) for row in statement.rows), closing]


def _row(row: StatementRow, amount: Money) -> tuple[str, ...]:
    return (row.on.isoformat(), row.kind, row.reference, row.description, amount.currency,
            amount_text(amount))


def csv_text(table: ExportTable) -> str:
    """RFC 4180: a header row, CRLF line ends, fields quoted where they need it; every text cell
    that a spreadsheet would run as a formula starts with an apostrophe instead. Amounts are
    written as they are: a negative amount is a number, not a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.columns)
    amounts = {index for index, column in enumerate(table.columns) if column in ("amount", "balance")}
    for row in table.rows:
        writer.writerow([cell if index in amounts else guarded(cell) for index, cell in enumerate(row)])
    return out.getvalue()


def guarded(cell: str) -> str:
    """`cell`, with a leading apostrophe if it starts like a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
