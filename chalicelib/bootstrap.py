"""The composition root: the adapters (tables pointed at their stage as a unit of work, the payment
gateway, the mailer, the PDF renderer, the password hasher, the clock) and the services built on
them, each built on first use, in one place.

Nothing here runs at import time (Lambda cold start; Chalice's config exists only in handlers).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Iterator

from . import config
from .domain.errors import BusinessRuleViolation

if TYPE_CHECKING:
    from .gateways.email import SesMailer
    from .gateways.password_hasher import PasswordHasher
    from .gateways.payments import PaymentGateway
    from .gateways.pdf import PdfDocument
    from .gateways.sealed_secrets import SecretBox
    from .services.access import Access
    from .services.accounts import Accounts
    from .services.documents import Documents
    from .services.payments import Payments
    from .services.subscriptions import Subscriptions
    from .tables.unit_of_work import DynamoUnitOfWork

_clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # noqa: E731


class Adapters:
    """What the services work with, each built on first use (and kept: one per process)."""

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}
        self._clients_lock = threading.Lock()

    @property
    def settings(self) -> config.Settings:
        """The environment, read once (config.py keeps it; `config.reload()` reads it again)."""
        return config.settings()

    @cached_property
    def uow(self) -> DynamoUnitOfWork:
        """Every repository, over the stage's tables."""
        tables_ready()
        from .tables.unit_of_work import DynamoUnitOfWork
        return DynamoUnitOfWork()

    @property
    def gateway(self) -> PaymentGateway:
        """Stripe once a secret is configured (STRIPE_SECRET_KEY locally, the SSM parameter named by
        PORTICO_STRIPE_SECRET_PARAMETER on AWS); otherwise the simulated gateway (tests, `make run`),
        which a deployed stage refuses unless its template allows it: nothing that starts a payment
        gets a gateway then (a 422 `payments_not_configured`, before anything is written); nor while
        the Stripe secret the stage names is not stored yet (read again at the next payment)."""
        from .gateways.secrets import ParameterMissing
        try:
            gateway = self._configured_gateway
        except ParameterMissing:
            raise PaymentsNotConfigured() from None
        if gateway.name == "simulated" and not self.settings.simulated_payments_allowed:
            raise PaymentsNotConfigured()
        return gateway

    @gateway.setter
    def gateway(self, stand_in: PaymentGateway) -> None:
        """A stand-in in its place (tests), until `reset`."""
        self.__dict__["_configured_gateway"] = stand_in

    @cached_property
    def _configured_gateway(self) -> PaymentGateway:
        s = self.settings
        secret = s.stripe_secret_key or self._parameter(s.stripe_secret_parameter)
        if not secret:
            from .gateways.simulated_payments import SimulatedGateway
            return self._paced(SimulatedGateway())
        from .gateways.stripe_payments import StripeGateway
        publishable_key = s.stripe_publishable_key or self._parameter(s.stripe_publishable_key_parameter)
        return self._paced(StripeGateway(secret, publishable_key=publishable_key))

    def _paced(self, gateway: PaymentGateway) -> PaymentGateway:
        """The due-work worker's charges spaced within its share of the gateway's rate limit
        (gateways/pacing.py); every other function's as they come."""
        if not self.settings.charge_interval_seconds:
            return gateway
        from .gateways.pacing import PacedCharges
        return PacedCharges(gateway, self.settings.charge_interval_seconds)

    @cached_property
    def mailer(self) -> SesMailer:
        """SES, sending as the configured (verified) sender identity."""
        from .gateways.email import SesMailer
        return SesMailer(sender=self.settings.email_sender, client_factory=lambda: self.client("ses"))

    @cached_property
    def renderer(self) -> Callable[[PdfDocument], bytes]:
        """PDF documents as bytes (fpdf2, loaded on the first PDF)."""
        from .gateways.pdf import render_pdf
        return render_pdf

    @cached_property
    def password_hasher(self) -> PasswordHasher:
        """argon2id with the configured cost (never below the OWASP minimum: the hasher refuses)."""
        from .gateways.password_hasher import PasswordHasher
        s = self.settings
        return PasswordHasher(memory_cost=s.password_hash_memory_kib, time_cost=s.password_hash_iterations)

    @cached_property
    def secret_box(self) -> SecretBox:
        """Seals with the stage's KMS key what the portal must read back (a second factor's key)."""
        from .gateways.sealed_secrets import SecretBox
        return SecretBox(self.settings.secrets_key_id, lambda: self.client("kms"),
                         make_missing_key=not config.in_lambda())

    @property
    def webhook_secret(self) -> str | None:
        """The signing secret of the Stripe webhook endpoint (STRIPE_WEBHOOK_SECRET or an SSM parameter);
        None while the parameter the stage names is not stored yet (asked again at the next event)."""
        s = self.settings
        if s.stripe_webhook_secret:
            return s.stripe_webhook_secret
        from .gateways.secrets import ParameterMissing
        try:
            return self._stored_webhook_secret
        except ParameterMissing:
            return None

    @cached_property
    def _stored_webhook_secret(self) -> str | None:
        return self._parameter(self.settings.stripe_webhook_secret_parameter)

    def client(self, service: str) -> Any:
        """A boto3 client of `service` (one each), honouring the local endpoint."""
        with self._clients_lock:
            if service not in self._clients:
                import boto3
                s = self.settings
                self._clients[service] = boto3.client(service, region_name=s.region, endpoint_url=s.aws_endpoint)
            return self._clients[service]

    def now(self) -> datetime:
        """The time (pinned by tests: `set_clock`); domain code receives it as a parameter."""
        return _clock()

    def _parameter(self, name: str | None) -> str | None:
        if not name:
            return None
        from .gateways.secrets import parameter_value
        return parameter_value(name, self.client("ssm"))


