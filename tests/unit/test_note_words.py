"""Every note a quote can carry has its words as data: its English text (what quotes answer in
`notes`) says exactly what it said before notes had words, and each kind has words in every
language the portal speaks, written there with the language's dates."""
import json
import re
from datetime import date
from typing import get_args

import pytest

from chalicelib.domain.note_words import NoteKind, NoteWords
from tests.support.browser_modules import NEEDS_NODE, run_as_a_page
from tests.support.catalogues import LANGUAGES, PLURAL_CATEGORIES, catalogue

DEC_10 = date(2026, 12, 10)

# one note of each kind, and what the engine said for it before notes had words
SAID_BEFORE = [
    (NoteWords("prorated_by_day", 15, 31), "Prorated by day: 15 of 31 days remain."),
    (NoteWords("term_restarts_today", 18, 30, name="Business yearly"),
     "The current term ends today: its 18 unused of 30 days are credited, and a new term of Business yearly "
     "starts today."),
    (NoteWords("unused_days_credited", 15, 31), "The unused 15 of 31 days of the term are credited."),
    (NoteWords("kept_days_continue", 21, day=DEC_10),
     "The 21 paid days kept at the pause continue until 2026-12-10; nothing is charged now."),
    (NoteWords("kept_days_credited", 21), "The 21 paid days kept at the pause are credited."),
    (NoteWords("unpaid_term_goes_on", day=DEC_10), "The term to 2026-12-10 goes on: its open invoice is what is due."),
    (NoteWords("cancelled_term_days_credited", 9), "The 9 paid days of the cancelled term from today are credited."),
    (NoteWords("change_at_term_end"), "Nothing is charged now; the change applies when the current term ends."),
    (NoteWords("replaces_scheduled_change", day=DEC_10, name="Business yearly"),
     "This replaces the change to Business yearly scheduled for 2026-12-10."),
    (NoteWords("billing_starts_with_first_term"), "Nothing is charged now; billing starts with the first term."),
    (NoteWords("pause_keeps_days", 21),
     "The 21 paid, unused days of the term are kept: they continue when the subscription resumes, before the next "
     "invoice."),
    (NoteWords("pauses_on", day=DEC_10), "It pauses on 2026-12-10."),
    (NoteWords("pause_leaves_nothing"), "No paid time is left in the term then: nothing is credited."),
    (NoteWords("pause_will_keep_days", 1), "The 1 paid, unused days from then are kept for after the resume."),
    (NoteWords("pause_will_credit_days", 19),
     "The 19 paid, unused days from then are credited to your account by day."),
    (NoteWords("active_until", day=DEC_10), "It stays active until 2026-12-10 and will not renew."),
    (NoteWords("ends_now"), "It ends now."),
    (NoteWords("ends_now_forfeits_days", 15),
     "It ends now. No refund is given for the unused 15 day(s) of the current term; invoices already raised "
     "remain due."),
    (NoteWords("ends_now_nothing_due"), "It ends now. Nothing is charged or refunded."),
]


def test_the_table_has_a_note_of_every_kind():
    assert sorted(words.kind for words, _ in SAID_BEFORE) == sorted(get_args(NoteKind))


@pytest.mark.parametrize("words, before", SAID_BEFORE, ids=[words.kind for words, _ in SAID_BEFORE])
def test_a_notes_english_is_what_the_engine_said_before(words, before):
    assert words.english() == before


def messages_of(kind: str, language: str) -> list[str]:
    """A kind's message, or its forms for each plural category."""
    messages = catalogue(language)
    if f"note.{kind}" in messages:
        return [messages[f"note.{kind}"]]
    return [messages[f"note.{kind}.{category}"] for category in PLURAL_CATEGORIES if f"note.{kind}.{category}" in messages]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_of_note_has_words_that_say_its_values_in_every_language(language):
    for words, _ in SAID_BEFORE:
        forms = messages_of(words.kind, language)
        counted = words.days is not None
        # Then it has one message, or one per plural category where it counts days
        assert len(forms) == (len(PLURAL_CATEGORIES) if counted else 1), (language, words.kind)
        for text in forms:
            # And each says every value the note has, and no other
            said = set(re.findall(r"\{(\w+)\}", text))
            given = {name for name, value in (("day", words.day), ("name", words.name)) if value}
            if counted:
                given |= {"days", "count"} if words.days_in_term is not None else {"count"}
            assert said == given, (language, words.kind, text)


WRITTEN = """
const { noteText } = await import(process.argv[2] + "/note_words.js");
const notes = JSON.parse(process.argv[3]);
console.log(JSON.stringify(notes.map(([text, words]) => noteText(text, words))));
"""


def written_in(language: str, notes: list) -> list[str]:
    return run_as_a_page(language, WRITTEN, json.dumps(notes))


def answered(words: NoteWords) -> dict:
    """The note's words as the quote answers them."""
    return {"kind": words.kind, "days": words.days, "days_in_term": words.days_in_term,
            "day": words.day.isoformat() if words.day else None, "name": words.name}


@NEEDS_NODE
def test_the_browser_writes_every_note_in_german_with_german_days_and_shows_a_note_without_words_as_it_is():
    # Given every kind of note, a note without words and a note of a kind the browser does not know
    notes = [[before, answered(words)] for words, before in SAID_BEFORE]
    notes += [["Said in English only.", None], ["A new kind.", {**answered(NoteWords("ends_now")), "kind": "new"}]]

    # When a German and an American browser write them
    german, english = written_in("de-DE", notes), written_in("en-US", notes)

    # Then each known note is written whole in German, its day the German way
    for (before, words), text in zip(notes[:-2], german):
        assert text != before and "{" not in text and not re.search(r"\d{4}-\d{2}-\d{2}", text), text
        if words["day"]:
            assert "10. Dezember 2026" in text, text
    # And in English with written days and a plural that fits the count
    assert english[[w.kind for w, _ in SAID_BEFORE].index("pauses_on")] == "It pauses on December 10, 2026."
    assert english[[w.kind for w, _ in SAID_BEFORE].index("pause_will_keep_days")] == (
        "The 1 paid, unused day from then is kept for after the resume.")
    # And the notes without words the portal knows are shown as they are
    assert german[-2:] == english[-2:] == ["Said in English only.", "A new kind."]
