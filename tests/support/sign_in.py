"""Builders for the anonymous side of the portal: Acme with its signed-up customer Zoë, sign-ins
and reset requests as anyone may send them, and the wrong guesses an attacker makes."""
from __future__ import annotations

from dataclasses import dataclass

from tests.support.api import Api
from tests.support.portal import PortalOrganization, SignedInCustomer, login, portal_organization, signed_in_customer

WRONG = "not the password at all, sorry"


@dataclass
class AcmeAndZoe:
    """The API as anyone reaches it, Acme's portal, and Zoë, who has a portal account there."""
    api: Api
    acme: PortalOrganization
    zoe: SignedInCustomer

    def __iter__(self):
        return iter((self.api, self.acme, self.zoe))


def acme_and_zoe(c) -> AcmeAndZoe:
    api = Api(c)
    acme = portal_organization(api)
    return AcmeAndZoe(api, acme, signed_in_customer(api, acme.org, acme.key))


def forgot(api: Api, org_id: str, email: str):
    """POST /portal/auth/forgot-password, as anyone."""
    return api.as_(None).post("/portal/auth/forgot-password", {"organization": org_id, "email": email})


def wrong_guesses(api: Api, org_id: str, numbers) -> list[int]:
    """Sign-ins with made-up emails (guess<n>@globex.example, n in `numbers`) and a wrong password:
    their statuses."""
    return [login(api, org_id, f"guess{n}@globex.example", WRONG).status for n in numbers]