class PaymentsNotConfigured(BusinessRuleViolation):
    def __init__(self):
        super().__init__("Card payments are not set up on this portal yet; please contact the merchant.",
                         "payments_not_configured")


class Services:
    """The use cases, one object per capability (its methods name them), built on first use on the
    adapters: handlers, jobs, the devstack and the CLI call `services().payments.pay(...)`."""

    def __init__(self, adapters: Adapters) -> None:
        self._adapters = adapters

    @cached_property
    def subscriptions(self) -> Subscriptions:
        from .services.subscriptions import Subscriptions
        return Subscriptions(self._adapters)

    @cached_property
    def payments(self) -> Payments:
        from .services.payments import Payments
        return Payments(self._adapters)

    @cached_property
    def documents(self) -> Documents:
        from .services.documents import Documents
        return Documents(self._adapters)

    @cached_property
    def accounts(self) -> Accounts:
        from .services.accounts import Accounts
        return Accounts(self._adapters)

    @cached_property
    def access(self) -> Access:
        from .services.access import Access
        return Access(self._adapters)


_built: dict[str, Any] = {}
_building = threading.RLock()   # threads racing the first request share one of each


def adapters() -> Adapters:
    """The process's adapters (`reset` forgets them)."""
    with _building:
        if "adapters" not in _built:
            _built["adapters"] = Adapters()
        return _built["adapters"]


def services() -> Services:
    """The process's services, on its adapters (`reset` forgets them)."""
    with _building:
        if "services" not in _built:
            _built["services"] = Services(adapters())
        return _built["services"]


@lru_cache(maxsize=1)
def tables_ready() -> bool:
    from . import tables
    s = config.settings()
    tables.configure(prefix=s.table_prefix, region=s.region, host=s.aws_endpoint)
    return True


@contextmanager
def serving(method: str) -> Iterator[None]:
    """Around each API request: the tables pointed at the stage and, for a GET, the scope of what its
    session check reads ahead for it (tables/read_ahead.py: each item answers the route's first read of
    it; a change reads what it needs itself)."""
    from .tables import read_ahead
    tables_ready()
    with read_ahead.request() if method == "GET" else nullcontext():
        yield


def reading_first() -> ContextManager[None]:
    """Around a change that declares its first read (`reads_first`, handlers/http.py): the scope of
    what its session check reads for it (tables/read_ahead.py "A change's first read")."""
    from .tables import read_ahead
    return read_ahead.request()


def now() -> datetime:
    """The time, for handlers and jobs to hand to services; domain code receives it as a parameter."""
    return adapters().now()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Tests pin time; None restores the real clock. A pinned clock outlives `reset`."""
    global _clock
    _clock = clock or (lambda: datetime.now(timezone.utc))


def reset() -> None:
    """Forget every built adapter (tests and the devstack re-point the environment)."""
    config.reload()
    tables_ready.cache_clear()
    with _building:
        _built.clear()
