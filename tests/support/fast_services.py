"""The adapters of a service test that needs no AWS: the in-memory unit of work (memory_uow.py), the
simulated payment gateway (or a stand-in), the settings of the test environment and a pinned clock.
A use case is called with them as `bootstrap.Adapters` would be passed: `pay(adapters, ...)`."""
from __future__ import annotations

from datetime import datetime

from chalicelib import config
from chalicelib.gateways.simulated_payments import SimulatedGateway
from tests.support.domain_builders import NOW, a_customer, an_organization
from tests.support.memory_uow import MemoryUnitOfWork


class MemoryAdapters:
    """What a use case works with (the `adapters` parameter), with no table, network or SES behind it."""

    def __init__(self, *, now: datetime = NOW, gateway=None) -> None:
        self.uow = MemoryUnitOfWork()
        self.gateway = gateway or SimulatedGateway()
        self.settings = config.settings()
        self.time = now

    def now(self) -> datetime:
        return self.time


def a_merchant_with_a_customer(**adapter_options) -> MemoryAdapters:
    """Acme Cloud (org_acme) and its customer Globex (cus_globex), and nothing else yet."""
    adapters = MemoryAdapters(**adapter_options)
    adapters.uow.organizations.add(an_organization())
    adapters.uow.customers.add("org_acme", a_customer())
    return adapters
