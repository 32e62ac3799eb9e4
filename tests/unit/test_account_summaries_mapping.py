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


def test_a_note_opened_again_leaves_the_struck_set_and_closings_beside_it_stay_listed():
    # Given an undo: an older note given its credit back, the note the undone action issued voided
    reopened = frozenset({"cn_older"})
    alone = _credit_note_list(SummaryChange(credit_notes_opened=reopened, credit_notes_reopened=reopened))
    with_a_closing = _credit_note_list(SummaryChange(credit_notes_opened=reopened, credit_notes_reopened=reopened,
                                                     credit_notes_closed=frozenset({"cn_voided"})))

    # Then the older note is listed and no longer struck, whether or not it was; the voided one is
    # left listed (its readers skip a closed note), as both sets already have an action
    assert [(type(action).__name__, action.values[0].path) for action in alone] == [
        ("AddAction", ["open_credit_note_ids"]), ("DeleteAction", ["closed_credit_note_ids"])]
    assert [(type(action).__name__, action.values[0].path) for action in with_a_closing] == [
        ("AddAction", ["open_credit_note_ids"]), ("DeleteAction", ["closed_credit_note_ids"])]
