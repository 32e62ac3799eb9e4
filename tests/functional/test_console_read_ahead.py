"""A merchant's GET route reads the customer its path names with the credential check, in the same
call (tables/read_ahead.py), whether an API key or a console session calls it: under the caller's
own organization, so another merchant's customer is missing as before."""
from __future__ import annotations

from tests.support.api import client
from tests.support.call_shapes import calls_made
from tests.support.console import a_console
from tests.support.portal import new_customer


def test_a_console_session_reads_the_customer_its_path_names_with_the_user_as_a_key_does(aws):
    with client() as c:
        # Given a merchant's support user signed in to the console, and a customer of another merchant
        console = a_console(c)
        support = console.signed_in("sam@acme.example", "support")
        customer = new_customer(console.key)
        other = a_console(c, "Initech Cloud")
        theirs = new_customer(other.key, display_name="Umbrella", email="ap@umbrella.example")

        # When the user opens the customer's activity, and the other merchant's customer's
        with calls_made() as calls:
            answer = support.get(f"/admin/customers/{customer['customer_id']}/activity")
        refused = support.get(f"/admin/customers/{theirs['customer_id']}/activity")

        # Then the customer was read with the user, as a key's check reads it: one call fewer
        assert answer.status == 200, answer.json
        assert calls == [("GetItem", ("merchant_sessions",)),
                         ("BatchGetItem", ("customers", "merchant_users", "organizations")),
                         ("Query", ("activity",))]
        # And the other merchant's customer is not found, as before
        assert refused.status == 404, refused.json
