"""How a change of the open-credit-notes list is written (tables/account_summaries.py): one UpdateItem
cannot ADD to and DELETE from one set, so closing alone deletes from the list, and closing with an
opening strikes the closed notes in the second set. No AWS: only the actions are built."""
from chalicelib.domain.account_summary import SummaryChange
from chalicelib.tables.account_summaries import _credit_note_list


def test_closing_alone_deletes_from_the_list_and_with_an_opening_strikes_it_in_the_other_set():
    alone = _credit_note_list(SummaryChange(credit_notes_closed=frozenset({"cn_b"})))
    both = _credit_note_list(SummaryChange(credit_notes_opened=frozenset({"cn_a"}),
                                           credit_notes_closed=frozenset({"cn_b"})))

    assert [(type(action).__name__, action.values[0].path) for action in alone] == [
        ("DeleteAction", ["open_credit_note_ids"])]
    assert [(type(action).__name__, action.values[0].path) for action in both] == [
        ("AddAction", ["open_credit_note_ids"]), ("AddAction", ["closed_credit_note_ids"])]
