"""rebuild-ledger writes a customer's entries in transactions that fit DynamoDB's 100 items with
the balance of each currency they are added to (services/documents/ledger_backfill.py)."""
from datetime import datetime, timedelta, timezone

from hypothesis import given, strategies as st

from chalicelib.domain.money import Money
from chalicelib.domain.statement import LedgerEntry
from chalicelib.services.documents.ledger_backfill import TRANSACTION_ITEMS, _batches

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@given(currencies=st.lists(st.sampled_from(["USD", "EUR", "GBP", "JPY"]), max_size=400))
def test_every_entry_is_written_once_in_order_and_no_transaction_exceeds_its_items(currencies):
    # Given a customer's history, its entries in any of a few currencies
    entries = [LedgerEntry(START + timedelta(hours=n), "invoice", f"INV-{n}", "", Money(100, currency))
               for n, currency in enumerate(currencies)]

    # When they are cut into transactions
    batches = list(_batches(entries))

    # Then each holds its entries and their currencies' balances within the limit, none is empty,
    # and together they are every entry once, in order
    assert all(0 < len(b) + len({e.amount.currency for e in b}) <= TRANSACTION_ITEMS for b in batches)
    assert [e for b in batches for e in b] == entries
