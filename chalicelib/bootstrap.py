"""Adapters built lazily, in one place: tables pointed at their stage, the clock, gateways.

Nothing here runs at import time (Lambda cold start; Chalice's config exists only in handlers).
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Callable

from . import config
from .domain.errors import BusinessRuleViolation

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
    for cached in (tables_ready, aws_client_factory, password_hasher, mailer, _configured_gateway,
                   _stripe_webhook_secret):
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


def payment_gateway():
    """Stripe once a secret is configured (STRIPE_SECRET_KEY locally, the SSM parameter named by
    PORTICO_STRIPE_SECRET_PARAMETER on AWS); otherwise the simulated gateway (tests, `make run`),
    which a deployed stage refuses unless its template allows it: nothing that starts a payment
    gets a gateway then (a 422 `payments_not_configured`, before anything is written); nor while
    the Stripe secret the stage names is not stored yet (read again at the next payment)."""
    from .gateways.secrets import ParameterMissing
    try:
        gateway = _configured_gateway()
    except ParameterMissing:
        raise PaymentsNotConfigured() from None
    if gateway.name == "simulated" and not config.settings().simulated_payments_allowed:
        raise PaymentsNotConfigured()
    return gateway


class PaymentsNotConfigured(BusinessRuleViolation):
    def __init__(self):
        super().__init__("Card payments are not set up on this portal yet; please contact the merchant.",
                         "payments_not_configured")


@lru_cache(maxsize=1)
def _configured_gateway():
    s = config.settings()
    secret = s.stripe_secret_key or _parameter(s.stripe_secret_parameter)
    if not secret:
        from .gateways.simulated_payments import SimulatedGateway
        return SimulatedGateway()
    from .gateways.stripe_payments import StripeGateway
    publishable_key = s.stripe_publishable_key or _parameter(s.stripe_publishable_key_parameter)
    return StripeGateway(secret, publishable_key=publishable_key)


def stripe_webhook_secret() -> str | None:
    """The signing secret of the Stripe webhook endpoint (STRIPE_WEBHOOK_SECRET or an SSM parameter);
    None while the parameter the stage names is not stored yet (asked again at the next event)."""
    from .gateways.secrets import ParameterMissing
    try:
        return _stripe_webhook_secret()
    except ParameterMissing:
        return None


def forget_secrets() -> None:
    """Read the secrets again when next needed (tests change them)."""
    _stripe_webhook_secret.cache_clear()
    _configured_gateway.cache_clear()


@lru_cache(maxsize=1)
def _stripe_webhook_secret() -> str | None:
    s = config.settings()
    return s.stripe_webhook_secret or _parameter(s.stripe_webhook_secret_parameter)


def _parameter(name: str | None) -> str | None:
    if not name:
        return None
    from .gateways.secrets import parameter_value
    return parameter_value(name, aws_client_factory("ssm")())
