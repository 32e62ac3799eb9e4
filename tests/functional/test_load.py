"""A bounded load run on the local stack: no errors, and no write lost or duplicated. Sized at
1,000 requests to keep the whole suite well under CI's 15 minutes; `make bench` runs 400 and
records p50/p95 in bench/RESULTS.md."""
import pytest
import requests

from exercise.load import run_load
from devstack.seed import DEMO_PASSWORD
from devstack.launcher import start_devstack

pytestmark = pytest.mark.slow   # left out of `make check`: a live stack


def test_a_thousand_requests_from_twenty_threads_lose_and_duplicate_nothing():
    stack = start_devstack("load-")
    try:
        login = requests.post(f"{stack.api_url}/portal/auth/login", timeout=10, json={
            "organization": "org_demo", "email": "ada@acme-analytics.example", "password": DEMO_PASSWORD})
        result = run_load(stack.api_url, stack.printed("Admin API key"), login.json()["token"], total=1000)
    finally:
        stack.interrupt()
    assert result.errors == 0 and set(result.statuses) <= {200, 201}, result.statuses
    assert len(result.created) == 200   # a fifth of the mix creates a customer
    assert all(result.recounted[name] == 1 for name in result.created)
    assert sum(result.recounted.values()) == 200
