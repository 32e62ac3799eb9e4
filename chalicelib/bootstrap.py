"""Adapters built lazily, in one place: tables pointed at their stage, the clock, gateways.

Nothing here runs at import time (Lambda cold start; Chalice's config exists only in handlers).
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Callable

from . import config

_clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # noqa: E731


def now() -> datetime:
    """The real time, for services; domain code receives it as a parameter."""
    return _clock()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Tests pin time; None restores the real clock."""
    global _clock
    _clock = clock or (lambda: datetime.now(timezone.utc))


@lru_cache(maxsize=1)
def tables_ready() -> bool:
    from . import tables
    s = config.settings()
    tables.configure(prefix=s.table_prefix, region=s.region, host=s.aws_endpoint)
    return True


def reset() -> None:
    """Forget every built adapter (tests and the devstack re-point the environment)."""
    config.reload()
    for cached in (tables_ready, aws_client_factory, password_hasher, mailer, payment_gateway,
                   stripe_webhook_secret):
        cached.cache_clear()


@lru_cache(maxsize=8)
def aws_client_factory(service: str):
    """A factory of boto3 clients for `service`, honouring the local endpoint."""
    def make():
        import boto3
        s = config.settings()
        return boto3.client(service, region_name=s.region, endpoint_url=s.aws_endpoint)
    return lru_cache(maxsize=1)(make)


@lru_cache(maxsize=1)
def password_hasher():
    """argon2id with the configured cost (never below the OWASP minimum: the hasher refuses)."""
    from .gateways.password_hasher import PasswordHasher
    s = config.settings()
    return PasswordHasher(memory_cost=s.password_hash_memory_kib, time_cost=s.password_hash_iterations)


@lru_cache(maxsize=1)
def mailer():
    """SES, sending as the configured (verified) sender identity."""
    from .gateways.email import SesMailer
    return SesMailer(sender=config.settings().email_sender, client_factory=aws_client_factory("ses"))


@lru_cache(maxsize=1)
def payment_gateway():
    """Stripe once a secret is configured (STRIPE_SECRET_KEY locally, the SSM parameter named by
    PORTICO_STRIPE_SECRET_PARAMETER on AWS); otherwise the simulated gateway (tests, `make run`)."""
    s = config.settings()
    secret = s.stripe_secret_key or _parameter(s.stripe_secret_parameter)
    if not secret:
        from .gateways.simulated_payments import SimulatedGateway
        return SimulatedGateway()
    from .gateways.stripe_payments import StripeGateway
    return StripeGateway(secret, publishable_key=s.stripe_publishable_key)


@lru_cache(maxsize=1)
def stripe_webhook_secret() -> str | None:
    """The signing secret of the Stripe webhook endpoint (STRIPE_WEBHOOK_SECRET or an SSM parameter)."""
    s = config.settings()
    return s.stripe_webhook_secret or _parameter(s.stripe_webhook_secret_parameter)


def _parameter(name: str | None) -> str | None:
    if not name:
        return None
    from .gateways.secrets import parameter_value
    return parameter_value(name, aws_client_factory("ssm")())
