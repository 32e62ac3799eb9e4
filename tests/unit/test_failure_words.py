"""Why a payment failed, in the reader's language: failure_words.js picks the catalogue's sentence for
the gateway's code, which says what to do next, and shows the gateway's own message for a code it
does not know. Run in Node with the browser's language."""
import json
import shutil
import subprocess

import pytest

from tests.support.catalogues import ASSETS

REASONS = """
globalThis.navigator = { languages: [process.argv[1]] };
globalThis.document = { documentElement: {} };
const { failureReason } = await import(process.argv[2] + "/failure_words.js");
console.log(JSON.stringify([failureReason("card_declined", "Your card was declined."),
  failureReason("insufficient_funds", "Your card has insufficient funds."),
  failureReason("a_code_not_known_yet", "Something new went wrong."), failureReason(null, "Declined.")]));
"""


def reasons_in(language: str) -> list[str]:
    answer = subprocess.run(["node", "--input-type=module", "-e", REASONS, language, str(ASSETS)],
                            capture_output=True, text=True, check=True)
    return json.loads(answer.stdout)


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
def test_a_known_failure_is_said_in_the_readers_language_with_what_to_do_and_an_unknown_one_as_the_gateway_said():
    assert reasons_in("de-DE") == [
        "Ihre Bank hat die Zahlung abgelehnt. Wenden Sie sich an Ihre Bank oder verwenden Sie eine andere Karte.",
        "Die Karte war für diese Zahlung nicht ausreichend gedeckt. Verwenden Sie eine andere Karte oder versuchen "
        "Sie es erneut, sobald sie gedeckt ist.",
        "Something new went wrong.",
        "Declined.",
    ]
    assert reasons_in("en-US")[1] == ("The card did not have enough funds for this payment. Use another card, or try "
                                      "again once it has.")
