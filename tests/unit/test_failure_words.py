"""Why a payment failed, in the reader's language: failure_words.js picks the catalogue's sentence for
the gateway's code, and shows the gateway's own message for a code it does not know; beside the card
just tried, it also says what to do next. Run in Node with the browser's language."""
from tests.support.browser_modules import NEEDS_NODE, run_as_a_page

REASONS = """
const { failureReason, whatToDoAfter } = await import(process.argv[2] + "/failure_words.js");
console.log(JSON.stringify([failureReason("card_declined", "Your card was declined."),
  failureReason("a_code_not_known_yet", "Something new went wrong."), failureReason(null, "Declined."),
  whatToDoAfter("card_declined", "Your card was declined."),
  whatToDoAfter("insufficient_funds", "Your card has insufficient funds."),
  whatToDoAfter("a_code_not_known_yet", "Something new went wrong.")]));
"""


def sentences_in(language: str) -> list[str]:
    return run_as_a_page(language, REASONS)


@NEEDS_NODE
def test_a_failure_is_said_in_the_readers_language_and_beside_the_card_with_what_to_do():
    assert sentences_in("de-DE") == [
        "Ihre Bank hat die Zahlung abgelehnt. Wenden Sie sich an Ihre Bank oder verwenden Sie eine andere Karte.",
        "Something new went wrong.",
        "Declined.",
        "Ihre Bank hat die Zahlung abgelehnt. Wenden Sie sich an Ihre Bank oder verwenden Sie eine andere Karte.",
        "Die Karte war für diese Zahlung nicht ausreichend gedeckt. Verwenden Sie eine andere Karte oder versuchen "
        "Sie es erneut, sobald sie gedeckt ist.",
        "Something new went wrong. Versuchen Sie eine andere Karte.",
    ]
    assert sentences_in("en-US")[4] == ("The card did not have enough funds for this payment. Use another card, or "
                                        "try again once it has.")
