"""AWS X-Ray inside a traced Lambda, for the invocations X-Ray samples, never at a request's expense.

Which requests are traced is decided before the function runs: API Gateway applies the stack's
sampling rule (`TraceSampleRate`, infra/operations.py) and Lambda hands the decision to each
invocation in its trace header (`_X_AMZN_TRACE_ID`, "Sampled=1"); inside Lambda the SDK's own
sampling rules play no part. So the SDK is imported, and botocore (DynamoDB, SES, SSM) patched, by
the first sampled invocation: an unsampled cold start never pays for it. Other libraries are patched
once the code that calls them is first used (`follow`): the Stripe gateway follows requests.

`subsegment()` wraps routes and jobs with annotations. Should the SDK fail to begin, annotate or end
one (no segment to add to, with AWS_XRAY_CONTEXT_MISSING=IGNORE_ERROR, say), the block runs untraced
and the failure is logged: a request never fails because of tracing.

Tests and `make run` neither import the SDK nor pay for it (AWS_XRAY_SDK_ENABLED=false, or not in Lambda).
"""
from __future__ import annotations

import os
from contextlib import contextmanager, nullcontext

from . import logs

log = logs.logger("portico.tracing")

ALWAYS_FOLLOWED = frozenset({"botocore"})

_followed: set[str] = set(ALWAYS_FOLLOWED)
_recorder = None   # the SDK's recorder, once a sampled invocation has loaded it


def enabled() -> bool:
    """In a Lambda whose tracing is not switched off."""
    return os.environ.get("AWS_XRAY_SDK_ENABLED", "").lower() != "false" and "AWS_LAMBDA_FUNCTION_NAME" in os.environ


def sampled() -> bool:
    """Whether X-Ray records the running invocation (its trace header says so)."""
    return enabled() and "Sampled=1" in os.environ.get("_X_AMZN_TRACE_ID", "")


def recorder():
    """The X-Ray recorder, the libraries followed patched (loaded on first use), or None when tracing is off."""
    global _recorder
    if not enabled():
        return None
    if _recorder is None:
        from aws_xray_sdk.core import xray_recorder
        _recorder = xray_recorder
        _quietly(_patch, sorted(_followed))
    return _recorder


def follow(library: str) -> None:
    """Trace the calls `library` makes (e.g. "requests"): patched now if the SDK is loaded, else with it."""
    if library in _followed:
        return
    _followed.add(library)
    if _recorder is not None:
        _quietly(_patch, [library])


def subsegment(name: str, **annotations):
    """A traced block (no-op unless sampled); annotations must be strings, numbers or booleans."""
    if not sampled():
        return nullcontext()
    return _traced(recorder(), name, annotations)


def reset() -> None:
    """Forget the loaded recorder and what was followed (tests switch tracing on and off)."""
    global _recorder
    _recorder = None
    _followed.clear()
    _followed.update(ALWAYS_FOLLOWED)


@contextmanager
def _traced(active, name: str, annotations: dict):
    segment = _quietly(_begin, active, name, annotations)
    try:
        yield segment
    except Exception as error:
        _quietly(_record_failure, active, segment, error)
        raise
    finally:
        _quietly(_end, active, segment)


def _begin(active, name: str, annotations: dict):
    segment = active.begin_subsegment(name)
    if segment is not None:
        for key, value in annotations.items():
            if value is not None:
                segment.put_annotation(key, value)
    return segment


def _record_failure(active, segment, error: Exception) -> None:
    if segment is not None:
        from aws_xray_sdk.core.utils import stacktrace
        segment.add_exception(error, stacktrace.get_stacktrace(limit=active.max_trace_back))


def _end(active, segment) -> None:
    if segment is not None:
        active.end_subsegment()


def _patch(libraries: list[str]) -> None:
    from aws_xray_sdk.core import patch
    patch(tuple(libraries))


def _quietly(step, *arguments):
    """`step(*arguments)`, or None, logged, if the SDK fails: tracing is never worth a failed request."""
    try:
        return step(*arguments)
    except Exception:  # noqa: BLE001 - whatever the SDK raises, the request goes on untraced
        log.warning("X-Ray %s failed; continuing untraced", step.__name__.strip("_"), exc_info=True)
        return None
