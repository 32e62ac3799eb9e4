import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.password_policy import (
    MAX_LENGTH, MIN_LENGTH, check_password, normalise, validate_password,
)

GOOD_PASSPHRASE = "plinth marmalade overture"


def problems_with(password, *, email="alice@example.com", org_name="Acme Corp"):
    return check_password(password, email=email, org_name=org_name)


def is_refused_for(problems, word):
    return any(word in problem for problem in problems)


# Length


def test_a_fifteen_character_password_is_long_enough():
    assert problems_with("vq8rt mzk lwpxh") == []


def test_a_fourteen_character_password_is_too_short_and_says_how_long_it_is():
    problems = problems_with("vq8rt mzk lwpx")

    assert problems == [f"Use at least {MIN_LENGTH} characters (this has 14)"]


def test_length_is_counted_in_code_points_after_nfkc_normalisation():
    # Given "é" written as "e" + a combining accent: two code points that NFKC composes into one
    decomposed_e_acute = "e\u0301"

    # Then 15 of them are 15 characters, not 30, and 14 are too few
    assert not is_refused_for(problems_with("plé" + decomposed_e_acute * 12), "at least")
    assert is_refused_for(problems_with("pl" + decomposed_e_acute * 12), "at least")


def test_the_maximum_length_is_accepted_and_one_more_character_is_refused():
    # Given passwords made of a varied phrase, so only their length matters
    longest = (GOOD_PASSPHRASE * 20)[:MAX_LENGTH - 1] + "z"

    assert problems_with(longest) == []
    assert problems_with(longest + "z") == [f"Use at most {MAX_LENGTH} characters (this has 257)"]


def test_composition_rules_are_not_imposed():
    # Lower-case letters and spaces only: no digit, no capital, no symbol required
    assert problems_with(GOOD_PASSPHRASE) == []


# Common passwords


def test_a_common_password_is_refused_even_when_long_enough():
    # "1qaz2wsx3edc4rfv" is in zxcvbn's list of common passwords
    assert is_refused_for(problems_with("1qaz2wsx3edc4rfv"), "commonly used")


def test_a_short_common_password_is_refused_for_both_reasons():
    problems = problems_with("password")

    assert is_refused_for(problems, "at least")
    assert is_refused_for(problems, "commonly used")


def test_common_passwords_are_recognised_whatever_their_case():
    assert is_refused_for(problems_with("1QAZ2WSX3EDC4RFV"), "commonly used")


@pytest.mark.parametrize("padded", [
    "iloveyou2024!!!!",
    "football#123456789",
    "2024!!sunshine!!2024",
])
def test_a_common_password_padded_with_digits_or_punctuation_is_refused(padded):
    assert is_refused_for(problems_with(padded), "commonly used")


@pytest.mark.parametrize("repeated", [
    "passwordpassword1",
    "password1password1",
    "monkey monkey monkey",
    "dragondragondragon!",
])
def test_a_common_password_repeated_is_refused(repeated):
    assert is_refused_for(problems_with(repeated), "commonly used")


def test_full_width_characters_do_not_disguise_a_common_password():
    # NFKC turns full-width letters and digits into ASCII ones
    assert is_refused_for(problems_with("ｐａｓｓｗｏｒｄ１２３４５６７８９"), "commonly used")


def test_a_long_random_suffix_does_not_make_a_common_word_acceptable():
    # The core left after the padding is stripped is what is compared
    assert is_refused_for(problems_with("monkey8#3!9@4&1"), "commonly used")


# Repetition and sequences


@pytest.mark.parametrize("pattern", [
    "aaaaaaaaaaaaaaaa",
    "                ",
    "abcdefghijklmnopq",
    "zyxwvutsrqponmlk",
    "1234567890123456",
    "qwertyuiopasdfghj",
    "abababababababab",
    "xkcdxkcdxkcdxkcd",
    "abcdefgabcdefgabcdefg",
    "aaaaaaaaaaaaaa1!",
    "αβγδεζηθικλμνξοπ",
])
def test_repeated_characters_repeated_blocks_and_sequences_are_refused(pattern):
    assert is_refused_for(problems_with(pattern), "simple sequence")


def test_a_single_letter_between_strong_padding_is_not_called_a_pattern():
    assert problems_with("9!2@7#zzz&4*1(8)") == []


# Context words


def test_the_email_local_part_is_refused_whatever_its_case():
    problems = problems_with("ALICE went through the looking glass", email="alice@example.com")

    assert is_refused_for(problems, "email address")


def test_the_whole_email_is_refused_even_when_its_local_part_is_short():
    # Given a local part of two letters, too short to refuse on its own
    email = "al@example.com"

    assert problems_with("always look on the bright side", email=email) == []
    assert is_refused_for(problems_with("my login is al@example.com", email=email), "email address")


def test_the_organization_name_is_refused_with_or_without_its_spaces():
    assert is_refused_for(problems_with("acme corp pays my bills"), "organization")
    assert is_refused_for(problems_with("AcmeCorp pays my bills"), "organization")


def test_no_email_and_no_organization_means_no_context_words():
    assert problems_with("alice at acme corp forever", email=None, org_name=None) == []


# Normalisation and validation


def test_normalise_applies_nfkc():
    assert normalise("ｐａｓｓ\u00a0e\u0301") == "pass é"


def test_validate_password_accepts_a_good_password_silently():
    validate_password(GOOD_PASSPHRASE, email="alice@example.com", org_name="Acme Corp")


def test_validate_password_reports_every_problem_on_the_new_password_field():
    with pytest.raises(InvalidInput) as raised:
        validate_password("alice", email="alice@example.com")

    message = raised.value.fields["new_password"]
    assert "at least 15 characters" in message
    assert "email address" in message
    assert "; " in message


def test_validate_password_can_name_another_field():
    with pytest.raises(InvalidInput) as raised:
        validate_password("short", email=None, field="password")

    assert list(raised.value.fields) == ["password"]
