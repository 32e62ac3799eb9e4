"""Secrets kept in AWS, read when first needed (never at import time, never logged)."""
from __future__ import annotations

from typing import Any


def parameter_value(name: str, ssm_client: Any) -> str:
    """The decrypted value of an SSM parameter (a SecureString on AWS).

    A Secrets Manager secret reads the same way, through the parameter named
    `/aws/reference/secretsmanager/<secret name>`."""
    answer = ssm_client.get_parameter(Name=name, WithDecryption=True)
    return answer["Parameter"]["Value"]
