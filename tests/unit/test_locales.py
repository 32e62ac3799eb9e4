"""Money and days in the customer's language, as emails and PDFs write them: the same text the
browser's Intl writes on the page (checked against Node's Intl where Node is installed)."""
import json
import shutil
import subprocess
from datetime import date

import pytest

from chalicelib.domain import currencies
from chalicelib.domain.locales import LOCALES, day_text, money_text, preferred, supported

NBSP = "\u00a0"


def test_money_reads_as_each_language_writes_it():
    assert money_text(3520, "USD", "en-US") == "$35.20"
    assert money_text(3520, "USD", "de-DE") == f"35,20{NBSP}$"
    assert money_text(3520, "USD", "en-GB") == "US$35.20"
    assert money_text(-123456789, "EUR", "de-DE") == f"-1.234.567,89{NBSP}€"
    assert money_text(123456, "CHF", "en-US") == f"CHF{NBSP}1,234.56"
    assert money_text(500, "JPY", "en-US") == "¥500"
    assert money_text(1234567, "KWD", "de-DE") == f"1.234,567{NBSP}KWD"


def test_days_are_written_out():
    day = date(2026, 12, 6)
    assert day_text(day, "en-US") == "December 6, 2026"
    assert day_text(day, "en-GB") == "6 December 2026"
    assert day_text(day, "de-DE") == "6. Dezember 2026"


def test_a_browser_language_maps_to_a_way_of_writing_and_others_fall_back():
    assert supported("de") == supported("de-AT") == supported("de-de") == "de-DE"
    assert supported("en") == supported("en-US") == "en-US"
    assert supported("en-NZ") == supported("en-GB") == "en-GB"
    assert supported("fr-FR") is None and supported("not a tag") is None and supported("") is None
    assert preferred(None, "fr", "de-CH") == "de-DE"
    assert preferred("", None) == "en-US"


INTL = """
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map(([locale, amount, currency, exponent, day]) => [
  new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: exponent,
                                  maximumFractionDigits: exponent }).format(amount),
  new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(day + "T00:00:00Z"))])));
"""


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
def test_every_currency_and_month_reads_as_the_browsers_intl_writes_it():
    cases, expected = [], []
    for locale in LOCALES:
        for n, code in enumerate(sorted(currencies.CURRENCIES)):
            amount_minor = -123456789 if n % 3 == 0 else 5020
            exponent = currencies.exponent(code)
            day = date(2026, n % 12 + 1, n % 28 + 1)
            cases.append([locale, currencies.plain_text(amount_minor, code), code, exponent, day.isoformat()])
            expected.append([money_text(amount_minor, code, locale), day_text(day, locale)])
    answer = subprocess.run(["node", "-e", INTL], input=json.dumps(cases), capture_output=True, text=True, check=True)
    intl = json.loads(answer.stdout)
    differences = [(case[0], case[2], ours, theirs) for case, ours, theirs in zip(cases, expected, intl)
                   if ours != theirs]
    assert not differences, differences[:10]
