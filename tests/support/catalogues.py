"""The browser's message catalogues (chalicelib/web/assets/messages/<language>.js), read as dicts."""
import json
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "chalicelib" / "web" / "assets"
LANGUAGES = ("en", "de")
PLURAL_CATEGORIES = ("one", "other")     # what Intl.PluralRules answers for English and German


def catalogue(language: str) -> dict[str, str]:
    source = (ASSETS / "messages" / f"{language}.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in source.splitlines() if not line.startswith("//"))
    body = code.strip().removeprefix("export default").strip().removesuffix(";")
    return json.loads(body)
