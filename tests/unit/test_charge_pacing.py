"""The due-work worker paces its charges: each starts at least an interval after the one before
in the same worker, so that all workers together keep to the gateway's rate limit without a call
between them; a gateway slower than the interval is never held back."""
from chalicelib.config import _charge_interval
from chalicelib.gateways.pacing import PacedCharges


class Clock:
    def __init__(self):
        self.now, self.slept = 100.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


class Gateway:
    name = "simulated"

    def __init__(self, clock: Clock, answers_in: float):
        self.clock, self.answers_in, self.started = clock, answers_in, []

    def charge(self, **kwargs):
        self.started.append(self.clock.now)
        self.clock.now += self.answers_in
        return "charged"


def test_charges_answered_faster_than_the_interval_are_started_an_interval_apart():
    # Given a worker's share of 1 charge every 0.5 s, and a gateway answering in 0.1 s
    clock = Clock()
    gateway = Gateway(clock, answers_in=0.1)
    paced = PacedCharges(gateway, 0.5, clock=clock, sleep=clock.sleep)

    # When it charges three times in a row
    answers = [paced.charge(amount=1) for _ in range(3)]

    # Then the first went at once and the others waited for their turn
    assert answers == ["charged"] * 3
    assert gateway.started == [100.0, 100.5, 101.0]
    assert clock.slept == [0.4, 0.4]


def test_a_gateway_slower_than_the_interval_is_never_held_back():
    # Given a worker's share of 1 charge every 0.5 s, and a gateway answering in 0.6 s
    clock = Clock()
    gateway = Gateway(clock, answers_in=0.6)
    paced = PacedCharges(gateway, 0.5, clock=clock, sleep=clock.sleep)

    # When it charges twice
    paced.charge(amount=1)
    paced.charge(amount=1)

    # Then nothing waited, and every other call passes through
    assert clock.slept == [] and paced.name == "simulated"


def test_the_interval_is_the_workers_share_of_the_rate_and_none_without_both_settings():
    # 10 workers at 20 charges a second: each one every half second
    assert _charge_interval("10", "20") == 0.5
    assert _charge_interval(None, "20") == 0.0 and _charge_interval("10", None) == 0.0


def test_the_worker_whose_template_sets_both_gets_a_paced_gateway_and_other_functions_do_not(monkeypatch):
    from chalicelib import bootstrap, config
    try:
        # Given the due-work worker's environment
        monkeypatch.setenv("PORTICO_DUE_WORK_CONCURRENCY", "10")
        monkeypatch.setenv("PORTICO_DUE_WORK_CHARGES_PER_SECOND", "20")
        config.reload()
        bootstrap.reset()
        worker_gateway = bootstrap.adapters().gateway
        # and any other function's
        monkeypatch.delenv("PORTICO_DUE_WORK_CONCURRENCY")
        config.reload()
        bootstrap.reset()
        other_gateway = bootstrap.adapters().gateway
    finally:
        monkeypatch.delenv("PORTICO_DUE_WORK_CHARGES_PER_SECOND")
        config.reload()
        bootstrap.reset()

    # Then the worker's charges are paced by its share, the others' are not
    assert isinstance(worker_gateway, PacedCharges) and worker_gateway.interval == 0.5
    assert not isinstance(other_gateway, PacedCharges)
