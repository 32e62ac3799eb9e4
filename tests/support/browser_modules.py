"""The portal's browser modules run in Node as a page in a given language runs them: `navigator`'s
language set and a bare `document`, the script an ES module that imports from the assets' folder
(`process.argv[2]`), reads its own inputs from `process.argv[3:]` and prints its answer as JSON."""
import json
import shutil
import subprocess
from typing import Any

import pytest

from tests.support.catalogues import ASSETS

NEEDS_NODE = pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")

PAGE = """globalThis.navigator = { languages: [process.argv[1]] };
globalThis.document = { documentElement: {} };
"""


def run_as_a_page(language: str, script: str, *inputs: str) -> Any:
    answer = subprocess.run(["node", "--input-type=module", "-e", PAGE + script, language, str(ASSETS), *inputs],
                            capture_output=True, text=True, check=True)
    return json.loads(answer.stdout)
