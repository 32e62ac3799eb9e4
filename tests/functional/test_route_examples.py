"""Every route has a valid example request (exercise/examples.py), which the authorization matrix,
the call budgets and the bench send: a new route without one fails here, and so does an example
whose body its route would refuse."""
from dataclasses import replace

import pytest

from chalicelib.handlers.lazy_routes import all_routes
from exercise.examples import examples
from exercise.scenarios import World
from tests.support.api import NOW


class AnyIds(dict):
    """Every id the examples ask for, well formed (the world is not built here)."""

    def __missing__(self, name: str) -> str:
        return f"{name.removesuffix('_id')}_01JAAAAAAAAAAAAAAAAAAAAAAA"


WORLD = World(org_id="org_demo", customer_id="cus_01", admin_key="key", portal_token="token", ids=AnyIds(),
              now=NOW, links={"invite": "invite-token", "reset": "reset-token"})


def test_every_route_has_exactly_one_example():
    declared = [(spec.method, spec.path) for spec in all_routes()]

    assert sorted(e.key for e in examples(WORLD)) == sorted(declared)


def test_every_example_body_is_valid_for_its_route():
    refused = []
    for example in examples(WORLD):
        if example.spec.body is None:
            if example.body is not None and example.spec.auth != "stripe":   # a webhook's body is raw
                refused.append(f"{example.key}: a body for a route that takes none")
            continue
        try:
            example.spec.body.model_validate(example.body)
        except ValueError as error:
            refused.append(f"{example.key}: {error}")

    assert refused == []


def test_a_route_without_an_example_is_an_error(monkeypatch):
    # Given a route declared without anyone writing its example
    routes = all_routes()
    spec = replace(routes[0], path="/portal/brand-new", method="POST")
    monkeypatch.setattr("exercise.examples.all_routes", lambda: [*routes, spec])

    # Then the examples cannot be listed, and the error names it
    with pytest.raises(LookupError, match="/portal/brand-new"):
        examples(WORLD)
