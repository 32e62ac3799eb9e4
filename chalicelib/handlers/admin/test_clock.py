"""The test clock of an organization in test mode: move it forward and run the due work up to it,
so a merchant can watch a trial expire or a renewal fail without waiting."""
from __future__ import annotations

from pydantic import AwareDatetime

from ... import bootstrap
from ...bootstrap import services
from ..credentials import merchant_key
from ..http import Body, Routes


api = Routes("merchant", merchant_key)


class AdvanceBody(Body):
    advance_to: AwareDatetime


@api.route("/admin/test-clock", "POST", body=AdvanceBody, response="TestClock")
def advance_test_clock(body: AdvanceBody):
    """Advance the test clock (never backwards) and run the subscription work due up to it."""
    from ..responses.accounts import TestClock   # on the first answer, not at `import app`
    return TestClock.of(services().subscriptions.advance_test_clock(api.merchant().org_id, body.advance_to,
                                                                    real_now=bootstrap.now())).model_dump()
