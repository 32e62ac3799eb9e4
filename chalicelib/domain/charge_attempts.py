"""The idempotency keys of a subscription's charges. Every attempt to charge a subscription (a
term's first charge, a dunning retry, the charge after a reactivation, resume, activation or
change) has a key no earlier attempt had: the payment service answers a reused key with the answer
it gave before, so a key shared with an earlier, declined attempt would decline a working card.
Asking again about the SAME attempt (its answer was pending, the run crashed, two runs raced)
keeps its key, so nothing is charged twice.

`Subscription.charge_attempts` counts the attempts made so far and never goes down. The scheduled
work charges with the key of the next attempt and counts it once the answer is known (a pending
answer is asked again with the same key); a portal action reserves its attempt in the commit that
raises the invoice and charges with that key, once."""
from __future__ import annotations

from dataclasses import replace

from .subscription import Subscription


def next_attempt_key(sub: Subscription) -> str:
    """The key of the attempt the scheduled work makes next (the same until it is answered)."""
    return attempt_key(sub, sub.charge_attempts + 1)


def reserved_attempt_key(sub: Subscription) -> str:
    """The key of the attempt a portal action reserved in its commit (`attempted` before writing)."""
    return attempt_key(sub, sub.charge_attempts)


def attempt_key(sub: Subscription, attempt: int) -> str:
    return f"charge:{sub.subscription_id}:{attempt}"


def attempted(sub: Subscription) -> Subscription:
    """`sub` with one more attempt counted: an answered attempt, or one a portal action reserves."""
    return replace(sub, charge_attempts=sub.charge_attempts + 1)
