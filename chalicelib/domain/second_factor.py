"""The portal's second factor: time-based one-time codes (RFC 6238: HMAC-SHA1, 30-second steps,
6 digits, the authenticator apps' defaults), single-use recovery codes kept only as hashes, and
the short-lived signed challenge that carries a sign-in from the password to the code.

A code is accepted for the step it was made in and one step either side (clocks drift), and only
for a step after the last one accepted for the account, so a code seen over a shoulder or in a log
cannot be used again. The challenge says which account passed its password and until when; it is
signed with the stage's secret (HMAC-SHA256) and holds nothing else: no session exists until the
code is right.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import struct
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
CHALLENGE_TTL = timedelta(minutes=5)
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"   # no 0/o, 1/l/i: read off paper


def new_secret() -> str:
    """160 random bits, base32 as the apps expect (no padding)."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def otpauth_uri(secret: str, account: str, issuer: str) -> str:
    """What an authenticator app reads from a QR code or a link."""
    label = quote(f"{issuer}:{account}", safe="")
    return (f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer, safe='')}"
            f"&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}")


def step_at(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_for(secret: str, step: int) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** DIGITS).zfill(DIGITS)


def accepted_step(secret: str, code: str, now: datetime, *, last_step: int | None) -> int | None:
    """The step `code` was made for, if it is right now and newer than `last_step`; None otherwise."""
    typed = "".join(code.split())
    if len(typed) != DIGITS or not typed.isdigit():
        return None
    current = step_at(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(code_for(secret, step), typed):
            return step
    return None


def looks_like_code(code: str) -> bool:
    """Six digits: a code of the app; anything else is tried as a recovery code."""
    typed = "".join(code.split())
    return len(typed) == DIGITS and typed.isdigit()


# --- recovery codes -------------------------------------------------------------------------------

def new_recovery_codes() -> list[str]:
    """Ten codes of 16 characters (80 random bits each), shown once in groups of four."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    return codes


def recovery_hash(code: str) -> str:
    """SHA-256 of the code as typed without spaces, dashes or case: 80 random bits need no slow hash."""
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


# --- the challenge between the password and the code --------------------------------------------

def challenge_key(stage_secret: str) -> bytes:
    """A key of its own for challenges, derived from the stage's secret (never the secret itself)."""
    return hmac.new(stage_secret.encode(), b"portico second-factor challenge", hashlib.sha256).digest()


def new_challenge(key: bytes, login: str, now: datetime) -> tuple[str, datetime]:
    """A signed challenge for `login`, and when it expires."""
    expires_at = now + CHALLENGE_TTL
    body = _b64(json.dumps({"login": login, "exp": int(expires_at.timestamp())}, separators=(",", ":")).encode())
    return f"{body}.{_sign(key, body)}", expires_at


def challenged_login(key: bytes, challenge: str, now: datetime) -> str | None:
    """The login a challenge was made for, if it is ours and has not expired; None otherwise."""
    body, _, signature = challenge.partition(".")
    if not body or not hmac.compare_digest(_sign(key, body), signature):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        expires_at = datetime.fromtimestamp(int(data["exp"]), tz=timezone.utc)
        login = str(data["login"])
    except (ValueError, KeyError, TypeError):
        return None
    return login if now < expires_at else None


def _sign(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
