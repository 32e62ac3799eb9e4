"""An action link may be followed once, by the customer it was made for, before it expires; the
session that followed it may follow it again to the same place."""
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain.action_links import (
    ActionLink, LinkExpired, LinkForAnotherAccount, LinkUsed, destination, for_email,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def a_link(**changes) -> ActionLink:
    fields = dict(token_hash="h", org_id="org_1", customer_id="cus_1", action="pay_invoice", target_id="inv_1",
                  created_at=NOW, expires_at=NOW + timedelta(days=7))
    return ActionLink(**{**fields, **changes})


def test_a_fresh_link_of_the_callers_customer_is_a_first_use():
    assert a_link().check("org_1", "cus_1", "ses_1", NOW) is True


def test_the_session_that_used_it_may_follow_it_again_and_no_other():
    used = a_link(used_at=NOW, used_by="ses_1")

    assert used.check("org_1", "cus_1", "ses_1", NOW + timedelta(days=30)) is False
    with pytest.raises(LinkUsed):
        used.check("org_1", "cus_1", "ses_2", NOW)


def test_a_link_is_refused_to_another_customer_or_organization_before_anything_else():
    for org_id, customer_id in (("org_1", "cus_2"), ("org_2", "cus_1")):
        with pytest.raises(LinkForAnotherAccount):
            a_link(used_at=NOW, used_by="ses_1").check(org_id, customer_id, "ses_1", NOW)


def test_a_link_expires_at_its_expiry():
    link = a_link()

    assert link.check("org_1", "cus_1", "ses_1", link.expires_at - timedelta(seconds=1))
    with pytest.raises(LinkExpired):
        link.check("org_1", "cus_1", "ses_1", link.expires_at)


def test_each_action_leads_to_its_page_with_the_target_escaped():
    assert destination("pay_invoice", "inv_1") == "/pay?invoices=inv_1"
    assert destination("review_subscription", "sub/1") == "/subscriptions/sub%2F1"
    assert destination("update_payment_method", None) == "/details"


def test_an_email_link_names_a_target_only_for_an_action_on_an_item():
    assert for_email("pay_invoice", "inv_1") == {"purpose": "action", "action": "pay_invoice", "target_id": "inv_1"}
    assert for_email("update_payment_method", "inv_1")["target_id"] == ""
