"""Every read costs one page, however much history the customer has (issue 18): each GET route's
example (exercise/examples.py), and each view of a list that selects the past, is sent by its owner
in two demo worlds that differ only in the demo customer's settled past, and must make the same
DynamoDB calls and read as many items in both. A route without an example fails examples(), so a
new read route is measured the day it is added.

In one world the past holds two pages of each kind (tests/support/customer_history.py: paid
invoices, payments, credit notes, ledger entries, decided estimates and timesheets, cancelled
subscriptions, activity, reviews, notifications, audit entries), so the first page of every list
and of every view of one is already full; in the other, 150 more of each, older still. All of it is
two years old, before any route's default period (this month's statement, a year of spending, the
examples' ranges), so a route that shows a period reads none of it: a statement's opening balance
is the customer's balance less what came since (tables/ledger.py)."""
from dataclasses import replace
from datetime import timedelta
from typing import NamedTuple

import pytest
from chalice.test import Client

from chalicelib.handlers.lazy_routes import all_routes
from chalicelib.handlers.schemas import PageQuery
from chalicelib.tables.metrics import counting_calls
from exercise.examples import examples, send
from exercise.request_units import measuring_units
from exercise.scenarios import build_world, token_for
from tests.support.api import NOW
from tests.support.aws import fresh_aws
from tests.support.customer_history import a_settled_past

PAGE = PageQuery.model_fields["limit"].default
A_SHORT_PAST = 2 * PAGE + 5      # two statuses alternate in the past's estimates and timesheets
A_LONGER_PAST = A_SHORT_PAST + 150
NEWEST_PAST = NOW - timedelta(days=2 * 365)

# the views of a list that select the past, each sent as its list's example with this query
VIEWS = {
    ("GET", "/portal/invoices"): ("status=paid", "status=outstanding", "status=overdue"),
    ("GET", "/portal/subscriptions"): ("status=cancelled", "status=live"),
    ("GET", "/portal/estimates"): ("status=accepted", "status=declined", "status=sent"),
    ("GET", "/portal/timesheets"): ("status=approved", "status=rejected", "status=pending"),
}

LISTS_OF_THE_PAST = {"GET /portal/invoices", "GET /portal/payments", "GET /portal/subscriptions",
                     "GET /portal/subscriptions/{subscription_id}/invoices", "GET /portal/estimates",
                     "GET /portal/timesheets", "GET /portal/activity", "GET /portal/reviews",
                     "GET /admin/customers/{customer_id}/activity", "GET /admin/reviews", "GET /admin/notifications",
                     *(f"GET {path}?{query}" for (_, path), queries in VIEWS.items() for query in queries
                       if query not in ("status=outstanding", "status=overdue", "status=live", "status=sent",
                                        "status=pending"))}   # the past owes nothing and waits for no one


class Cost(NamedTuple):
    status: int
    expected: int
    calls: dict          # DynamoDB operation -> calls
    items_read: int


def reads() -> list:
    """Each read route, and each view of VIEWS, as (request name, route)."""
    routes = sorted((spec.method, spec.path) for spec in all_routes() if spec.method == "GET")
    unknown = sorted(set(VIEWS) - set(routes))
    if unknown:
        raise LookupError(f"no such read route: {unknown}")
    return [(f"{method} {path}" + (f"?{query}" if query else ""), (method, path))
            for method, path in routes for query in ("", *VIEWS.get((method, path), ()))]


@pytest.fixture(scope="module")
def costs() -> dict:
    """Per length of the past: each read's Cost."""
    return {past: costs_with_a_past(past) for past in (A_SHORT_PAST, A_LONGER_PAST)}


def costs_with_a_past(count: int) -> dict:
    from app import app
    from chalicelib import bootstrap
    with fresh_aws():
        bootstrap.set_clock(lambda: NOW)
        world = build_world(NOW)
        a_settled_past(world, count=count, newest=NEWEST_PAST)
        by_route = {example.key: example for example in examples(world) if example.spec.method == "GET"}
        with Client(app) as client:
            return {name: cost(client, with_query(by_route[route], name), world) for name, route in reads()}


def with_query(example, name: str):
    return replace(example, path=example.path + name[name.index("?"):]) if "?" in name else example


def cost(client, example, world) -> Cost:
    with counting_calls() as count, measuring_units() as units:
        answer = send(client, example, token_for(world, example.spec))
    return Cost(answer.status_code, example.expect, dict(count.operations), units.items_read)


@pytest.mark.slow   # left out of `make check`: every read route, in two worlds
@pytest.mark.parametrize("read", [name for name, _ in reads()])
def test_a_read_makes_the_same_calls_and_reads_as_many_items_with_two_pages_or_150_more_of_history(costs, read):
    # Given the demo customer with two pages of each kind of past, and with 150 more, older,
    # When its owner sends the read in each world (the fixture)
    short, longer = costs[A_SHORT_PAST][read], costs[A_LONGER_PAST][read]

    # Then it answers as expected in both, with the same DynamoDB calls, reading as many items
    assert short.status == longer.status == short.expected
    assert (longer.calls, longer.items_read) == (short.calls, short.items_read), \
        f"{read}: {short.items_read} items read with {A_SHORT_PAST} of each kind of past, " \
        f"{longer.items_read} with {A_LONGER_PAST}"


@pytest.mark.slow
def test_the_short_past_already_fills_the_first_page_of_every_list_it_is_in(costs):
    # Given the demo customer with two pages of each kind of past
    short = costs[A_SHORT_PAST]

    # Then each list and view that shows it reads a full page (besides the session's or key's
    # check), so a longer past could only be read beyond that page
    assert {name: short[name].items_read for name in LISTS_OF_THE_PAST if short[name].items_read < PAGE} == {}
