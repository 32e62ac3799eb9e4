"""Password rules after NIST SP 800-63B-4 (section 3.1.1.2) and OWASP ASVS 5.0 (V6.2).

Length is what makes a password strong, so the rules are: at least MIN_LENGTH characters,
no composition rules (no "one digit, one symbol"), and a blocklist of passwords that are
common, predictable or built from the user's own context. Nothing is truncated: the
whole normalised password is what gets hashed.
"""
from __future__ import annotations

import string
import unicodedata
from functools import cache

from chalicelib.domain.errors import InvalidInput

MIN_LENGTH = 15
MAX_LENGTH = 256
# Context words shorter than this match too many innocent passwords to be worth refusing.
_MIN_CONTEXT_WORD = 3
# "abababab", "xkcdxkcd": a block this short repeated is as guessable as one character.
_MAX_REPEATED_BLOCK = 4

_PADDING = string.digits + string.punctuation + string.whitespace
_SEQUENCES = (
    "0123456789" * 30,  # long enough to cover MAX_LENGTH, wrapping ...890123...
    string.ascii_lowercase * 11,
    "qwertyuiopasdfghjklzxcvbnm",  # the keyboard walk, row after row
)


def normalise(password: str) -> str:
    """NFKC, as NIST asks, so that the same visible password always hashes the same.

    Use it both before checking and before hashing."""
    return unicodedata.normalize("NFKC", password)


def check_password(password: str, *, email: str | None, org_name: str | None = None) -> list[str]:
    """What is wrong with `password` as a new password, in words; empty when it is fine."""
    normalised = normalise(password)
    length = len(normalised)
    if length > MAX_LENGTH:
        # Stop here: nothing else is worth computing on an over-long input.
        return [f"Use at most {MAX_LENGTH} characters (this has {length})"]
    problems = []
    if length < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters (this has {length})")
    folded = normalised.casefold()
    if _is_simple_pattern(folded):
        problems.append("Don't use a repeated character, a repeated short block or a simple sequence")
    elif _is_common(folded):
        problems.append("This is a commonly used password; choose something less predictable")
    if any(word in folded for word in _email_words(email)):
        problems.append("Don't use your email address or its name part in the password")
    if any(word in folded for word in _organization_words(org_name)):
        problems.append("Don't use the organization's name in the password")
    return problems


def validate_password(password: str, *, email: str | None, org_name: str | None = None,
                      field: str = "new_password") -> None:
    """Raise InvalidInput on `field` when `check_password` finds problems."""
    problems = check_password(password, email=email, org_name=org_name)
    if problems:
        raise InvalidInput({field: "; ".join(problems)}, codes={field: "password_rules"})


def _email_words(email: str | None) -> list[str]:
    if not email:
        return []
    folded = normalise(email).casefold().strip()
    local_part = folded.rpartition("@")[0]
    return [word for word in (local_part, folded) if len(word) >= _MIN_CONTEXT_WORD]


def _organization_words(org_name: str | None) -> list[str]:
    if not org_name:
        return []
    folded = normalise(org_name).casefold().strip()
    words = {folded, "".join(folded.split())}  # "Acme Corp" also matches "acmecorp"
    return [word for word in words if len(word) >= _MIN_CONTEXT_WORD]


@cache
def _common_passwords() -> frozenset[str]:
    # Imported here, once: the list is an 800 KB module that only password changes need.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _is_common(folded: str) -> bool:
    """A common password, perhaps padded ("password2024!"), spaced, or repeated
    ("passwordpassword1", "iloveyou iloveyou")."""
    candidates = set()
    for form in {folded, _without_whitespace(folded)}:
        for text in (form, _core(form)):
            candidates.add(text)
            for block in _repeated_blocks(text):
                candidates.update((block, _core(block)))
    candidates.discard("")
    return not _common_passwords().isdisjoint(candidates)


def _is_simple_pattern(folded: str) -> bool:
    """One repeated character, a short block repeated, or a sequence; also when padded with a
    few digits or symbols ("aaaaaaaaaaaaaa1!") or with another such pattern."""
    compact = _without_whitespace(folded)
    if not compact or _is_pattern(compact):
        return True
    core = _core(compact)
    if not core or not _is_pattern(core):
        return False
    start = len(compact) - len(compact.lstrip(_PADDING))
    padding = (compact[:start], compact[start + len(core):])
    return all(len(pad) <= _MAX_REPEATED_BLOCK or _is_pattern(pad) for pad in padding)


def _is_pattern(text: str) -> bool:
    if len(set(text)) == 1 or _is_sequence(text):
        return True
    return any(len(block) <= _MAX_REPEATED_BLOCK or _is_sequence(block)
               for block in _repeated_blocks(text))


def _is_sequence(text: str) -> bool:
    """Consecutive characters ("abcdef", "98765", "αβγδ"), wrapping digits ("7890123"),
    or a walk along the keyboard rows ("qwertyuiop")."""
    if len(text) < 3:
        return False
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:])}
    if steps in ({1}, {-1}):
        return True
    return any(text in source or text in source[::-1] for source in _SEQUENCES)


def _repeated_blocks(text: str) -> list[str]:
    """Every block that `text` is two or more copies of: "abab" -> ["ab"]."""
    length = len(text)
    return [text[:size] for size in range(1, length // 2 + 1)
            if length % size == 0 and text[:size] * (length // size) == text]


def _core(text: str) -> str:
    """`text` without the digits and punctuation people pad a weak password with."""
    return text.strip(_PADDING)


def _without_whitespace(text: str) -> str:
    return "".join(text.split())
