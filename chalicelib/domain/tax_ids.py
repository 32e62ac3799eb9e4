"""A customer's tax IDs: the kinds Portico knows (EU and UK VAT numbers, the Australian ABN, the
Indian GSTIN, the US EIN), how each is written and, where the country publishes one, its check
digits. A value is kept normalised (spaces, dots, dashes and slashes removed, upper case) and a
value that is not valid is refused in plain words that name the kind ("This is not a valid German
VAT number: the check digit does not match.")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Literal

from .errors import InvalidInput

TaxIdType = Literal["eu_vat", "gb_vat", "au_abn", "in_gst", "us_ein"]
TAX_ID_TYPES: tuple[str, ...] = ("eu_vat", "gb_vat", "au_abn", "in_gst", "us_ein")
MOST_TAX_IDS = 5
PRINTED_AS = {"eu_vat": "VAT", "gb_vat": "VAT", "au_abn": "ABN", "in_gst": "GSTIN", "us_ein": "EIN"}
_SEPARATORS = re.compile(r"[\s.\-/]")
_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class TaxId:
    """One tax ID of a customer: `tax_id` names it in the portal's routes."""
    tax_id: str
    type: str
    value: str

    def printed(self) -> str:
        """How a document writes it: "VAT DE136695976", "EIN 12-3456789"."""
        value = f"{self.value[:2]}-{self.value[2:]}" if self.type == "us_ein" else self.value
        return f"{PRINTED_AS.get(self.type, self.type)} {value}"


class InvalidTaxId(InvalidInput):
    """A tax ID's value that is not one of its kind; `field` names where it was given. Its field code
    tells a number of the wrong form from one whose check digits fail (most likely a typo)."""

    def __init__(self, field: str, problem: str):
        code = ("required" if problem == ENTER_THE_NUMBER else
                "tax_id_check_digits" if problem.endswith(CHECK_FAILED) else "tax_id_format")
        super().__init__({field: problem}, codes={field: code})


ENTER_THE_NUMBER = "Enter the number."
CHECK_FAILED = ("does not match.", "do not match.")


def _matches(pattern: str, value: str) -> bool:
    """`\\d` is 0-9 here: other scripts' digits are no tax ID's."""
    return re.fullmatch(pattern, value, re.ASCII) is not None


def normalised(value: str) -> str:
    return _SEPARATORS.sub("", value).upper()


def valid_tax_id(kind: str, value: str, *, field: str = "value") -> str:
    """`value` normalised if it is a valid tax ID of `kind`; InvalidTaxId (on `field`) saying why not."""
    if kind not in _CHECKS:
        raise InvalidTaxId("type", f"Must be one of: {', '.join(TAX_ID_TYPES)}.")
    clean = normalised(value)
    problem = _CHECKS[kind](clean) if clean else ENTER_THE_NUMBER
    if isinstance(problem, str):
        raise InvalidTaxId(field, problem)
    return problem[0]


# --- EU VAT numbers, by country ---------------------------------------------------------------

def _de(digits: str) -> bool:
    """ISO 7064 MOD 11,10 over the first eight digits."""
    product = 10
    for d in digits[:8]:
        total = (int(d) + product) % 10 or 10
        product = 2 * total % 11
    return (11 - product) % 10 == int(digits[8])


def _fr(rest: str) -> bool:
    """The two-character key of a numeric key is (12 + 3 × (SIREN mod 97)) mod 97; keys with letters
    (issued since 2000 to some) have no published rule and are taken as written."""
    key, siren = rest[:2], rest[2:]
    return not key.isdigit() or int(key) == (12 + 3 * (int(siren) % 97)) % 97


