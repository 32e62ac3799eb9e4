"""Tracing is free where it is off and annotates subsegments where it is on."""
import subprocess
import sys

from chalicelib import tracing


def test_outside_lambda_tracing_is_off_and_the_sdk_is_never_imported():
    script = ("import sys; from chalicelib import tracing\n"
              "with tracing.subsegment('x', org_id='org_1'): pass\n"
              "assert tracing.recorder() is None\n"
              "assert not any(m.startswith('aws_xray_sdk') for m in sys.modules)")
    subprocess.run([sys.executable, "-c", script], check=True, env={"AWS_XRAY_SDK_ENABLED": "false"})


def test_in_a_traced_lambda_each_subsegment_carries_its_annotations(monkeypatch):
    # Given a Lambda with tracing on, and a segment as Lambda would open it
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "portico-dev")
    monkeypatch.setenv("AWS_XRAY_SDK_ENABLED", "true")
    tracing.recorder.cache_clear()
    try:
        from aws_xray_sdk.core import xray_recorder
        from aws_xray_sdk.core.context import Context
        xray_recorder.configure(context=Context(), sampling=False, context_missing="LOG_ERROR")
        segment = xray_recorder.begin_segment("portico")
        # When a route runs in a subsegment
        with tracing.subsegment("route:get_me", org_id="org_1", route="/portal/me"):
            pass
        # Then the subsegment is recorded with the organization and route
        (recorded,) = segment.subsegments
        assert recorded.name == "route:get_me"
        assert recorded.annotations == {"org_id": "org_1", "route": "/portal/me"}
        xray_recorder.end_segment()
    finally:
        from aws_xray_sdk import global_sdk_config
        global_sdk_config.set_sdk_enabled(False)   # the patches are process-wide: leave them inert
        tracing.recorder.cache_clear()
