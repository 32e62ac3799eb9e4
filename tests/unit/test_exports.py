"""Exports are the statement's own figures as text: major units with the currency's decimals,
RFC 4180 CSV with a header and CRLF, and no cell a spreadsheet would run as a formula."""
import csv
import io
from datetime import date, datetime, timezone

from hypothesis import given, strategies as st

from chalicelib.domain.exports import csv_text, export_table, guarded
from chalicelib.domain.money import Money
from chalicelib.domain.statement import LedgerEntry, build_statements

MARCH_1, MARCH_31 = date(2026, 3, 1), date(2026, 3, 31)


def on(day, hour=12):
    return datetime(2026, 3, day, hour, tzinfo=timezone.utc)


def entry(kind, minor, at, currency="USD", reference=None, description=""):
    return LedgerEntry(at=at, kind=kind, reference=reference or f"{kind}-{minor}", description=description,
                       amount=Money(minor, currency))


def march(*entries, currency="USD"):
    [statement] = build_statements(list(entries), MARCH_1, MARCH_31, default_currency=currency)
    return statement


def parsed(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_statement_export_is_the_opening_balance_every_row_with_its_balance_and_the_closing_balance():
    # Given February's 100.00 and March's invoice, payment and refund
    statement = march(entry("invoice", 10_000, datetime(2026, 2, 20, tzinfo=timezone.utc)),
                      entry("invoice", 3_520, on(5), reference="INV-7", description="Pro, March"),
                      entry("payment", -5_000, on(9), reference="pay_1"),
                      entry("refund", 1_000, on(10), reference="CN-1"))
    # When it is exported
    table = export_table("statement", statement)
    # Then the rows are the statement's, in major units, opening and closing around them
    assert table.columns == ("date", "type", "reference", "description", "currency", "amount", "balance")
    assert table.rows == [
        ("2026-03-01", "opening_balance", "", "", "USD", "", "100.00"),
        ("2026-03-05", "invoice", "INV-7", "Pro, March", "USD", "35.20", "135.20"),
        ("2026-03-09", "payment", "pay_1", "", "USD", "-50.00", "85.20"),
        ("2026-03-10", "refund", "CN-1", "", "USD", "10.00", "95.20"),
        ("2026-03-31", "closing_balance", "", "", "USD", "", "95.20"),
    ]


def test_amounts_have_the_currencys_own_decimals():
    assert export_table("invoices", march(entry("invoice", 3_520, on(5), "JPY"), currency="JPY")).rows[0][5] == "3520"
    assert export_table("invoices", march(entry("invoice", 1_230, on(5), "KWD"), currency="KWD")).rows[0][5] == "1.230"
    assert export_table("invoices", march(entry("invoice", 5, on(5)))).rows[0][5] == "0.05"


def test_invoices_add_up_to_the_invoiced_amount_and_payments_less_refunds_to_the_paid_less_refunded():
    statement = march(entry("invoice", 5_000, on(3)), entry("invoice", 2_000, on(4)), entry("void", -2_000, on(5)),
                      entry("credit_note", -500, on(6)), entry("payment", -4_000, on(7)), entry("refund", 1_000, on(8)))
    invoices, payments = export_table("invoices", statement), export_table("payments", statement)

    assert [(row[1], row[5]) for row in invoices.rows] == [("invoice", "50.00"), ("invoice", "20.00"),
                                                          ("void", "-20.00")]
    assert [(row[1], row[5]) for row in payments.rows] == [("payment", "40.00"), ("refund", "-10.00")]
    assert statement.invoiced.format() == "50.00"
    assert (statement.paid - statement.refunded).format() == "30.00"


def test_the_csv_has_a_header_crlf_line_ends_and_quotes_only_where_needed():
    statement = march(entry("invoice", 3_520, on(5), reference="INV-7", description='Pro, "annual"\nplan'))
    text = csv_text(export_table("invoices", statement))

    assert text.startswith("date,type,reference,description,currency,amount\r\n")
    assert text.endswith("\r\n")
    assert '2026-03-05,invoice,INV-7,"Pro, ""annual""\nplan",USD,35.20\r\n' in text
    assert parsed(text)[1] == ["2026-03-05", "invoice", "INV-7", 'Pro, "annual"\nplan', "USD", "35.20"]


def test_a_text_cell_that_starts_like_a_formula_gets_a_leading_apostrophe_but_a_negative_amount_stays_a_number():
    statement = march(entry("payment", -5_000, on(9), reference="pay_1", description="=HYPERLINK(\"x\")"),
                      entry("invoice", 100, on(10), reference="@SUM(A1)", description="+1"),
                      entry("invoice", 200, on(11), description="-2"))
    [_header, _opening, first, second, third, _closing] = parsed(csv_text(export_table("statement", statement)))
    assert first[3] == "'=HYPERLINK(\"x\")" and first[5] == "-50.00"
    assert (second[2], second[3]) == ("'@SUM(A1)", "'+1")
    assert third[3] == "'-2"
    assert [guarded(cell) for cell in ("=1", "+1", "-1", "@1", "\t1", "plain", "")] == \
        ["'=1", "'+1", "'-1", "'@1", "'\t1", "plain", ""]


@given(st.lists(st.tuples(st.sampled_from(["invoice", "payment", "credit_note", "refund"]),
                          st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=31)),
                max_size=30),
       st.sampled_from(["USD", "JPY", "KWD"]))
def test_every_csv_row_is_the_statement_row_figure_for_figure(moves, currency):
    # Given any month of transactions
    sign = {"invoice": 1, "payment": -1, "credit_note": -1, "refund": 1}
    statement = march(*(entry(kind, sign[kind] * minor, on(day), currency) for kind, minor, day in moves),
                      currency=currency)
    # When it is exported and read back
    rows = parsed(csv_text(export_table("statement", statement)))[1:]
    # Then each row's amount and balance are the statement's, and the ends are its balances
    assert [(row[5], row[6]) for row in rows[1:-1]] == [(r.amount.format(), r.balance.format())
                                                        for r in statement.rows]
    assert rows[0][6] == statement.opening_balance.format() and rows[-1][6] == statement.closing_balance.format()
