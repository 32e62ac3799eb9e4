"""Who acts for the merchant is an API key or a console user, each its own type: a console caller
without its user cannot be built, so no change that asks a console user for fresh proof of identity
is ever let through for want of one (docs/security.md "Fresh proof of identity")."""
from datetime import datetime, timezone

import pytest

from chalicelib.services.access.actors import API_KEY, ApiKey, ConsoleUser
from chalicelib.services.access.console_auth import create_user
from chalicelib.tables.merchant_users import MerchantUser

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def a_merchant_user(**given) -> MerchantUser:
    return MerchantUser(**{"login": "console#org_1#olivia@acme.example", "user_id": "merchant_user_1",
                           "org_id": "org_1", "email": "olivia@acme.example", "role": "admin", "status": "active",
                           "created_at": NOW, **given})


def test_a_console_caller_without_its_user_cannot_be_built():
    # When a console caller is made with no user, or with something that is not a merchant user
    # Then it is refused at once
    with pytest.raises(TypeError):
        ConsoleUser(None)
    with pytest.raises(TypeError):
        ConsoleUser("merchant_user_1")


def test_a_console_caller_carries_the_user_it_was_made_with_and_an_api_key_none():
    # Given Olivia, as the session check read her
    olivia = a_merchant_user()

    # Then her caller is hers, and the API key's caller is just the key
    assert ConsoleUser(olivia).user is olivia
    assert (ConsoleUser(olivia).kind, API_KEY.kind) == ("merchant_user", "api_key")
    assert not hasattr(API_KEY, "user") and isinstance(API_KEY, ApiKey)


def test_a_caller_that_is_neither_an_api_key_nor_a_console_user_creates_no_user():
    # Given nothing to read or write: the refusal comes before any of it
    class Nothing:
        def __getattr__(self, name):
            raise AssertionError(f"read {name}")

    # When a user is created by nobody (None), without a password
    # Then it is refused rather than taken for an API key
    with pytest.raises(TypeError):
        create_user(Nothing(), "org_1", email="mallory@acme.example", role="admin", password="x" * 20, name="",
                    now=NOW, by=None)
