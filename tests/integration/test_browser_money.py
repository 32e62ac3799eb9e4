"""The browser's money formatting (web/assets/format.js), run in Node's V8 and ICU, as Chromium
runs it: amounts are shown with the decimals the server's answers say (`currency_exponent`),
never with Intl's own idea of a currency (Intl shows IQD with none where ISO 4217 has three)."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[2] / "chalicelib" / "web" / "assets"
NODE = shutil.which("node")

SCRIPT = """
Object.defineProperty(globalThis, "navigator", { value: { languages: ["en-US"] }, configurable: true });
globalThis.document = { documentElement: {} };   // i18n.js names the page's language
const format = await import(process.argv[1]);
const [answers, calls] = JSON.parse(process.argv[2]);
answers.forEach(format.learnCurrencies);
console.log(JSON.stringify(calls.map((args) => format.money(...args))));
"""


def shown(tmp_path: Path, answers: list, calls: list) -> list[str]:
    # format.js with the modules it imports (i18n.js, the catalogues), as ES modules to Node
    assets = tmp_path / "assets"
    shutil.copytree(ASSETS, assets, ignore=shutil.ignore_patterns("*.css", "*.html", "*.png", "*.svg"))
    (assets / "package.json").write_text('{"type": "module"}')
    module = assets / "format.js"
    ran = subprocess.run([NODE, "--input-type=module", "-e", SCRIPT, str(module), json.dumps([answers, calls])],
                         capture_output=True, text=True, check=True, timeout=30)
    return [text.replace("\u00a0", " ") for text in json.loads(ran.stdout)]


pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def test_amounts_are_shown_with_the_decimals_the_answers_gave(tmp_path):
    # Given answers naming IQD (three decimals for ISO 4217, none for Intl), ISK (none) and KWD (three)
    answers = [{"items": [{"currency": "IQD", "currency_exponent": 3, "total_minor": 1_234_567}]},
               {"organization": {"currency": "ISK", "currency_exponent": 0}},
               [{"outstanding": {"currency": "KWD", "currency_exponent": 3}}]]

    # When amounts in them are shown
    texts = shown(tmp_path, answers, [[1_234_567, "IQD"], [5_000, "ISK"], [-12_345, "KWD"]])

    # Then with the server's decimals: 1,234.567 dinars, not 1,235 (Intl's guess) nor 1,234,567
    assert texts == ["IQD 1,234.567", "ISK 5,000", "-KWD 12.345"]


def test_an_amount_object_carrying_its_exponent_needs_nothing_learnt(tmp_path):
    texts = shown(tmp_path, [], [[{"amount_minor": 1999, "currency": "USD", "currency_exponent": 2}]])

    assert texts == ["$19.99"]


def test_an_amount_in_a_currency_no_answer_named_is_not_guessed(tmp_path):
    assert shown(tmp_path, [], [[1999, "USD"]]) == ["USD 1999 (minor units)"]
