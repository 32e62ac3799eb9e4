"""A contact's role in the portal, as the customer's contacts say it (docs/security.md "Roles"): the
primary contact is the owner; a contact invited before roles is billing; a removed one has none; the
owner's role is not changed by the role rules, and a role change keeps the contacts' order."""
import pytest

from chalicelib.domain.customers import Contact
from chalicelib.domain.engagement import contact_actor
from chalicelib.domain.errors import BusinessRuleViolation, NotFound
from tests.support.domain_builders import a_customer

ZOE = Contact("con_zoe", "Zoë", "Keller", "zoe@globex.example", is_primary=True)
HANK = Contact("con_hank", "Hank", "Scorpio", "hank@globex.example")
VERA = Contact("con_vera", "Vera", "Looks", "vera@globex.example", portal_role="viewer")


def globex():
    return a_customer(contacts=(ZOE, HANK, VERA))


def test_the_primary_contact_is_the_owner_and_one_invited_before_roles_is_billing():
    customer = globex()

    assert [customer.portal_role_of(c.contact_id) for c in customer.contacts] == ["owner", "billing", "viewer"]
    assert customer.portal_role_of("con_nobody") is None


def test_a_removed_contact_has_no_role_and_stays_a_contact():
    customer = globex().with_portal_role("con_hank", "removed")

    assert customer.portal_role_of("con_hank") is None
    assert customer.contact("con_hank").email == "hank@globex.example"


def test_a_role_change_keeps_the_contacts_in_their_order():
    customer = globex().with_portal_role("con_hank", "viewer")

    assert [c.contact_id for c in customer.contacts] == ["con_zoe", "con_hank", "con_vera"]
    assert customer.portal_role_of("con_hank") == "viewer"


def test_the_owners_role_is_fixed_and_a_missing_contact_is_not_found():
    with pytest.raises(BusinessRuleViolation) as refused:
        globex().with_portal_role("con_zoe", "viewer")
    assert refused.value.code == "owner_role_fixed"
    with pytest.raises(NotFound):
        globex().with_portal_role("con_nobody", "viewer")


def test_a_contact_is_named_as_who_did_something():
    assert contact_actor(globex(), "con_zoe").name == "Zoë Keller"
    assert contact_actor(globex(), "con_gone").name == ""


def test_a_contact_is_found_by_email_whatever_its_case():
    assert globex().contact_by_email(" HANK@globex.example").contact_id == "con_hank"
    assert globex().contact_by_email("nobody@globex.example") is None


def test_a_session_acts_with_the_lesser_of_its_role_at_sign_in_and_the_role_now():
    from chalicelib.domain.customers import lesser_role
    assert lesser_role("owner", "viewer") == "viewer"
    assert lesser_role("viewer", "owner") == "viewer"
    assert lesser_role("billing", "billing") == "billing"
    assert lesser_role("billing", None) is None
    # sessions begun before roles recorded primary or contact
    assert lesser_role("primary", "owner") == "owner" and lesser_role("contact", "owner") == "billing"
