"""Answers that must not tell whether an account exists are held to a floor, so what is timed is
the floor and not the work behind them."""
import pytest

from chalicelib.config import reload
from chalicelib.domain.errors import Unauthenticated
from chalicelib.handlers import answer_floor
from chalicelib.handlers.answer_floor import held_to_the_floor


class _Stopwatch:
    """A monotonic clock that moves only when told to, and a sleep that moves it."""

    def __init__(self):
        self.at, self.slept = 100.0, []

    def monotonic(self) -> float:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.at += seconds


@pytest.fixture
def stopwatch(monkeypatch):
    monkeypatch.setenv("PORTICO_UNTELLING_ANSWER_MS", "250")
    reload()
    watch = _Stopwatch()
    monkeypatch.setattr(answer_floor.time, "monotonic", watch.monotonic)
    monkeypatch.setattr(answer_floor.time, "sleep", watch.sleep)
    yield watch
    monkeypatch.undo()
    reload()


def test_a_quick_answer_waits_until_the_floor(stopwatch):
    with held_to_the_floor():
        stopwatch.at += 0.04
    assert stopwatch.slept == [0.21]


def test_an_answer_slower_than_the_floor_does_not_wait(stopwatch):
    with held_to_the_floor():
        stopwatch.at += 0.3
    assert stopwatch.slept == []


def test_a_failure_waits_until_the_floor_and_is_still_raised(stopwatch):
    with pytest.raises(Unauthenticated), held_to_the_floor(only=(Unauthenticated,)):
        stopwatch.at += 0.01
        raise Unauthenticated("bad_credentials")
    assert stopwatch.slept == [0.24]


def test_with_only_failures_named_a_success_answers_at_once(stopwatch):
    with held_to_the_floor(only=(Unauthenticated,)):
        stopwatch.at += 0.01
    assert stopwatch.slept == []


def test_a_failure_not_named_answers_at_once(stopwatch):
    with pytest.raises(ValueError), held_to_the_floor(only=(Unauthenticated,)):
        raise ValueError("not an answer that could tell")
    assert stopwatch.slept == []
