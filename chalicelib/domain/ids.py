"""Prefixed, time-sortable ids: `sub_01JD5Z...` (ULID body: 48-bit ms time + 80 random bits).

Within one millisecond the ids a process makes keep the order they were made in (ULID's monotonic
rule: the random part of the last id plus one), since many are made at one `now` (a request's emails,
its activity) and lists and queues keyed by them read back in that order."""
from __future__ import annotations

import secrets
import threading
from datetime import datetime

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

PREFIXES = {
    "organization": "org", "customer": "cus", "contact": "con", "plan": "plan", "addon": "addon",
    "coupon": "coupon", "subscription": "sub", "invoice": "inv", "credit_note": "cn",
    "payment": "pay", "refund": "re", "payment_method": "pm", "estimate": "est",
    "timesheet": "ts", "review": "rev", "activity": "act", "notification": "ntf",
    "portal_user": "usr", "api_key": "key", "email": "eml", "message": "msg", "tax_id": "txi",
    "merchant_user": "mu", "audit_entry": "aud",
}


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, index = divmod(number, 32)
        chars.append(_CROCKFORD[index])
    return "".join(reversed(chars))


_RANDOM_BITS = 80
_last = {"millis": -1, "randomness": 0}
_last_lock = threading.Lock()


def new_id(kind: str, now: datetime) -> str:
    """A fresh id for `kind`; ids made later sort after earlier ones: by time to the millisecond,
    and within one millisecond (of this process) in the order they were made."""
    millis = int(now.timestamp() * 1000)
    with _last_lock:
        if millis == _last["millis"] and _last["randomness"] + 1 < 2 ** _RANDOM_BITS:
            randomness = _last["randomness"] + 1
        else:
            randomness = int.from_bytes(secrets.token_bytes(_RANDOM_BITS // 8), "big")
        _last.update(millis=millis, randomness=randomness)
    return f"{PREFIXES[kind]}_{_encode(millis, 10)}{_encode(randomness, 16)}"


def has_kind(identifier: str, kind: str) -> bool:
    prefix = PREFIXES[kind] + "_"
    body = identifier[len(prefix):]
    return identifier.startswith(prefix) and len(body) == 26 and all(c in _CROCKFORD for c in body)
