"""The Stripe events the webhook acts on are the ones the deployment guide says to subscribe, and
each has a declared shape that is checked before a handler reads it."""
import re
from pathlib import Path

from chalicelib.gateways.stripe_webhooks import EVENT_SHAPES
from chalicelib.services.payments.webhooks import HANDLERS

DEPLOY_GUIDE = Path(__file__).parents[2] / "docs" / "deploy.md"


def subscribed_in_the_guide() -> set[str]:
    section = DEPLOY_GUIDE.read_text(encoding="utf-8").split("## 4. The Stripe webhook", 1)[1].split("\n## ", 1)[0]
    events = section.split("**Events**", 1)[1].split("Others are acknowledged", 1)[0]
    return set(re.findall(r"`([a-z_]+(?:\.[a-z_]+)+)`", events))


def test_the_guide_subscribes_exactly_the_events_the_webhook_handles():
    assert subscribed_in_the_guide() == set(HANDLERS)


def test_every_handled_event_has_a_declared_shape():
    assert set(HANDLERS) <= set(EVENT_SHAPES)
