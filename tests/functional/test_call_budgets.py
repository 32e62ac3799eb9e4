"""No route may exceed its DynamoDB call budget: reads <= 3 including the session
check, writes <= 4 (a transaction counts once). Every route is measured with its example from
exercise/examples.py, writes included, so a new route is measured without anyone remembering to add
it; a route that has to exceed it is listed, with why, in exercise/scenarios.py, and the list may
only shrink."""
import pytest
from chalice.test import Client

from exercise.examples import measure
from exercise.scenarios import PORTAL_READ_BUDGET, READ_BUDGET, budget_problems, build_world, portal_read_problems
from tests.support.api import NOW


@pytest.mark.slow   # left out of `make check`: every route
def test_every_route_stays_within_its_dynamodb_budget_or_is_a_listed_exception(aws):
    # Given the demo world, and every route's example sent by its owner in turn
    from app import app
    from chalicelib import bootstrap
    bootstrap.set_clock(lambda: NOW)
    world = build_world(NOW)
    with Client(app) as client:
        measured = measure(client, world)

    # Then each did what it is for, and nothing is over budget but the listed exceptions, each still needed
    assert [(m.example.key, m.status) for m in measured if m.status != m.example.expect] == []
    assert budget_problems({m.example.key: (m.reads, m.writes) for m in measured}) == []
    assert sum(m.example.spec.method != "GET" for m in measured) >= 50


def test_an_exception_back_within_budget_or_needing_more_calls_or_gone_fails_the_budget(monkeypatch):
    from exercise import scenarios
    route = ("POST", "/portal/slow")
    monkeypatch.setattr(scenarios, "BUDGET_EXCEPTIONS", {route: scenarios.Over(5, 1, "an example exception")})
    monkeypatch.setattr(scenarios, "TIGHTER_BUDGETS", {})
    as_recorded = {route: (5, 1)}

    assert budget_problems(as_recorded) == []
    assert budget_problems({route: (READ_BUDGET, 0)}) == [
        f"{route} is within budget now ({READ_BUDGET} reads, 0 writes): delete its exception"]
    assert "more than its exception" in budget_problems({route: (6, 1)})[0]
    assert "is over budget" in budget_problems({**as_recorded, ("GET", "/portal/new"): (9, 0)})[0]
    assert "not measured" in budget_problems({})[0]


def test_a_route_with_a_tighter_budget_fails_the_budget_when_it_needs_more_calls(monkeypatch):
    from exercise import scenarios
    route = ("POST", "/portal/lean")
    monkeypatch.setattr(scenarios, "BUDGET_EXCEPTIONS", {})
    monkeypatch.setattr(scenarios, "TIGHTER_BUDGETS", {route: scenarios.Over(2, 2, "an example")})

    assert budget_problems({route: (2, 2)}) == []
    assert "more than its tighter budget" in budget_problems({route: (3, 2)})[0]
    assert "more than its tighter budget" in budget_problems({route: (2, 3)})[0]
    assert "not measured" in budget_problems({})[0]


def test_a_portal_read_over_its_two_reads_or_an_exception_back_within_them_fails_the_budget(monkeypatch):
    from exercise import scenarios
    listed, new = ("GET", "/portal/slow"), ("GET", "/portal/new")
    monkeypatch.setattr(scenarios, "PORTAL_READ_EXCEPTIONS", {listed: "an example exception"})

    assert portal_read_problems({listed: (PORTAL_READ_BUDGET + 1, 0)}) == []
    assert "delete its exception" in portal_read_problems({listed: (PORTAL_READ_BUDGET, 0)})[0]
    assert "a portal read's budget is 2" in portal_read_problems({listed: (3, 0), new: (3, 0)})[0]
    assert portal_read_problems({listed: (3, 0), ("POST", "/portal/new"): (3, 0)}) == []
