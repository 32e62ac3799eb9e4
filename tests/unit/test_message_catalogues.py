"""The portal speaks English and German from one message catalogue per language: every label a
screen asks for is in each catalogue (English is only the fallback for a language added later),
the catalogues hold the same keys, and each message fills the same placeholders."""
import re

from tests.support.catalogues import ASSETS, LANGUAGES, PLURAL_CATEGORIES, catalogue

CALL = re.compile(r"(?<![\w.$])t\(\s*([\"`])(.+?)\1")
PLURAL = re.compile(r"(?<![\w.$])plural\(\s*\"(.+?)\"")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def keys_asked_for() -> tuple[set[str], set[re.Pattern]]:
    """Keys written out, and keys built from a template (`status.${status}`) as patterns."""
    exact, built = set(), set()
    for script in ASSETS.rglob("*.js"):
        if script.parent.name == "messages":
            continue
        code = re.sub(r"^\s*(//|/?\*).*$", "", script.read_text(encoding="utf-8"), flags=re.M)
        exact |= {f"{key}.{category}" for key in PLURAL.findall(code) for category in PLURAL_CATEGORIES}
        for quote, key in CALL.findall(code):
            if quote == "`" and "${" in key:
                built.add(re.compile(re.sub(r"\\\$\\\{.+?\\\}", r"[a-z_.]+", re.escape(key))))
            else:
                exact.add(key)
    return exact, built


def test_every_label_a_screen_asks_for_is_in_every_catalogue():
    exact, built = keys_asked_for()
    assert len(exact) > 100
    for language in LANGUAGES:
        messages = catalogue(language)
        missing = sorted(key for key in exact if key not in messages)
        assert not missing, f"{language} lacks {missing}"
        unmatched = sorted(p.pattern for p in built if not any(p.fullmatch(key) for key in messages))
        assert not unmatched, f"{language} has nothing for {unmatched}"


def test_every_status_the_portal_names_has_words_in_every_language():
    source = (ASSETS / "format.js").read_text(encoding="utf-8")
    statuses = re.findall(r'"(\w+)"', re.search(r"const STATUSES = \[(.*?)\];", source, re.S).group(1))
    assert "non_renewing" in statuses and "paid" in statuses
    for language in LANGUAGES:
        missing = [status for status in statuses if f"status.{status}" not in catalogue(language)]
        assert not missing, f"{language} has no words for {missing}"


def test_the_catalogues_hold_the_same_keys_with_the_same_placeholders():
    english = catalogue("en")
    for language in LANGUAGES[1:]:
        other = catalogue(language)
        assert set(other) == set(english), set(other) ^ set(english)
        for key, text in english.items():
            assert set(PLACEHOLDER.findall(other[key])) == set(PLACEHOLDER.findall(text)), key


def test_a_german_catalogue_is_german_not_a_copy():
    english, german = catalogue("en"), catalogue("de")
    same = [key for key in english if english[key] == german[key] and not PLACEHOLDER.fullmatch(english[key])]
    assert len(same) < len(english) / 10, same


ENGLISH_LABEL = re.compile(r"([\"`])[A-Z][a-z]+(?: [a-zA-Z,']+)*[.…!?]?\1")
ENGLISH_ASIDE = re.compile(r"([\"`]) ?\([a-z]+\)\1")     # " (default)" after a name
NOT_LABELS = {'"Credit refunded"'}      # the ledger's own words, matched to be put in the customer's words


def test_the_screens_from_the_catalogue_write_no_english_label_of_their_own():
    written = {}
    for script in ASSETS.rglob("*.js"):
        name = script.relative_to(ASSETS).as_posix()
        if script.parent.name == "messages":
            continue
        code = re.sub(r"^\s*(//|/?\*).*$", "", script.read_text(encoding="utf-8"), flags=re.M)
        labels = [found.group(0) for pattern in (ENGLISH_LABEL, ENGLISH_ASIDE) for found in pattern.finditer(code)
                  if found.group(0) not in NOT_LABELS]
        if labels:
            written[name] = labels
    assert not written, written


def test_the_german_console_names_a_settings_default_one_way():
    # "Voreinstellung: an." under every switch; "Standard" is the customer's default card
    hints = {key: text for key, text in catalogue("de").items() if key.startswith("console.") and "Standard:" in text}
    assert not hints, hints


def test_the_german_portal_calls_a_timesheet_one_thing():
    # the sidebar and Approvals say Stundenzettel: a role's description names the same thing
    other = {key: text for key, text in catalogue("de").items() if "Zeitnachweis" in text}
    assert not other, other


SERVICES = ASSETS.parents[1] / "services"


def test_every_activity_the_services_record_has_words_in_every_catalogue():
    from chalicelib.services.subscriptions.recovery import ACTIONS as RECOVERIES
    subjects = {key.split(".")[2] for key in catalogue("en") if key.startswith("activity.action.")}
    named = re.compile(r"\"((?:" + "|".join(sorted(subjects)) + r")\.[a-z_]+)\"")
    recorded = {action for script in SERVICES.rglob("*.py") for action in named.findall(script.read_text())}
    recorded |= {f"subscription.{action}" for action in RECOVERIES}      # named as f"subscription.{action}"
    for language in LANGUAGES:
        messages = catalogue(language)
        assert sorted(action for action in recorded if f"activity.action.{action}" not in messages) == [], language


COUNTED = {"count", "seconds", "minutes", "hours", "days", "weeks", "months", "years"}


def test_a_message_that_words_a_count_has_a_form_for_each_plural_category():
    for language in LANGUAGES:
        messages = catalogue(language)
        counting = [key for key, text in messages.items() if COUNTED & set(PLACEHOLDER.findall(text))]
        singular = [key for key in counting if key.rsplit(".", 1)[-1] not in PLURAL_CATEGORIES]
        assert not singular, f"{language}: a count worded one way only (\"1 seconds\"): {singular}"
        bases = {key.rsplit(".", 1)[0] for key in counting}
        incomplete = sorted(base for base in bases for category in PLURAL_CATEGORIES
                            if f"{base}.{category}" not in messages)
        assert not incomplete, f"{language}: {incomplete}"
