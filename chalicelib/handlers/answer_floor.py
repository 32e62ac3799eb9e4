"""Answers that must not tell whether an account exists take at least a set time.

The requests behind them do the same reads, writes and password work either way (tests compare
their shapes), yet a few hundred microseconds still differ (a found item is bigger to decode than
none). Rather than chase every such difference, these answers wait until a floor the deployment
sets (`PORTICO_UNTELLING_ANSWER_MS`, default 250 ms: above what the slower kind takes on a 1024 MB
Lambda, argon2 included), so what an attacker times is the floor, not the work.

The clock here is the process's monotonic one: this measures how long an answer took, not when
anything happened, so it is not the domain's (injected) time."""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

from ..config import settings


@contextmanager
def held_to_the_floor(*, only: tuple[type[Exception], ...] | None = None) -> Iterator[None]:
    """Hold the block's answer until the floor has passed since it began: every answer, or with
    `only` the ones that fail with one of those (a sign-in that succeeds need not wait)."""
    began = time.monotonic()
    try:
        yield
    except Exception as failure:
        if only is None or isinstance(failure, only):
            _wait_until(began + settings().untelling_answer_seconds)
        raise
    if only is None:
        _wait_until(began + settings().untelling_answer_seconds)


def _wait_until(deadline: float) -> None:
    left = deadline - time.monotonic()
    if left > 0:
        time.sleep(left)