def luhn(digits: str) -> bool:
    total = 0
    for position, d in enumerate(reversed(digits)):
        n = int(d) * (2 if position % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _it(digits: str) -> bool:
    return digits[:7] != "0000000" and luhn(digits)


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _es(rest: str) -> bool:
    """A company's CIF (letter, seven digits, a control digit or letter), a resident's DNI (eight
    digits, a letter) or a foreigner's NIE (X, Y or Z, seven digits, a letter)."""
    first, middle, last = rest[0], rest[1:8], rest[8]
    if first.isdigit():
        return middle.isdigit() and _DNI_LETTERS[int(rest[:8]) % 23] == last
    if first in "XYZ":
        return _DNI_LETTERS[int(str("XYZ".index(first)) + middle) % 23] == last
    if first in "KLM":
        return _DNI_LETTERS[int(middle) % 23] == last
    doubled = sum(sum(divmod(2 * int(d), 10)) for d in middle[0::2])
    control = (10 - (doubled + sum(int(d) for d in middle[1::2])) % 10) % 10
    return last in (str(control), "JABCDEFGHI"[control])


def _nl(rest: str) -> bool:
    """Before 2020 the nine digits are an eleven-test number; the sole traders' numbers issued since
    are ISO 7064 MOD 97-10 over the whole number, NL included."""
    digits = rest[:9]
    eleven = (sum(int(d) * w for d, w in zip(digits, range(9, 1, -1))) - int(digits[8])) % 11 == 0
    as_number = "".join(str(_ALPHANUMERIC.index(c)) for c in "NL" + rest)
    return eleven or int(as_number) % 97 == 1


def _be(digits: str) -> bool:
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


@dataclass(frozen=True)
class _Country:
    name: str
    pattern: str
    written: str
    check: Callable[[str], bool] | None = None


EU_COUNTRIES = {
    "AT": _Country("Austrian", r"U\d{8}", "ATU followed by 8 digits"),
    "BE": _Country("Belgian", r"[01]\d{9}", "BE followed by 10 digits starting with 0 or 1", _be),
    "BG": _Country("Bulgarian", r"\d{9,10}", "BG followed by 9 or 10 digits"),
    "CY": _Country("Cypriot", r"\d{8}[A-Z]", "CY followed by 8 digits and a letter"),
    "CZ": _Country("Czech", r"\d{8,10}", "CZ followed by 8 to 10 digits"),
    "DE": _Country("German", r"[1-9]\d{8}", "DE followed by 9 digits", _de),
    "DK": _Country("Danish", r"\d{8}", "DK followed by 8 digits"),
    "EE": _Country("Estonian", r"\d{9}", "EE followed by 9 digits"),
    "EL": _Country("Greek", r"\d{9}", "EL followed by 9 digits"),
    "ES": _Country("Spanish", r"[0-9A-Z]\d{7}[0-9A-Z]", "ES followed by 9 characters", _es),
    "FI": _Country("Finnish", r"\d{8}", "FI followed by 8 digits"),
    "FR": _Country("French", r"[0-9A-HJ-NP-Z]{2}\d{9}", "FR followed by a 2-character key and 9 digits", _fr),
    "HR": _Country("Croatian", r"\d{11}", "HR followed by 11 digits"),
    "HU": _Country("Hungarian", r"\d{8}", "HU followed by 8 digits"),
    "IE": _Country("Irish", r"\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W]", "IE followed by 8 or 9 characters"),
    "IT": _Country("Italian", r"\d{11}", "IT followed by 11 digits", _it),
    "LT": _Country("Lithuanian", r"\d{9}|\d{12}", "LT followed by 9 or 12 digits"),
    "LU": _Country("Luxembourg", r"\d{8}", "LU followed by 8 digits"),
    "LV": _Country("Latvian", r"\d{11}", "LV followed by 11 digits"),
    "MT": _Country("Maltese", r"\d{8}", "MT followed by 8 digits"),
    "NL": _Country("Dutch", r"[0-9A-Z+*]{9}B\d{2}", "NL followed by 9 characters, B and 2 digits", _nl),
    "PL": _Country("Polish", r"\d{10}", "PL followed by 10 digits"),
    "PT": _Country("Portuguese", r"\d{9}", "PT followed by 9 digits"),
    "RO": _Country("Romanian", r"[1-9]\d{1,9}", "RO followed by 2 to 10 digits"),
    "SE": _Country("Swedish", r"\d{10}01", "SE followed by 12 digits ending in 01"),
    "SI": _Country("Slovenian", r"[1-9]\d{7}", "SI followed by 8 digits"),
    "SK": _Country("Slovak", r"\d{10}", "SK followed by 10 digits"),
    "XI": _Country("Northern Irish", r"\d{9}|\d{12}|GD\d{3}|HA\d{3}", "XI followed by 9 or 12 digits"),
}


def _eu_vat(value: str) -> tuple[str] | str:
    prefix = "EL" if value[:2] == "GR" else value[:2]
    country = EU_COUNTRIES.get(prefix)
    if country is None:
        return "This is not a valid EU VAT number: it starts with the two letters of an EU country, as DE or FR."
    rest = value[2:]
    if not _matches(country.pattern, rest):
        return f"This is not a valid {country.name} VAT number: it is {country.written}."
    if country.check is not None and not country.check(rest):
        return f"This is not a valid {country.name} VAT number: the check digit does not match."
    if prefix == "XI" and rest[:2] not in ("GD", "HA") and not _gb_checks(rest):
        return f"This is not a valid {country.name} VAT number: the check digit does not match."
    return (prefix + rest,)


# --- the others -------------------------------------------------------------------------------

def _gb_checks(digits: str) -> bool:
    """Weights 8 to 2 over the first seven digits plus the next two: a multiple of 97, or (numbers
    issued since 2010, "9755") 55 short of one."""
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1))) + int(digits[7:9])
    return total % 97 in (0, 42)


