"""Tax IDs: each kind's format and check digits, normalised values, and refusals in plain words."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from chalicelib.domain.tax_ids import InvalidTaxId, TaxId, gst_check_character, valid_tax_id

VALID = [
    ("eu_vat", "DE 136 695 976", "DE136695976"),
    ("eu_vat", "fr 40 303 265 045", "FR40303265045"),
    ("eu_vat", "IT00743110157", "IT00743110157"),
    ("eu_vat", "ES A13585625", "ESA13585625"),
    ("eu_vat", "ES54362315K", "ES54362315K"),
    ("eu_vat", "ESX5253868R", "ESX5253868R"),
    ("eu_vat", "NL004495445B01", "NL004495445B01"),
    ("eu_vat", "NL002455799B11", "NL002455799B11"),
    ("eu_vat", "BE 0403.019.261", "BE0403019261"),
    ("eu_vat", "ATU13585627", "ATU13585627"),
    ("gb_vat", "GB 980 7806 84", "GB980780684"),
    ("gb_vat", "100 1950 75", "GB100195075"),
    ("au_abn", "83 914 571 673", "83914571673"),
    ("in_gst", "27aapfu0939f1zv", "27AAPFU0939F1ZV"),
    ("us_ein", "04-2103594", "042103594"),
]


@pytest.mark.parametrize("kind, given_value, kept", VALID)
def test_a_valid_number_is_kept_without_separators_in_upper_case(kind, given_value, kept):
    assert valid_tax_id(kind, given_value) == kept


@pytest.mark.parametrize("kind, value, words", [
    ("eu_vat", "DE136695977", "This is not a valid German VAT number: the check digit does not match."),
    ("eu_vat", "DE13669597", "This is not a valid German VAT number: it is DE followed by 9 digits."),
    ("eu_vat", "FR41303265045", "This is not a valid French VAT number: the check digit does not match."),
    ("eu_vat", "IT00743110158", "This is not a valid Italian VAT number: the check digit does not match."),
    ("eu_vat", "ESA13585626", "This is not a valid Spanish VAT number: the check digit does not match."),
    ("eu_vat", "NL004495446B01", "This is not a valid Dutch VAT number: the check digit does not match."),
    ("eu_vat", "BE0403019262", "This is not a valid Belgian VAT number: the check digit does not match."),
    ("eu_vat", "US123456789", "This is not a valid EU VAT number: it starts with the two letters of an EU "
                              "country, as DE or FR."),
    ("gb_vat", "GB980780685", "This is not a valid UK VAT number: the check digits do not match."),
    ("au_abn", "83914571674", "This is not a valid Australian Business Number: the check digits do not match."),
    ("in_gst", "27AAPFU0939F1ZA", "This is not a valid Indian GSTIN: the check character does not match."),
    ("us_ein", "07-2103594", "This is not a valid US EIN: no EIN starts with 07."),
    ("us_ein", "1234", "This is not a valid US EIN: it is 9 digits, written 12-3456789."),
])
def test_an_invalid_number_is_refused_in_words_naming_its_kind(kind, value, words):
    with pytest.raises(InvalidTaxId) as refused:
        valid_tax_id(kind, value, field="tax_id.value")
    assert refused.value.fields == {"tax_id.value": words}


def test_an_unknown_kind_is_refused_on_the_type():
    with pytest.raises(InvalidTaxId) as refused:
        valid_tax_id("ch_uid", "CHE123456789")
    assert list(refused.value.fields) == ["type"]


def test_an_empty_value_asks_for_the_number():
    with pytest.raises(InvalidTaxId) as refused:
        valid_tax_id("eu_vat", " - ")
    assert refused.value.fields == {"value": "Enter the number."}


def _german_check(eight: str) -> str:
    product = 10
    for d in eight:
        product = 2 * ((int(d) + product) % 10 or 10) % 11
    return str((11 - product) % 10)


@given(st.from_regex(r"[1-9][0-9]{7}", fullmatch=True))
def test_every_german_number_with_its_check_digit_is_valid_and_every_other_last_digit_is_not(eight):
    right = _german_check(eight)
    assert valid_tax_id("eu_vat", f"DE{eight}{right}") == f"DE{eight}{right}"
    for wrong in set("0123456789") - {right}:
        with pytest.raises(InvalidTaxId):
            valid_tax_id("eu_vat", f"DE{eight}{wrong}")


@given(st.from_regex(r"0[0-9]{7}", fullmatch=True))
def test_a_belgian_number_is_valid_with_97_less_its_remainder_and_with_nothing_else(eight):
    check = 97 - int(eight) % 97
    assert valid_tax_id("eu_vat", f"BE{eight}{check:02d}") == f"BE{eight}{check:02d}"
    with pytest.raises(InvalidTaxId):
        valid_tax_id("eu_vat", f"BE{eight}{(check % 97) + 1:02d}")


@given(st.from_regex(r"[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z", fullmatch=True).filter(lambda v: v[:2] != "00"),
       st.integers(0, 13), st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
def test_a_gstin_whose_one_character_changed_no_longer_matches_its_check_character(first14, position, other):
    number = first14 + gst_check_character(first14)
    assert valid_tax_id("in_gst", number) == number
    changed = number[:position] + other + number[position + 1:]
    if changed != number:
        assert gst_check_character(changed[:14]) != number[14]


@given(st.sampled_from([kept for _, _, kept in VALID]), st.sampled_from([" ", ".", "-", "/"]))
def test_separators_anywhere_change_nothing(kept, separator):
    kind = next(kind for kind, _, value in VALID if value == kept)
    assert valid_tax_id(kind, separator.join(kept)) == kept


def test_a_document_prints_the_kind_and_the_number_as_it_is_written():
    assert TaxId("t1", "eu_vat", "DE136695976").printed() == "VAT DE136695976"
    assert TaxId("t2", "us_ein", "042103594").printed() == "EIN 04-2103594"
    assert TaxId("t3", "au_abn", "83914571673").printed() == "ABN 83914571673"


@given(st.sampled_from(["eu_vat", "gb_vat", "au_abn", "in_gst", "us_ein"]), st.text(max_size=30))
def test_any_text_is_either_a_number_of_its_kind_or_refused_in_words(kind, text):
    try:
        kept = valid_tax_id(kind, text)
    except InvalidTaxId as refused:
        assert list(refused.fields) == ["value"]
    else:
        assert kept == valid_tax_id(kind, kept)
