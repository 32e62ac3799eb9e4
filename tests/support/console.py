"""Builders for the merchant console: an organization with its API key, and its users signed in."""
from __future__ import annotations

from dataclasses import dataclass

from tests.support.api import Api, new_organization

PASSWORD = "amber compass over the quiet harbour"


@dataclass
class Console:
    org_id: str
    key: Api            # the organization's API key
    anonymous: Api

    def user(self, email: str, role: str) -> dict:
        answer = self.key.post("/admin/merchant-users", {"email": email, "role": role, "password": PASSWORD,
                                                         "name": email.split("@")[0].title()})
        assert answer.status == 201, answer.json
        return answer.json

    def sign_in(self, email: str, password: str = PASSWORD):
        return self.anonymous.post("/console/auth/login", {"organization": self.org_id, "email": email,
                                                           "password": password})

    def signed_in(self, email: str, role: str) -> Api:
        self.user(email, role)
        answer = self.sign_in(email)
        assert answer.status == 200, answer.json
        return self.anonymous.as_(answer.json["token"])


def a_console(c, name: str = "Acme Cloud") -> Console:
    org, key = new_organization(name)
    api = Api(c)
    return Console(org.org_id, api.as_(key), api)