def _gb_vat(value: str) -> tuple[str] | str:
    rest = value[2:] if value.startswith("GB") else value
    if _matches(r"GD[0-4]\d{2}|HA[5-9]\d{2}", rest):     # government departments, health authorities
        return ("GB" + rest,)
    if not _matches(r"\d{9}|\d{12}", rest):
        return "This is not a valid UK VAT number: it is GB followed by 9 or 12 digits."
    if not _gb_checks(rest):
        return "This is not a valid UK VAT number: the check digits do not match."
    return ("GB" + rest,)


def _au_abn(value: str) -> tuple[str] | str:
    if not _matches(r"[1-9]\d{10}", value):
        return "This is not a valid Australian Business Number: it is 11 digits."
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    total = sum(w * (int(d) - (1 if i == 0 else 0)) for i, (d, w) in enumerate(zip(value, weights)))
    if total % 89:
        return "This is not a valid Australian Business Number: the check digits do not match."
    return (value,)


def gst_check_character(first14: str) -> str:
    """The GSTIN's fifteenth character: Luhn mod 36 over the first fourteen."""
    total = 0
    for position, c in enumerate(first14):
        n = _ALPHANUMERIC.index(c) * (2 if position % 2 else 1)
        total += n // 36 + n % 36
    return _ALPHANUMERIC[(36 - total % 36) % 36]


def _in_gst(value: str) -> tuple[str] | str:
    if not _matches(r"\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]", value) or not 1 <= int(value[:2]) <= 99:
        return ("This is not a valid Indian GSTIN: it is 15 characters, a state code, the PAN, "
                "an entity number, Z and a check character.")
    if gst_check_character(value[:14]) != value[14]:
        return "This is not a valid Indian GSTIN: the check character does not match."
    return (value,)


# the campuses' prefixes the IRS assigns
EIN_PREFIXES = frozenset(f"{n:02d}" for n in [*range(1, 7), *range(10, 17), *range(20, 28), *range(30, 49),
                                              *range(50, 69), *range(71, 78), *range(80, 89), *range(90, 96),
                                              98, 99])


def _us_ein(value: str) -> tuple[str] | str:
    if not _matches(r"\d{9}", value):
        return "This is not a valid US EIN: it is 9 digits, written 12-3456789."
    if value[:2] not in EIN_PREFIXES:
        return f"This is not a valid US EIN: no EIN starts with {value[:2]}."
    return (value,)


_CHECKS: dict[str, Callable[[str], tuple[str] | str]] = {
    "eu_vat": _eu_vat, "gb_vat": _gb_vat, "au_abn": _au_abn, "in_gst": _in_gst, "us_ein": _us_ein}
