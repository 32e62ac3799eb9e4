"""AWS X-Ray, switched on only inside a traced Lambda and loaded lazily there.

Tests and `make run` neither import the SDK nor pay for it (AWS_XRAY_SDK_ENABLED=false, or
not in Lambda). In Lambda, botocore (DynamoDB, SES, SSM) and requests (Stripe) are patched on
first use, and `subsegment()` wraps services, jobs and gateway calls with annotations.
"""
from __future__ import annotations

import os
from contextlib import contextmanager, nullcontext
from functools import lru_cache


@lru_cache(maxsize=1)
def recorder():
    """The X-Ray recorder with botocore and requests patched, or None when tracing is off."""
    if os.environ.get("AWS_XRAY_SDK_ENABLED", "").lower() == "false" or "AWS_LAMBDA_FUNCTION_NAME" not in os.environ:
        return None
    from aws_xray_sdk.core import patch, xray_recorder
    patch(("botocore", "requests"))
    return xray_recorder


def subsegment(name: str, **annotations):
    """A traced block (no-op when tracing is off); annotations must be strings, numbers or booleans."""
    active = recorder()
    if active is None:
        return nullcontext()
    return _traced(active, name, annotations)


@contextmanager
def _traced(active, name: str, annotations: dict):
    with active.in_subsegment(name) as segment:
        for key, value in annotations.items():
            if value is not None:
                segment.put_annotation(key, value)
        yield segment
