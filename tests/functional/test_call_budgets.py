"""No route may exceed its DynamoDB call budget (issue 9): reads <= 3 including the session
check, writes <= 4 (a transaction counts once). Every GET route the demo world can fill is walked,
so a new route is measured without anyone remembering to add it."""
from chalice.test import Client

from bench.scenarios import WRITE_BUDGET, build_world, headers_for, read_budget, readable_routes
from chalicelib.tables.metrics import counting_calls
from tests.support.api import NOW


def test_every_readable_route_stays_within_its_dynamodb_budget(aws):
    from app import app
    from chalicelib import bootstrap
    bootstrap.set_clock(lambda: NOW)
    world = build_world(NOW)
    over = []
    with Client(app) as client:
        for spec, path in readable_routes(world):
            with counting_calls() as count:
                answer = client.http.get(path, headers=headers_for(world, spec))
            assert answer.status_code == 200, (path, answer.body[:300])
            if count.reads > read_budget(spec.path) or count.writes > WRITE_BUDGET:
                over.append(f"{path}: {dict(count.operations)}")
    assert over == []
    assert len(readable_routes(world)) >= 10
