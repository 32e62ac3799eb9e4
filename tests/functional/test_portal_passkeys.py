"""Passkeys: a signed-in contact adds, names, lists and removes them; anyone signs in with one
(no email typed). Each ceremony's challenge works once; a signature count that does not move on,
another organization's passkey, an unknown one or a wrong signature sign no one in, alike."""
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from chalicelib.bootstrap import services
from chalicelib.config import settings
from chalicelib.domain.passkeys import relying_party
from chalicelib.tables.metrics import counting_calls
from tests.support.api import client, from_address
from tests.support.passkeys import Authenticator
from tests.support.portal import PASSWORD, emails_to, link_token, portal_organization, signed_in_customer
from tests.support.subscriptions import a_shop

ROOT = Path(__file__).resolve().parents[2]
NOT_ACCEPTED = "This passkey was not accepted. Try again, or sign in another way."


def authenticator() -> Authenticator:
    return Authenticator(origin=relying_party(settings().portal_base_url).origins[0])


def added(shop, device: Authenticator, name: str = "Laptop"):
    options = shop.portal.post("/portal/auth/passkeys/options", {"current_password": PASSWORD}).json["options"]
    return shop.portal.post("/portal/auth/passkeys", {"name": name, "credential": device.create(options)})


def sign_in_options(shop, org_id: str | None = None):
    return shop.api.as_(None).post("/portal/auth/passkeys/sign-in/options",
                                   {"organization": org_id or shop.acme.org.org_id})


def signed_in_with(shop, credential: dict, org_id: str | None = None):
    return shop.api.as_(None).post("/portal/auth/passkeys/sign-in",
                                   {"organization": org_id or shop.acme.org.org_id, "credential": credential})


