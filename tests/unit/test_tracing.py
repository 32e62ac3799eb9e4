"""Tracing is free where it is off or the invocation is not sampled, annotates subsegments where it is
sampled, patches a library only once something follows it, and never fails the block it wraps."""
import subprocess
import sys

import pytest

from chalicelib import tracing

SAMPLED = "Root=1-67a1b2c3-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1"
NOT_SAMPLED = SAMPLED.replace("Sampled=1", "Sampled=0")
IN_LAMBDA = {"AWS_LAMBDA_FUNCTION_NAME": "portico-dev", "AWS_XRAY_SDK_ENABLED": "true",
             "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR", "AWS_DEFAULT_REGION": "us-east-1"}


def run(script: str, **environment) -> str:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_outside_lambda_tracing_is_off_and_the_sdk_is_never_imported():
    script = ("import sys; from chalicelib import tracing\n"
              "with tracing.subsegment('x', org_id='org_1'): pass\n"
              "assert tracing.recorder() is None\n"
              "assert not any(m.startswith('aws_xray_sdk') for m in sys.modules)")
    run(script, AWS_XRAY_SDK_ENABLED="false")


def test_an_invocation_x_ray_does_not_sample_never_imports_the_sdk():
    # Given a traced Lambda whose invocation X-Ray did not sample
    script = ("import sys; from chalicelib import tracing\n"
              "with tracing.subsegment('route:get_me', org_id='org_1'): pass\n"
              "print(any(m.startswith('aws_xray_sdk') for m in sys.modules))")

    # Then running a traced block loads nothing of X-Ray
    assert run(script, **IN_LAMBDA, _X_AMZN_TRACE_ID=NOT_SAMPLED) == "False"


def test_a_sampled_invocation_patches_botocore_and_requests_only_once_something_calls_through_it():
    # Given a sampled invocation in a traced Lambda
    script = ("import sys; from chalicelib import tracing\n"
              "from aws_xray_sdk.core import patcher\n"
              "with tracing.subsegment('route:get_me'): pass\n"
              "print(sorted(patcher._PATCHED_MODULES), 'requests' in sys.modules)\n"
              "tracing.follow('requests')\n"
              "print(sorted(patcher._PATCHED_MODULES))")

    # When a traced block runs, then the Stripe gateway starts calling out through requests
    before, after = run(script, **IN_LAMBDA, _X_AMZN_TRACE_ID=SAMPLED).splitlines()

    # Then botocore was patched at once, requests only when followed
    assert before == "['botocore'] False"
    assert after == "['botocore', 'requests']"


@pytest.fixture
def sampled_lambda(monkeypatch):
    """A sampled invocation in a traced Lambda, with a segment as Lambda would open it."""
    for name, value in {**IN_LAMBDA, "_X_AMZN_TRACE_ID": SAMPLED}.items():
        monkeypatch.setenv(name, value)
    tracing.reset()
    from aws_xray_sdk import global_sdk_config
    from aws_xray_sdk.core import xray_recorder
    from aws_xray_sdk.core.context import Context
    global_sdk_config.set_sdk_enabled(True)
    xray_recorder.configure(context=Context(), sampling=False, context_missing="IGNORE_ERROR")
    try:
        yield xray_recorder
    finally:
        # the patches are process-wide: leave them inert (the SDK's switch yields to its environment
        # variable) with no segment left open, for the tests that run after in this process
        monkeypatch.setenv("AWS_XRAY_SDK_ENABLED", "false")
        global_sdk_config.set_sdk_enabled(False)
        xray_recorder.clear_trace_entities()
        tracing.reset()


def test_in_a_sampled_invocation_each_subsegment_carries_its_annotations(sampled_lambda):
    segment = sampled_lambda.begin_segment("portico")

    # When a route runs in a subsegment
    with tracing.subsegment("route:get_me", org_id="org_1", route="/portal/me"):
        pass

    # Then the subsegment is recorded with the organization and route
    (recorded,) = segment.subsegments
    assert recorded.name == "route:get_me"
    assert recorded.annotations == {"org_id": "org_1", "route": "/portal/me"}
    sampled_lambda.end_segment()


def test_a_failing_block_is_recorded_on_its_subsegment_and_its_error_reaches_the_caller(sampled_lambda):
    segment = sampled_lambda.begin_segment("portico")

    # When the traced block raises
    with pytest.raises(LookupError):
        with tracing.subsegment("route:get_me"):
            raise LookupError("no such invoice")

    # Then the caller gets the error and the subsegment says it failed
    (recorded,) = segment.subsegments
    assert recorded.fault and recorded.cause["exceptions"][0].type == "LookupError"
    sampled_lambda.end_segment()


def test_without_a_segment_to_add_to_the_block_runs_untraced(sampled_lambda):
    # Given no segment (the runtime gave none) and context missing ignored
    # When a block is traced
    ran = []
    with tracing.subsegment("route:get_me", org_id="org_1") as subsegment:
        ran.append(subsegment)

    # Then it ran, untraced
    assert ran == [None]


def test_an_sdk_that_fails_to_end_a_subsegment_leaves_the_block_and_its_answer_alone(sampled_lambda, monkeypatch):
    # Given an SDK that fails when asked to end a subsegment
    segment = sampled_lambda.begin_segment("portico")
    monkeypatch.setattr(sampled_lambda, "end_subsegment", lambda *a, **k: 1 / 0)

    # When a block is traced
    with tracing.subsegment("route:get_me", org_id="org_1"):
        result = "served"

    # Then the block ran and nothing reached it
    assert result == "served" and segment.subsegments
