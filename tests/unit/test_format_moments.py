"""A moment (a payment's time, an activity's) is written as the portal writes days, the month in
words, with its time in the organization's zone: "14. Oktober 2026 um 02:06", never "14.10.2026, 02:06"
beside "14. Oktober 2026" on the same page. Run in Node with the browser's language."""
from tests.support.browser_modules import NEEDS_NODE, run_as_a_page

MOMENT = """
const { date, dateTime, useTimeZone } = await import(process.argv[2] + "/format.js");
useTimeZone("Europe/Berlin");
console.log(JSON.stringify([date("2026-10-14T00:06:00Z"), dateTime("2026-10-14T00:06:00Z")]));
"""


def written_in(language: str) -> list[str]:
    return run_as_a_page(language, MOMENT)


@NEEDS_NODE
def test_a_moment_names_its_month_in_words_as_its_day_does_in_the_organizations_zone():
    # Given a payment made at 00:06 UTC on 14 October, an organization in Berlin (02:06 there)
    # When the page writes its day and its moment, Then both name the month in words
    day, moment = written_in("de-DE")
    assert day == "14. Oktober 2026" and moment.startswith(day) and moment.endswith("02:06")
    day, moment = written_in("en-US")
    assert day == "October 14, 2026" and moment.startswith(day) and moment.endswith("2:06 AM")
