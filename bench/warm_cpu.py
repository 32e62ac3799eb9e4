"""Warm CPU per route, as a ratio to the yardstick's one-GetItem route (bench/yardstick.py), and
what one request of each route costs besides (bench/lambda_like.py): DynamoDB calls and request
units, SES calls on the request path, emails queued, bytes logged.

Both apps run in this process against the same local AWS, each request sent as API Gateway would
(one invocation: the function checks the session or key itself). Each round
takes the median CPU of a few requests of the yardstick, then of each route; a route's ratio per
round is to that round's yardstick, so a loaded machine weighs on both alike.

Beside each read route, the same yardstick app making that route's reads, with the same parameters
(`yardstick.replaying_app`): what any function making those calls spends. The route's figure above it
is what its own code costs; a goal below it needs fewer calls or smaller answers, not faster code.

The routes: every read (a GET with the customer's or the merchant's credentials), paying an invoice
(each payment on an invoice of its own, made before it is timed), and signing in (one request: the
attempts are rate-limited per account)."""
from __future__ import annotations

import statistics
import uuid
from dataclasses import dataclass

from .lambda_like import Profile, Request, dynamodb_calls, invoke, profile, quiet
from .spread import Spread
from .yardstick import READS, replaying_app

ROUNDS, REQUESTS_PER_ROUND = 3, 4
PAY = ("POST", "/portal/payments")
SIGN_IN = ("POST", "/portal/auth/login")
GOALS = {PAY: 5.0, SIGN_IN: None}    # read routes: READ_GOAL
READ_GOAL = 3.0


@dataclass(frozen=True)
class RouteCost:
    method: str
    resource: str
    ratio: Spread                      # warm CPU / the yardstick's one-GetItem route
    same_reads: Spread | None          # the yardstick app making this route's reads / its one-GetItem route
    cpu_seconds: float                 # median, session or key check included (this machine)
    profile: Profile

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.resource

    @property
    def goal(self) -> float | None:
        return GOALS.get(self.key, READ_GOAL)


@dataclass(frozen=True)
class WarmCpu:
    yardstick_cpu_seconds: float
    routes: list[RouteCost]

    def by_route(self) -> dict[tuple[str, str], RouteCost]:
        return {route.key: route for route in self.routes}

    def lines(self) -> list[str]:
        lines = [f"Median CPU of a warm request, session or key check included, as a ratio to the yardstick's `GET /one` "
                 f"(one GetItem; {self.yardstick_cpu_seconds * 1000:.2f} ms on this machine), median (lowest-highest) "
                 f"of {ROUNDS} rounds of {REQUESTS_PER_ROUND} requests; beside it, the yardstick app making the route's "
                 "reads with the same parameters, and nothing else (the floor of any function making those calls); "
                 "then one request's DynamoDB calls, request units (exercise/request_units.py), AWS calls other than "
                 "DynamoDB made before answering, emails put in the outbox and bytes logged.", "",
                 "| route | CPU / yardstick | goal | same reads, yardstick app | Lambdas | DynamoDB calls | RRU | WRU | "
                 "other AWS calls inline | emails queued | log bytes |", "|---|---|---|---|---|---|---|---|---|---|---|"]
        for route in self.routes:
            p = route.profile
            goal = f"<= {route.goal:.0f}x" + ("" if route.ratio.median <= route.goal else " **not met**") \
                if route.goal else ""
            calls = ", ".join(f"{op} {n}" for op, n in sorted(p.dynamodb_calls.items())) or "none"
            others = ", ".join(f"{op} {n}" for op, n in sorted(p.other_calls.items())) or "none"
            same = route.same_reads.ratio(1) if route.same_reads else ""
            lines.append(f"| {route.method} {route.resource} | {route.ratio.ratio(1)} | {goal} | {same} | "
                         f"{p.invocation.lambdas} | {calls} | {p.read_units:g} | {p.write_units:g} | {others} | "
                         f"{p.emails_queued} | {p.log_bytes:,} |")
        return lines


