"""Configuration, read from the environment once, on first use.

Chalice sets `environment_variables` from .chalice/config.json only while a handler runs,
so nothing here is read at import time.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


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
    stripe_webhook_secret: str | None
    stripe_webhook_secret_parameter: str | None
    due_work_shards: int
    job_time_budget_seconds: float
    password_hash_memory_kib: int
    password_hash_iterations: int

    @property
    def payments_mode(self) -> str:
        return "stripe" if (self.stripe_secret_key or self.stripe_secret_parameter) else "simulated"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


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
        stripe_webhook_secret=_env("STRIPE_WEBHOOK_SECRET"),
        stripe_webhook_secret_parameter=_env("PORTICO_STRIPE_WEBHOOK_SECRET_PARAMETER"),
        due_work_shards=int(_env("PORTICO_DUE_SHARDS", "8")),
        job_time_budget_seconds=float(_env("PORTICO_JOB_BUDGET_SECONDS", "240")),
        password_hash_memory_kib=int(_env("PORTICO_ARGON2_MEMORY_KIB", "19456")),
        password_hash_iterations=int(_env("PORTICO_ARGON2_ITERATIONS", "2")),
    )


def reload() -> Settings:
    """Forget the cached settings (tests and the devstack change the environment)."""
    settings.cache_clear()
    return settings()
