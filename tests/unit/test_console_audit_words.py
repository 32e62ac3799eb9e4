"""The console's audit log in the merchant's words: every change the admin API records has a name in
each language, fields read as the console labels them, and opaque values are cut to their start."""
import json


from tests.support.browser_modules import NEEDS_NODE, run_as_a_page
from tests.support.catalogues import LANGUAGES, catalogue

WORDS = """
const words = await import(process.argv[2] + "/console/audit_words.js");
const asked = JSON.parse(process.argv[3]);
console.log(JSON.stringify({
  keys: asked.actions.map(words.actionKey),
  actions: asked.actions.map(words.actionWords),
  fields: asked.fields.map(words.fieldWords),
  values: asked.values.map(words.valueWords),
}));
"""


def in_the_browser(language: str, **asked) -> dict:
    return run_as_a_page(language, WORDS, json.dumps(asked))


def audited_actions() -> list[str]:
    """What the admin API records: each change of a merchant's route, as "METHOD /path"."""
    from app import app
    return sorted(f"{method} {path}" for path, methods in app.routes.items() if path.startswith("/admin/")
                  for method in methods if method != "GET")


node = NEEDS_NODE


@node
def test_every_change_the_admin_api_records_has_a_name_in_every_language():
    actions = audited_actions()
    assert "PUT /admin/preferences" in actions and len(actions) > 20
    keys = in_the_browser("en-US", actions=actions, fields=[], values=[])["keys"]
    for language in LANGUAGES:
        messages = catalogue(language)
        missing = [action for action, key in zip(actions, keys) if f"console.audit.action.{key}" not in messages]
        assert not missing, f"{language} has no words for {missing}"


@node
def test_an_entry_reads_as_words_not_routes_keys_and_data():
    said = in_the_browser("de-DE", actions=["PUT /admin/preferences", "POST /admin/something-new"],
                          fields=["preferences.reviews", "preferences.cancel.enabled", "name"],
                          values=["true → false", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4", "Acme Cloud"])

    assert said["actions"] == ["Portaleinstellungen geändert", "POST /admin/something-new"]
    assert said["fields"] == ["Bewertungen", catalogue("de")["console.pref.cancel_enabled"], "name"]
    assert said["values"] == [f"{catalogue('de')['console.on']} → {catalogue('de')['console.off']}", "iVBORw0K…",
                              "Acme Cloud"]