def test_a_customer_adds_a_passkey_names_it_and_sees_it_listed(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        device = authenticator()

        options = shop.portal.post("/portal/auth/passkeys/options", {"current_password": PASSWORD}).json["options"]
        credential = device.create(options)
        first = shop.portal.post("/portal/auth/passkeys", {"name": "Work laptop", "credential": credential})
        again = shop.portal.post("/portal/auth/passkeys", {"name": "Work laptop", "credential": credential})
        listed = shop.portal.get("/portal/auth/passkeys").json["passkeys"]

        assert options["rp"]["id"] == "localhost" and options["authenticatorSelection"]["residentKey"] == "required"
        assert first.status == 201 and first.json["name"] == "Work laptop" and first.json["last_used_at"] is None
        assert again.status == 401                     # its challenge is used up
        assert [p["name"] for p in listed] == ["Work laptop"]


def test_a_customer_signs_in_with_her_passkey_without_typing_her_email(aws):
    with client() as c:
        # Given Zoë's passkey
        shop = a_shop(c, preferences=None)
        device = authenticator()
        assert added(shop, device).status == 201

        # When she signs in with it
        options = sign_in_options(shop).json["options"]
        answer = signed_in_with(shop, device.get(options))

        # Then she has a session of her own, and the passkey shows its use
        assert answer.status == 200 and answer.json["token_type"] == "Bearer"
        me = shop.api.as_(answer.json["token"]).get("/portal/me").json
        assert me["contact"]["email"] == shop.zoe.email
        assert shop.portal.get("/portal/auth/passkeys").json["passkeys"][0]["last_used_at"] is not None


def test_an_answer_replayed_or_a_count_that_did_not_move_on_signs_no_one_in(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        device = authenticator()
        added(shop, device)
        options = sign_in_options(shop).json["options"]
        assertion = device.get(options)
        assert signed_in_with(shop, assertion).status == 200

        replayed = signed_in_with(shop, assertion)
        cloned = signed_in_with(shop, device.get(sign_in_options(shop).json["options"], count_step=0))

        assert replayed.status == 401
        assert (cloned.status, cloned.json["error"]["message"]) == (401, NOT_ACCEPTED)


def test_an_unknown_passkey_a_wrong_signature_and_another_organizations_passkey_are_refused_alike(aws):
    with client() as c:
        # Given Zoë's passkey at Acme, and Initech's portal
        shop = a_shop(c, preferences=None)
        device = authenticator()
        added(shop, device)
        initech = portal_organization(shop.api, "Initech")

        stranger = authenticator()
        stranger.user_handle = device.user_handle
        forged = replace(device, key=authenticator().key)
        answers = [
            signed_in_with(shop, stranger.get(sign_in_options(shop).json["options"])),
            signed_in_with(shop, forged.get(sign_in_options(shop).json["options"])),
            signed_in_with(shop, device.get(sign_in_options(shop, initech.org.org_id).json["options"]),
                           initech.org.org_id),
        ]

        assert [(a.status, a.json["error"]["message"]) for a in answers] == [(401, NOT_ACCEPTED)] * 3


def test_a_removed_passkey_signs_in_no_more_and_another_customers_cannot_remove_it(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        device = authenticator()
        passkey_id = added(shop, device).json["passkey_id"]
        bill = signed_in_customer(shop.api, shop.acme.org, shop.acme.key, email="bill@initech.example",
                                  display_name="Initech")

        by_bill = bill.portal.delete(f"/portal/auth/passkeys/{passkey_id}")
        by_zoe = shop.portal.delete(f"/portal/auth/passkeys/{passkey_id}")

        assert by_bill.status == 404 and by_zoe.status == 204
        assert shop.portal.get("/portal/auth/passkeys").json["passkeys"] == []
        assert signed_in_with(shop, device.get(sign_in_options(shop).json["options"])).status == 401


def test_the_merchant_switches_passkeys_off(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        device = authenticator()
        added(shop, device)
        options = sign_in_options(shop).json["options"]

        shop.preferences({"passkeys": False})

        assert signed_in_with(shop, device.get(options)).status == 403
        assert sign_in_options(shop).json["error"]["details"] == {"feature": "passkeys"}
        assert shop.portal.post("/portal/auth/passkeys/options", {"current_password": PASSWORD}).status == 403


def test_refused_passkeys_count_as_failed_sign_ins_of_the_address(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        stranger = authenticator()
        with from_address("203.0.113.9"):
            statuses = [signed_in_with(shop, stranger.get(sign_in_options(shop).json["options"])).status
                        for _ in range(12)]
        assert statuses[:10] == [401] * 10 and 429 in statuses[10:]


def test_a_malformed_credential_is_refused_without_an_error(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        for credential in ({}, {"id": 5, "response": []}, {"response": {"clientDataJSON": "%%%"}}):
            assert signed_in_with(shop, credential).status == 401
            options = shop.portal.post("/portal/auth/passkeys/options", {"current_password": PASSWORD}).json["options"]
            assert options and shop.portal.post("/portal/auth/passkeys", {"name": "x", "credential": credential}
                                                ).status in (400, 401)


def test_a_passkey_still_signs_in_after_the_sign_in_email_changed(aws):
    with client() as c:
        # Given Zoë's passkey, and then her new sign-in email confirmed
        shop = a_shop(c, preferences=None)
        device = authenticator()
        added(shop, device)
        assert shop.portal.patch("/portal/profile", {"contact": {"email": "zoe.k@globex.example"},
                                                     "current_password": PASSWORD}).status == 200
        token = link_token([m for m in emails_to("zoe.k@globex.example") if m["Subject"].startswith("Confirm")][-1])
        assert shop.api.as_(None).post("/portal/auth/confirm-email", {"organization": shop.acme.org.org_id,
                                                                      "token": token}).status == 204

        # When she signs in with the passkey
        answer = signed_in_with(shop, device.get(sign_in_options(shop).json["options"]))

        # Then she is signed in as herself, under her new email
        assert answer.status == 200
        assert shop.api.as_(answer.json["token"]).get("/portal/me").json["contact"]["email"] == "zoe.k@globex.example"


# --- a function whose package goes without py_webauthn (every one but the passkeys function) ----

CEREMONY_LIBRARIES = ("webauthn", "cryptography", "OpenSSL", "cbor2", "pyasn1", "pyasn1_modules")
IMPORT_APP_WITHOUT = """
import importlib, json, pkgutil, sys

class Hidden:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in sys.argv[1:]:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, Hidden())
import app, chalicelib
for found in pkgutil.walk_packages(chalicelib.__path__, "chalicelib."):
    importlib.import_module(found.name)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:]))))
"""


class WithoutWebauthn:
    """An import finder that finds no py_webauthn, as in the API function's package."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "webauthn":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def hide_webauthn(monkeypatch):
    for name in [n for n in sys.modules if n.split(".")[0] == "webauthn"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [WithoutWebauthn(), *sys.meta_path])


def test_the_app_and_every_module_import_without_the_ceremonies_libraries():
    # When a fresh Python imports app and every module of chalicelib, finding none of py_webauthn,
    # cryptography, pyOpenSSL, cbor2 or pyasn1
    done = subprocess.run([sys.executable, "-c", IMPORT_APP_WITHOUT, *CEREMONY_LIBRARIES],
                          capture_output=True, text=True, cwd=ROOT)

    # Then all of it imports, and none of them was asked for
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_without_py_webauthn_the_portal_serves_every_other_route_and_a_ceremony_answers_503(aws, monkeypatch):
    with client() as c:
        # Given a signed-in customer, served by a function whose package goes without py_webauthn
        shop = a_shop(c, preferences=None)
        hide_webauthn(monkeypatch)

        # When she looks at the portal, her passkeys, and starts adding one or signing in with one
        me = shop.portal.get("/portal/me")
        listed = shop.portal.get("/portal/auth/passkeys")
        adding = shop.portal.post("/portal/auth/passkeys/options", {"current_password": PASSWORD})
        signing_in = sign_in_options(shop)

        # Then every other route answers, and the ceremonies a clear 503 in the envelope, writing nothing
        assert me.status == 200 and listed.status == 200 and listed.json["passkeys"] == []
        for answer in (adding, signing_in):
            assert answer.status == 503 and answer.json["error"]["code"] == "not_served_here", answer.json
            assert answer.json["error"]["message"] == \
                "Passkeys cannot be served right now; sign in another way or try again later."


def test_adding_a_passkey_needs_the_current_password_and_a_wrong_one_counts_as_a_failed_sign_in(aws):
    with client() as c:
        # Given Zoë signed in (or whoever holds her session)
        shop = a_shop(c, preferences=None)

        # When a passkey is asked for without her password, or with a wrong one
        without = shop.portal.post("/portal/auth/passkeys/options", {})
        wrong = shop.portal.post("/portal/auth/passkeys/options", {"current_password": "not hers at all, no"})

        # Then neither gets options, and nothing was added
        assert without.status == 400 and "current_password" in without.json["error"]["details"]["fields"]
        assert wrong.status == 400 and wrong.json["error"]["details"]["field_codes"] == {
            "current_password": "wrong_password"}
        assert shop.portal.get("/portal/auth/passkeys").json["passkeys"] == []


def test_a_password_reset_removes_every_passkey_of_the_account_in_one_batch(aws):
    with client() as c:
        # Given Zoë with two passkeys
        shop = a_shop(c, preferences=None)
        assert added(shop, authenticator()).status == 201
        assert added(shop, authenticator(), name="Phone").status == 201

        # When her password is reset through the emailed link
        org_id = shop.acme.org.org_id
        assert shop.api.as_(None).post("/portal/auth/forgot-password", {"organization": org_id,
                                                                         "email": shop.zoe.email}).status == 202
        services().accounts.send_queued_email(shop.clock.now)
        token = link_token([m for m in emails_to(shop.zoe.email) if m["Subject"].startswith("Reset")][-1])
        with counting_calls() as calls:
            assert shop.api.as_(None).post("/portal/auth/reset-password", {
                "organization": org_id, "token": token, "new_password": "copper kettle under the north bridge"}).status == 204

        # Then both passkeys are gone, in one batch: whoever had her session may have added them
        assert calls.operations["DeleteItem"] == 1, calls.operations   # the reset link, used once
        signed_in = shop.api.as_(shop.api.post("/portal/auth/login", {
            "organization": org_id, "email": shop.zoe.email, "password": "copper kettle under the north bridge"}).json["token"])
        assert signed_in.get("/portal/auth/passkeys").json["passkeys"] == []
