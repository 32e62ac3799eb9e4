"""An invoice knows whether it bills days still to come: those are what may later be credited."""
from datetime import date

from chalicelib.domain.documents import DocumentLine
from tests.support.domain_builders import an_invoice

TODAY = date(2026, 12, 5)


def billing(*periods: tuple[date | None, date | None]):
    return an_invoice(lines=tuple(DocumentLine("Pro", 10_000, period_start=start, period_end=end)
                                  for start, end in periods))


def test_a_term_that_ends_after_today_bills_days_to_come():
    assert billing((date(2026, 11, 25), date(2026, 12, 25))).bills_days_from(TODAY)


def test_a_term_that_ended_today_or_before_and_a_line_without_days_bill_none_to_come():
    assert not billing((date(2026, 11, 5), TODAY), (None, None)).bills_days_from(TODAY)
