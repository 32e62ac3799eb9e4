"""Charges paced within the gateway's rate limit, shared by every due-work worker without a call
between them: with at most `concurrency` workers at once (the queue's event source allows no more)
and each starting its charges `concurrency / charges_per_second` seconds apart, all of them
together start at most `charges_per_second` a second, however fast the gateway answers.

Only `charge` is paced: it is the one call a renewal makes (Stripe's POST /v1/payment_intents,
whose endpoint limit is the tightest the workers meet). Everything else passes through."""
from __future__ import annotations

import threading
import time
from typing import Any, Callable


class PacedCharges:
    """`gateway`, its charges started at least `interval` seconds apart in this process."""

    def __init__(self, gateway: Any, interval: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self._gateway, self.interval = gateway, interval
        self._clock, self._sleep = clock, sleep
        self._next_start: float | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gateway, name)

    def charge(self, **kwargs):
        with self._lock:
            now = self._clock()
            start = now if self._next_start is None else max(now, self._next_start)
            self._next_start = start + self.interval
        if start > now:
            self._sleep(start - now)
        return self._gateway.charge(**kwargs)
