"""A 401 ends the browser's session only if it answers the session still signed in: a late answer
to a request of a session since ended (signed out, then signed in again) leaves the new one alone.
api.js's requester, run in Node with fetch answering 401."""
import json
import shutil
import subprocess

import pytest

from tests.support.catalogues import ASSETS

LATE_401 = """
globalThis.navigator = { languages: ["en-US"] };
globalThis.document = { documentElement: {} };
const { requester } = await import(process.argv[1] + "/api.js");
const store = { token: "old-session", ended: 0, end() { this.token = null; this.ended += 1; } };
let notified = 0;
const request = requester(store, () => { notified += 1; });
let answer;
globalThis.fetch = () => new Promise((resolve) => { answer = resolve; });
const asked = request("GET", "/portal/me").catch((error) => error.sessionEnded);
store.token = process.argv[2];           // meanwhile: signed out, and (maybe) signed in again
answer({ status: 401, ok: false, json: async () => ({ error: { code: "unauthenticated" } }) });
const flagged = await asked;
console.log(JSON.stringify({ token: store.token, ended: store.ended, notified, flagged }));
"""


def after_a_late_401(token_now: str) -> dict:
    answer = subprocess.run(["node", "--input-type=module", "-e", LATE_401, str(ASSETS), token_now],
                            capture_output=True, text=True, check=True)
    return json.loads(answer.stdout)


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
def test_a_late_401_of_an_ended_session_leaves_the_new_session_signed_in():
    assert after_a_late_401("new-session") == {"token": "new-session", "ended": 0, "notified": 0, "flagged": True}


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
def test_a_401_of_the_session_signed_in_ends_it_once():
    assert after_a_late_401("old-session") == {"token": None, "ended": 1, "notified": 1, "flagged": True}
