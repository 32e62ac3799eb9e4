"""X-Ray is an observer: whatever state the tracing SDK is in, a request answers as it would untraced."""
from contextlib import contextmanager

from chalicelib import tracing
from tests.support.api import Api, client
from tests.support.portal import Clock, portal_organization, signed_in_customer

SAMPLED = "Root=1-67a1b2c3-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1"


@contextmanager
def xray_on_without_a_segment(monkeypatch):
    """A sampled invocation of a traced Lambda whose recorder has no segment to add to (as when the
    runtime gave none), told to ignore that (AWS_XRAY_CONTEXT_MISSING=IGNORE_ERROR)."""
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "portico-dev")
    monkeypatch.setenv("AWS_XRAY_SDK_ENABLED", "true")
    monkeypatch.setenv("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR")
    monkeypatch.setenv("_X_AMZN_TRACE_ID", SAMPLED)
    tracing.reset()
    from aws_xray_sdk import global_sdk_config
    from aws_xray_sdk.core import xray_recorder
    from aws_xray_sdk.core.context import Context
    global_sdk_config.set_sdk_enabled(True)
    xray_recorder.configure(context=Context(), sampling=False, context_missing="IGNORE_ERROR")
    try:
        yield
    finally:
        # the patches are process-wide: leave them inert (the SDK's switch yields to its environment
        # variable) with no segment left open, for the tests that run after in this process
        monkeypatch.setenv("AWS_XRAY_SDK_ENABLED", "false")
        global_sdk_config.set_sdk_enabled(False)
        xray_recorder.clear_trace_entities()
        tracing.reset()


def test_with_tracing_on_and_no_segment_get_portal_me_still_answers(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given a signed-in customer
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        # When she asks who she is, in a traced function whose recorder has no segment
        with xray_on_without_a_segment(monkeypatch):
            me = zoe.portal.get("/portal/me")

    # Then she is answered as without tracing
    assert me.status == 200, me.json
    assert me.json["customer"]["customer_id"] == zoe.customer_id
