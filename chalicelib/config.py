"""Configuration, read from the environment once, on first use.

Chalice sets `environment_variables` from .chalice/config.json only while a handler runs,
so nothing here is read at import time. On AWS the template's parameters set these variables
(infra/parameters.py); locally (`make run`, tests) the defaults below apply.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from .domain.rate_limits import parse_overrides


# The longest one subscription's scheduled work may take once started (a charge through the gateway,
# with its retries): a run of due work starts no item later than this before its Lambda times out.
JOB_LAST_ITEM_SECONDS = 60.0


def job_budget_for(timeout_seconds: float) -> float:
    """The time budget of a job whose Lambda times out after `timeout_seconds` (infra sets it)."""
    return timeout_seconds - JOB_LAST_ITEM_SECONDS


@dataclass(frozen=True)
class Settings:
    region: str
    aws_endpoint: str | None        # moto's server locally; None on AWS
    table_prefix: str               # e.g. "portico-dev-"
    email_sender: str
    portal_base_url: str
    stripe_secret_key: str | None
    stripe_secret_parameter: str | None   # SSM parameter holding the Stripe secret on AWS
    stripe_publishable_key: str | None
    stripe_publishable_key_parameter: str | None   # SSM parameter holding the publishable key on AWS
    stripe_webhook_secret: str | None
    stripe_webhook_secret_parameter: str | None
    simulated_payments_allowed: bool   # without Stripe: may the simulated gateway take payments?
    default_time_zone: str          # of organizations created without one (IANA name)
    due_work_shards: int
    job_time_budget_seconds: float
    due_work_queue_url: str | None   # where discovery sends due work (the template's queue); None: run it inline
    due_work_per_org: int            # items of one organization a discovery sends (fairness between them)
    # seconds between the charges this process starts: the due-work worker's share of the gateway's
    # rate limit (concurrency / charges a second); 0 elsewhere, where nothing paces them
    charge_interval_seconds: float
    password_hash_memory_kib: int
    password_hash_iterations: int
    cursor_signing_key: str | None   # signs pagination cursors (a generated secret on AWS)
    # maxima of named rate limits (domain/rate_limits.py) this deployment sets apart from the defaults
    rate_limit_overrides: dict[str, int]
    # the KMS key (alias or ARN) that seals the secrets the portal reads back (gateways/sealed_secrets.py)
    secrets_key_id: str
    # the least time an answer that must not tell whether an account exists takes (handlers/answer_floor.py)
    untelling_answer_seconds: float

    @property
    def payments_mode(self) -> str:
        return "stripe" if (self.stripe_secret_key or self.stripe_secret_parameter) else "simulated"


LOCAL_CURSOR_KEY = "portico-local-cursor-key"


def in_lambda() -> bool:
    """Running as a deployed Lambda function (the runtime names the function)."""
    return "AWS_LAMBDA_FUNCTION_NAME" in os.environ


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _charge_interval(concurrency: str | None, charges_per_second: str | None) -> float:
    """Seconds between one worker's charges so that `concurrency` workers together start at most
    `charges_per_second` a second (the template sets both on the due-work worker only)."""
    if not concurrency or not charges_per_second:
        return 0.0
    return int(concurrency) / float(charges_per_second)


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings(
        region=_env("AWS_REGION") or _env("AWS_DEFAULT_REGION") or "us-east-1",
        aws_endpoint=_env("PORTICO_AWS_ENDPOINT"),
        table_prefix=_env("PORTICO_TABLE_PREFIX", "portico-dev-"),
        email_sender=_env("PORTICO_EMAIL_SENDER", "portal@portico.example"),
        portal_base_url=_env("PORTICO_PORTAL_URL", "http://127.0.0.1:8000").rstrip("/"),
        stripe_secret_key=_env("STRIPE_SECRET_KEY"),
        stripe_secret_parameter=_env("PORTICO_STRIPE_SECRET_PARAMETER"),
        stripe_publishable_key=_env("STRIPE_PUBLISHABLE_KEY"),
        stripe_publishable_key_parameter=_env("PORTICO_STRIPE_PUBLISHABLE_KEY_PARAMETER"),
        stripe_webhook_secret=_env("STRIPE_WEBHOOK_SECRET"),
        stripe_webhook_secret_parameter=_env("PORTICO_STRIPE_WEBHOOK_SECRET_PARAMETER"),
        # a deployed stage takes no money on the simulated gateway unless its template says so;
        # `make run` and the tests do
        simulated_payments_allowed=_env("PORTICO_ALLOW_SIMULATED_PAYMENTS",
                                        "false" if in_lambda() else "true").lower() == "true",
        default_time_zone=_env("PORTICO_DEFAULT_TIME_ZONE", "UTC"),
        due_work_shards=int(_env("PORTICO_DUE_SHARDS", "8")),
        # the template derives it from the job's Lambda timeout (infra/parameters.py)
        job_time_budget_seconds=float(_env("PORTICO_JOB_BUDGET_SECONDS", "60")),
        due_work_queue_url=_env("PORTICO_DUE_WORK_QUEUE_URL"),
        due_work_per_org=int(_env("PORTICO_DUE_WORK_PER_ORG", "6000")),
        charge_interval_seconds=_charge_interval(_env("PORTICO_DUE_WORK_CONCURRENCY"),
                                                 _env("PORTICO_DUE_WORK_CHARGES_PER_SECOND")),
        password_hash_memory_kib=int(_env("PORTICO_ARGON2_MEMORY_KIB", "19456")),
        password_hash_iterations=int(_env("PORTICO_ARGON2_ITERATIONS", "2")),
        # the template resolves a generated Secrets Manager secret into PORTICO_CURSOR_KEY; off AWS
        # (make run, tests) a fixed key will do: nothing there is worth forging a cursor for
        cursor_signing_key=_env("PORTICO_CURSOR_KEY", None if in_lambda() else LOCAL_CURSOR_KEY),
        # e.g. "payment_customer=20,card_added_customer=3"
        rate_limit_overrides=parse_overrides(_env("PORTICO_RATE_LIMITS", "")),
        secrets_key_id=_env("PORTICO_SECRETS_KEY", "alias/portico-secrets"),
        untelling_answer_seconds=int(_env("PORTICO_UNTELLING_ANSWER_MS", "250")) / 1000,
    )


def reload() -> Settings:
    """Forget the cached settings (tests and the devstack change the environment)."""
    settings.cache_clear()
    return settings()