def warm_cpu(app, yardstick_app, world) -> WarmCpu:
    """Portico's `app` and the yardstick's, against the local AWS holding `world` (exercise/scenarios.py)."""
    requests, sign_in, pay = read_requests(world), sign_in_request(world), payer(app, world)
    yardstick = Request("GET", "/one", "/one")
    replays = [dynamodb_calls(app, request, READS) for request in requests]
    same_app = replaying_app(replays)
    same = {_key(request): Request("GET", "/same/{index}", f"/same/{index}")
            for index, (request, reads) in enumerate(zip(requests, replays)) if reads}
    with quiet():
        for request in (yardstick, *requests, sign_in):      # the first request of each: imports, clients
            invoke(yardstick_app if request is yardstick else app, request)
        for request in same.values():
            invoke(same_app, request)
        profiles = {_key(r): profile(app, r) for r in (*requests, sign_in)}
        profiles[PAY] = profile(app, pay())
        rounds, ours = [], {**{_key(r): [] for r in requests}, PAY: []}
        floors = {key: [] for key in same}
        for _ in range(ROUNDS):
            floor = _median_cpu(yardstick_app, [yardstick] * REQUESTS_PER_ROUND)
            rounds.append(floor)
            for request in requests:
                ours[_key(request)].append(_median_cpu(app, [request] * REQUESTS_PER_ROUND) / floor)
                if _key(request) in same:
                    floors[_key(request)].append(_median_cpu(same_app, [same[_key(request)]] * REQUESTS_PER_ROUND) / floor)
            ours[PAY].append(_median_cpu(app, [pay() for _ in range(REQUESTS_PER_ROUND)]) / floor)
    floor = statistics.median(rounds)
    # signing in is rate-limited per account: its one profiled request is its figure
    ours[SIGN_IN] = [profiles[SIGN_IN].invocation.cpu / floor]
    return WarmCpu(floor, [RouteCost(*key, Spread.of(ratios), Spread.of(floors[key]) if key in floors else None,
                                     Spread.of(ratios).median * floor, profiles[key])
                           for key, ratios in ours.items()])


def read_requests(world) -> list[Request]:
    """Every read route's example (exercise/examples.py), with its owner's credentials."""
    from exercise.examples import examples
    return [as_request(e, world) for e in examples(world) if e.spec.method == "GET" and e.expect < 400]


def sign_in_request(world) -> Request:
    from exercise.examples import examples
    return next(as_request(e, world) for e in examples(world) if e.key == SIGN_IN)


def as_request(example, world) -> Request:
    from exercise.scenarios import token_for
    return Request(example.spec.method, example.spec.path, example.path, token_for(world, example.spec),
                   example.body, {**example.headers, "Accept": example.spec.content_type})


def payer(app, world):
    """A function answering a request that pays a new invoice of the demo customer, with a key of its own."""
    def pay() -> Request:
        invoice = invoke(app, Request("POST", "/admin/invoices", "/admin/invoices", world.admin_key, {
            "customer_id": world.customer_id, "due_days": 30,
            "lines": [{"description": "Bench hour", "unit_price_minor": 10000, "quantity": 1}]}))
        if invoice.status != 201:
            raise RuntimeError(f"POST /admin/invoices answered {invoice.status}: {invoice.answer['body']}")
        return Request(*PAY, PAY[1], world.portal_token,
                       {"invoice_ids": [invoice.json()["invoice_id"]], "payment_method": "pm_card_visa"},
                       {"Idempotency-Key": f"bench-{uuid.uuid4().hex}"})
    return pay


def _median_cpu(app, requests: list[Request]) -> float:
    cpus = []
    for request in requests:
        invocation = invoke(app, request)
        if invocation.status >= 400:
            raise RuntimeError(f"{request.method} {request.path} answered {invocation.status}: "
                               f"{invocation.answer['body'][:300]}")
        cpus.append(invocation.cpu)
    return statistics.median(cpus)


def _key(request: Request) -> tuple[str, str]:
    return request.method, request.resource
