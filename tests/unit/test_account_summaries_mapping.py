"""How a change of the open-credit-notes list is written (tables/account_summaries.py): one UpdateItem
cannot ADD to and DELETE from one set, so closing alone deletes from the list, and closing with an
opening strikes the closed notes in the second set. No AWS: only the actions are built. The mirror of the saved payment methods: a whole write on the
version read, a payment's card appended with an ADD to that version."""
from dataclasses import replace
from datetime import datetime, timezone

from pynamodb.expressions.update import Update

from chalicelib.domain.account_summary import SummaryChange
from chalicelib.domain.payments import PaymentMethod
from chalicelib.tables.account_summaries import AccountSummaries, MirrorRead, _after, _credit_note_list, _mirror_write


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


# -- the mirror of the saved payment methods ------------------------------------------------------

def a_method(payment_method_id: str, *, version: int | None = 1, is_default: bool = False) -> PaymentMethod:
    return PaymentMethod(payment_method_id, "cus_1", "simulated", f"pm_sim_{payment_method_id}", "visa", "4242", 12,
                         2030, datetime(2026, 11, 1, tzinfo=timezone.utc), is_default=is_default, version=version)


def written(actions: list, condition=None) -> tuple[str, str | None, dict, dict]:
    """The update expression, the condition, and the names and values they use."""
    names, values = {}, {}
    update = Update(*actions).serialize(names, values)
    condition_text = condition.serialize(names, values) if condition is not None else None
    return update, condition_text, {v: k for k, v in names.items()}, values


class Recorded:
    """A transaction that records its updates."""
    def __init__(self):
        self.updates = []

    def update(self, item, actions, condition=None):
        self.updates.append((actions, condition))


def test_a_whole_write_of_the_mirror_is_conditional_on_the_version_read_and_moves_it_on():
    # Given methods read at mirror version 3: one kept, one made the default, one removed
    kept, chosen, removed = a_method("pm_a"), a_method("pm_b", version=4), a_method("pm_c")
    actions, condition = _mirror_write(MirrorRead(3, "USD"), "USD", _after(
        [kept, chosen, removed], (replace(chosen, is_default=True),), (removed,)))

    update, on, names, values = written(actions, condition)

    # Then the whole list is SET with the version one on, the currency kept, on the version read
    assert update == "SET #0 = if_not_exists (#0, :0), #1 = :1, #2 = :2, #3 = :3"
    assert [names[n] for n in ("#0", "#1", "#2", "#3")] == ["currency", "payment_methods", "methods_version",
                                                             "methods_mirrored"]
    assert on == "#2 = :4" and values[":4"] == {"N": "3"} and values[":2"] == {"N": "4"}
    listed = [(m["M"]["payment_method_id"]["S"], m["M"]["version"]["N"], m["M"]["is_default"]["BOOL"])
              for m in values[":1"]["L"]]
    # the method put is listed as its item will be once written: one version on
    assert listed == [("pm_a", "1", False), ("pm_b", "5", True)]


def test_a_first_whole_write_is_conditional_on_no_version_at_all():
    _, condition = _mirror_write(MirrorRead(None, None), "EUR", _after([], (a_method("pm_a", version=None),), ()))

    _, on, names, _ = written([], condition)

    assert on == "attribute_not_exists (#0)" and names["#0"] == "methods_version"


def test_a_payment_saving_a_card_appends_it_unconditionally_in_the_figures_update_and_adds_to_the_version():
    # Given a settlement's update of the summary with a new method
    tx = Recorded()
    AccountSummaries().apply_in(tx, "org_1", "cus_1", "USD", SummaryChange(outstanding_count=-1),
                                new_method=a_method("pm_new", version=None, is_default=True))

    [(actions, condition)] = tx.updates
    update, _, names, values = written(actions)

    # Then one update, without a condition: the figures, the method appended, the version ADDed to
    assert condition is None
    assert update == "SET #0 = if_not_exists (#0, :0), #1 = list_append (if_not_exists (#1, :1), :2) ADD #2 :3, #3 :4"
    assert [names[n] for n in ("#0", "#1", "#2", "#3")] == ["currency", "payment_methods", "outstanding_count",
                                                             "methods_version"]
    assert values[":1"] == {"L": []} and values[":4"] == {"N": "1"}
    # the new method as its item will be once written: at version 1
    assert [m["M"]["version"]["N"] for m in values[":2"]["L"]] == ["1"]


def test_a_payment_saving_no_card_with_nothing_else_to_record_writes_nothing():
    tx = Recorded()
    AccountSummaries().apply_in(tx, "org_1", "cus_1", "USD", SummaryChange())
    assert tx.updates == []
