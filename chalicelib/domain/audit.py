"""What an audit entry says of a change: the fields it set, flattened to paths, as short text, and
never a secret (a password, a token, a key, a card number: only that it was given)."""
from __future__ import annotations

from typing import Any

SECRET_WORDS = ("password", "secret", "token", "api_key", "card_number", "cvc", "code")
GIVEN = "(given, not recorded)"
MAX_FIELDS = 60
MAX_TEXT = 120


def is_secret(path: str) -> bool:
    last = path.rsplit(".", 1)[-1].lower()
    return any(word in last for word in SECRET_WORDS) and last not in ("coupon_code", "plan_code", "addon_code",
                                                                         "currency_code", "code_prefix")


def summary(fields: dict[str, Any]) -> dict[str, str]:
    """`fields` (a request's body, or the changed values) as path -> text, secrets withheld."""
    flat: dict[str, str] = {}
    _flatten(fields, "", flat)
    return dict(list(flat.items())[:MAX_FIELDS])


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, str]:
    """The paths whose values differ between two states, as "old → new", secrets withheld."""
    old, new = summary_all(before), summary_all(after)
    paths = [p for p in dict.fromkeys([*old, *new]) if old.get(p) != new.get(p)]
    return {p: GIVEN if is_secret(p) else f"{old.get(p, '—')} → {new.get(p, '—')}" for p in paths[:MAX_FIELDS]}


def summary_all(fields: dict[str, Any]) -> dict[str, str]:
    flat: dict[str, str] = {}
    _flatten(fields, "", flat)
    return flat


def _flatten(value: Any, path: str, into: dict[str, str]) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), into)
        return
    if path and is_secret(path):
        into[path] = GIVEN
        return
    text = "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    into[path or "body"] = text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"
