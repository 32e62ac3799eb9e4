"""Secrets kept in AWS, read when first needed (never at import time, never logged)."""
from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError


class ParameterMissing(Exception):
    """The parameter the stage names does not exist (yet): the operator has not stored it."""


def parameter_value(name: str, ssm_client: Any) -> str:
    """The decrypted value of an SSM parameter (a SecureString on AWS).

    A Secrets Manager secret reads the same way, through the parameter named
    `/aws/reference/secretsmanager/<secret name>`."""
    try:
        answer = ssm_client.get_parameter(Name=name, WithDecryption=True)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ParameterNotFound":
            raise ParameterMissing(name) from None
        raise
    return answer["Parameter"]["Value"]
