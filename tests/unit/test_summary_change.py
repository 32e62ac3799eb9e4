"""The open-credit-notes part of an account summary change: notes opened and closed add up, and
one issued and used up within the same transaction is never listed."""
from chalicelib.tables.repositories.summaries import SummaryChange, _credit_note_list


def test_changes_add_their_counts_and_their_opened_and_closed_notes():
    total = SummaryChange(credits_minor=500, credit_notes_opened=frozenset({"cn_a"})) + SummaryChange(
        credits_minor=-200, credit_notes_closed=frozenset({"cn_b"}))

    assert (total.credits_minor, total.credit_notes_opened, total.credit_notes_closed) == (
        300, {"cn_a"}, {"cn_b"})
    assert not total.is_empty


def test_a_note_opened_and_closed_in_one_change_is_in_neither():
    total = SummaryChange(credit_notes_opened=frozenset({"cn_a"})) + SummaryChange(
        credit_notes_closed=frozenset({"cn_a"}))

    assert (total.credit_notes_opened, total.credit_notes_closed) == (frozenset(), frozenset())
    assert total.is_empty


def test_closing_alone_deletes_from_the_list_and_with_an_opening_strikes_it_in_the_other_set():
    alone = _credit_note_list(SummaryChange(credit_notes_closed=frozenset({"cn_b"})))
    both = _credit_note_list(SummaryChange(credit_notes_opened=frozenset({"cn_a"}),
                                           credit_notes_closed=frozenset({"cn_b"})))

    assert [(type(action).__name__, action.values[0].path) for action in alone] == [
        ("DeleteAction", ["open_credit_note_ids"])]
    assert [(type(action).__name__, action.values[0].path) for action in both] == [
        ("AddAction", ["open_credit_note_ids"]), ("AddAction", ["closed_credit_note_ids"])]
