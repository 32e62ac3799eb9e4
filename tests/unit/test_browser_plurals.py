"""The browser words a count in the form its number takes ("1 second", "30 seconds"; "1 Sekunde",
"30 Sekunden"): api.js's sentences for a wait, run in Node with the browser's language."""
from tests.support.browser_modules import NEEDS_NODE, run_as_a_page

WAITS = """
const { ApiError } = await import(process.argv[2] + "/api.js");
const refusal = (code, details) => new ApiError(429, { error: { code, details } }).message;
console.log(JSON.stringify([refusal("throttled", { retry_after_seconds: 1 }),
  refusal("throttled", { retry_after_seconds: 30 }), refusal("temporarily_unavailable", { retry_after_seconds: 1 }),
  refusal("throttled", {}), refusal("throttled", { retry_after_seconds: 2482 })]));
"""


def sentences_in(language: str) -> list[str]:
    return run_as_a_page(language, WAITS)


@NEEDS_NODE
def test_a_wait_of_one_second_reads_in_the_singular_and_longer_ones_in_the_plural():
    assert sentences_in("en-US") == [
        "Too many attempts. Please wait 1 second and try again.",
        "Too many attempts. Please wait 30 seconds and try again.",
        "The service is busy right now. Please try again in 1 second.",
        "Too many attempts. Please wait a moment and try again.",
        "Too many attempts. Please wait 42 minutes and try again.",
    ]
    assert sentences_in("de-DE") == [
        "Zu viele Versuche. Bitte warten Sie 1 Sekunde und versuchen Sie es erneut.",
        "Zu viele Versuche. Bitte warten Sie 30 Sekunden und versuchen Sie es erneut.",
        "Der Dienst ist gerade ausgelastet. Bitte versuchen Sie es in 1 Sekunde erneut.",
        "Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es erneut.",
        "Zu viele Versuche. Bitte warten Sie 42 Minuten und versuchen Sie es erneut.",
    ]
