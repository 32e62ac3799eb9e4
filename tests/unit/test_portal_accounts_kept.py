"""Where each contact stands with the portal, as the customer keeps it (services/access/portal_accounts.py):
a contact without an account is none; recording a status replaces the one before, recording none
forgets it, and no other contact's changes."""
from chalicelib.domain.customers import Contact
from tests.support.domain_builders import a_customer

ZOE = Contact("con_zoe", "Zoë", "Keller", "zoe@globex.example", is_primary=True)
HANK = Contact("con_hank", "Hank", "Scorpio", "hank@globex.example")


def test_a_contact_without_an_account_is_none():
    customer = a_customer(contacts=(ZOE, HANK), portal_accounts={"con_zoe": "active"})

    assert [customer.portal_access_of(c.contact_id) for c in customer.contacts] == ["active", "none"]


def test_recording_a_status_replaces_the_one_before_and_leaves_the_others():
    customer = a_customer(contacts=(ZOE, HANK), portal_accounts={"con_zoe": "active"})

    invited = customer.with_portal_account("con_hank", "invited")
    accepted = invited.with_portal_account("con_hank", "active")

    assert invited.portal_accounts == {"con_zoe": "active", "con_hank": "invited"}
    assert accepted.portal_accounts == {"con_zoe": "active", "con_hank": "active"}
    assert customer.portal_accounts == {"con_zoe": "active"}


def test_recording_none_forgets_the_contacts_account():
    customer = a_customer(contacts=(ZOE, HANK), portal_accounts={"con_zoe": "active", "con_hank": "invited"})

    assert customer.with_portal_account("con_hank", None).portal_accounts == {"con_zoe": "active"}
