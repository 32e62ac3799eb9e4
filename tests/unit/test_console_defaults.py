"""The console says each preference's default: the defaults it shows are the reference defaults the
server applies (domain/preferences.py), so the two cannot drift apart."""
import json
import re
from pathlib import Path

from chalicelib.domain.preferences import Preferences

SCREENS = Path(__file__).resolve().parents[2] / "chalicelib" / "web" / "assets" / "console" / "screens.js"


def test_the_defaults_the_console_shows_are_the_servers():
    source = SCREENS.read_text(encoding="utf-8")
    literal = re.search(r"/\* defaults \*/(.*?)/\* end defaults \*/", source, re.S).group(1)

    assert json.loads(literal) == Preferences().to_dict()
