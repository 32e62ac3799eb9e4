"""Who acts for the merchant on the admin API: its server with an API key, or a user signed in to the
console. Each is its own type, and a console caller always carries its user: a change that asks a
console user for fresh proof of identity (docs/security.md) can never be handed a caller it would wave
through for want of a user, as a None standing for "an API key" once could have been."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Union

if TYPE_CHECKING:
    from ...tables.merchant_users import MerchantUser


@dataclass(frozen=True)
class ApiKey:
    """The merchant's server: no browser session to steal, no password to give; every right."""
    kind: ClassVar[str] = "api_key"
    role: ClassVar[str] = "admin"
    user_id: ClassVar[str] = ""
    email: ClassVar[str] = ""


@dataclass(frozen=True)
class ConsoleUser:
    """A merchant user signed in to the console, as the session check read the user."""
    user: MerchantUser
    kind: ClassVar[str] = "merchant_user"

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def user_id(self) -> str:
        return self.user.user_id

    @property
    def email(self) -> str:
        return self.user.email

    def __post_init__(self):
        from ...tables.merchant_users import MerchantUser
        if not isinstance(self.user, MerchantUser):
            raise TypeError(f"A console caller is a merchant user, not {self.user!r}.")


API_KEY = ApiKey()
MerchantActor = Union[ApiKey, ConsoleUser]
