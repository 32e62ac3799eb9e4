"""A bounded load run against a live local stack: N requests from T threads over the main read and
write routes, then a recount of what was written. Used by `make bench` (figures in RESULTS.md) and by
tests/functional/test_load.py (assertions)."""
from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests


@dataclass
class LoadResult:
    requests: int
    seconds: float
    statuses: Counter
    latencies_ms: dict = field(default_factory=dict)    # route -> list of ms
    created: list = field(default_factory=list)         # names of customers the run created
    recounted: Counter = field(default_factory=Counter)  # name -> times found afterwards

    def percentile(self, route: str | None, q: float) -> float:
        samples = sorted(x for r, xs in self.latencies_ms.items() if route in (None, r) for x in xs)
        return samples[min(len(samples) - 1, int(q * len(samples)))]

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)


def run_load(api_url: str, admin_key: str, portal_token: str, *, total: int = 2000, threads: int = 20) -> LoadResult:
    admin = {"Authorization": f"Bearer {admin_key}"}
    portal = {"Authorization": f"Bearer {portal_token}"}
    run_id = uuid.uuid4().hex[:8]
    mix = [("GET /portal/me", "GET", "/portal/me", portal, None)] * 4 + \
          [("GET /admin/customers", "GET", "/admin/customers?limit=10", admin, None)] * 2 + \
          [("GET /admin/plans", "GET", "/admin/plans", admin, None)] * 2 + \
          [("POST /admin/customers", "POST", "/admin/customers", admin, "create")] * 2
    result = LoadResult(total, 0.0, Counter())
    lock = threading.Lock()
    local = threading.local()

    def one(index: int) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        name, method, path, headers, kind = mix[index % len(mix)]
        body = None
        if kind == "create":
            body = {"display_name": f"Load {run_id} {index}", "email": f"load-{run_id}-{index}@load.example"}
        started = time.perf_counter()
        try:
            status = session.request(method, api_url + path, headers=headers, json=body, timeout=30).status_code
        except requests.RequestException:
            status = 0
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            result.statuses[status] += 1
            result.latencies_ms.setdefault(name, []).append(elapsed)
            if kind == "create" and status == 201:
                result.created.append(body["display_name"])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(total)))
    result.seconds = time.perf_counter() - started
    result.recounted = _recount(api_url, admin, f"Load {run_id} ")
    return result


def _recount(api_url: str, admin: dict, prefix: str) -> Counter:
    found, cursor = Counter(), None
    while True:
        query = "/admin/customers?limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = requests.get(api_url + query, headers=admin, timeout=30).json()
        found.update(c["display_name"] for c in page["items"] if c["display_name"].startswith(prefix))
        cursor = page["next_cursor"]
        if not cursor:
            return found


def report(result: LoadResult) -> list[str]:
    lines = ["", f"## Load ({result.requests} requests from 20 threads on the local stack, "
                 f"{result.requests / result.seconds:.0f} req/s on this machine)", "",
             "| route | p50 ms | p95 ms |", "|---|---|---|"]
    for route in sorted(result.latencies_ms):
        lines.append(f"| {route} | {result.percentile(route, 0.5):.0f} | {result.percentile(route, 0.95):.0f} |")
    lines.append(f"| all | {result.percentile(None, 0.5):.0f} | {result.percentile(None, 0.95):.0f} |")
    lost = len(result.created) - sum(1 for name in result.created if result.recounted[name] == 1)
    lines += ["", f"Statuses: {dict(result.statuses)}; 5xx/transport errors: {result.errors}; "
                  f"customers created {len(result.created)}, lost or duplicated after recount: {lost}."]
    return lines
