"""The account summary's changes (domain/account_summary.py): counts add up, notes opened and closed
add up, and one issued and used up within the same transaction is never listed; a credit note is
listed while it is open with a balance left. Pure: no AWS."""
from datetime import datetime, timezone

import pytest

from chalicelib.domain.account_summary import SummaryChange, credit_note_moved, is_open_credit
from chalicelib.domain.documents import CreditNote, CreditNoteStatus

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def note(status: CreditNoteStatus = CreditNoteStatus.OPEN, balance_minor: int = 500) -> CreditNote:
    return CreditNote(credit_note_id="cn_a", customer_id="cus_1", number="CN-000001", currency="USD",
                      status=status, issued_at=NOW, lines=(), total_minor=500, balance_minor=balance_minor)


def test_changes_add_their_counts_and_their_opened_and_closed_notes():
    total = SummaryChange(credits_minor=500, credit_notes_opened=frozenset({"cn_a"})) + SummaryChange(
        credits_minor=-200, credit_notes_closed=frozenset({"cn_b"}))

    assert (total.credits_minor, total.credit_notes_opened, total.credit_notes_closed) == (
        300, {"cn_a"}, {"cn_b"})
    assert not total.is_empty


def test_every_count_adds_up():
    total = SummaryChange(1, 100, 5, 1, 2) + SummaryChange(-1, -40, 5, 0, -2)

    assert (total.outstanding_count, total.outstanding_minor, total.credits_minor, total.pending_estimates,
            total.pending_timesheets) == (0, 60, 10, 1, 0)


def test_a_note_opened_and_closed_in_one_change_is_in_neither():
    total = SummaryChange(credit_notes_opened=frozenset({"cn_a"})) + SummaryChange(
        credit_notes_closed=frozenset({"cn_a"}))

    assert (total.credit_notes_opened, total.credit_notes_closed) == (frozenset(), frozenset())
    assert total.is_empty


def test_an_empty_change_is_empty():
    assert SummaryChange().is_empty
    assert not SummaryChange(pending_estimates=1).is_empty


@pytest.mark.parametrize("status, balance_minor, listed", [
    (CreditNoteStatus.OPEN, 500, True), (CreditNoteStatus.OPEN, 0, False),
    (CreditNoteStatus.CLOSED, 0, False), (CreditNoteStatus.VOID, 500, False)])
def test_a_credit_note_is_listed_open_while_it_is_open_with_a_balance(status, balance_minor, listed):
    assert is_open_credit(note(status, balance_minor)) is listed


def test_a_note_issued_with_a_balance_is_opened_and_one_used_up_or_voided_is_closed():
    issued, used_up = note(), note(CreditNoteStatus.CLOSED, 0)

    assert credit_note_moved(None, issued) == SummaryChange(credit_notes_opened=frozenset({"cn_a"}))
    assert credit_note_moved(issued, used_up) == SummaryChange(credit_notes_closed=frozenset({"cn_a"}))
    assert credit_note_moved(issued, note(CreditNoteStatus.VOID)) == SummaryChange(
        credit_notes_closed=frozenset({"cn_a"}))
    assert credit_note_moved(used_up, note(balance_minor=200)) == SummaryChange(
        credit_notes_opened=frozenset({"cn_a"}), credit_notes_reopened=frozenset({"cn_a"}))


def test_a_note_that_stays_open_or_stays_closed_moves_nothing():
    assert credit_note_moved(note(), note(balance_minor=200)).is_empty
    assert credit_note_moved(None, note(CreditNoteStatus.CLOSED, 0)).is_empty
