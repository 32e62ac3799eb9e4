"""Nothing personal or secret reaches the logs: across a journey through every route that carries
a password, a token, a key, a card or an email address, including requests that fail and a crash
whose message quotes them, no log record (at DEBUG, from any library) and nothing printed holds one."""
import logging
import re

import pytest

from chalicelib.bootstrap import adapters, services
from tests.support.api import Api, client
from tests.support.payments import WEBHOOK_SECRET, a_payer, an_invoice, deliver, pay, payment_intent, stripe_event, \
    with_webhook_secret
from tests.support.portal import NEW_PASSWORD, PASSWORD, Clock, emails_to, invite, link_token, login, new_customer

RESET_PASSWORD = "copper kettles hum in winter"
CARD_NUMBER = "4242424242424242"
NEW_EMAIL = "zoe.keller@globex-mail.example"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


@pytest.fixture
def every_record(caplog):
    """caplog at DEBUG for every logger, "portico" included (the app, once imported, has set its level
    and keeps it from propagating)."""
    import app  # noqa: F401
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="portico")
    portico = logging.getLogger("portico")
    portico.addHandler(caplog.handler)
    yield caplog
    portico.removeHandler(caplog.handler)


def test_a_journey_of_passwords_tokens_cards_and_emails_leaves_none_of_them_in_the_logs(
        aws, monkeypatch, every_record, capfd):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        payer = a_payer(api)                       # invited, accepted with PASSWORD, signed in
        org_id, zoe = payer.org_id, payer.customer
        secrets = [payer.merchant.key, zoe.token, PASSWORD, NEW_PASSWORD, RESET_PASSWORD, CARD_NUMBER,
                   WEBHOOK_SECRET, zoe.email, NEW_EMAIL]

        # a second contact invited and accepting; sign-ins good and bad
        hank_email = "hank@globex.example"
        customer = new_customer(payer.admin, display_name="Initech", email=hank_email)
        invite_token = invite(payer.admin, customer, hank_email)
        accepted = api.post("/portal/auth/accept-invite", {"organization": org_id, "token": invite_token,
                                                           "password": PASSWORD})
        signed_in = login(api, org_id, zoe.email, PASSWORD)
        wrong = login(api, org_id, zoe.email, "not the password at all")
        secrets += [hank_email, invite_token, accepted.json["token"], signed_in.json["token"]]

        # forgot, reset, change the password
        api.post("/portal/auth/forgot-password", {"organization": org_id, "email": zoe.email})
        services().accounts.send_queued_email(clock.now)
        reset_token = link_token([m for m in emails_to(zoe.email) if m["Subject"].startswith("Reset your")][-1])
        reset = api.post("/portal/auth/reset-password", {"organization": org_id, "token": reset_token,
                                                         "new_password": NEW_PASSWORD})
        session = login(api, org_id, zoe.email, NEW_PASSWORD).json["token"]
        portal = api.as_(session)
        refusing_once(monkeypatch, f"Email address is not verified. The following identities failed the check "
                                   f"in region US-EAST-1: {zoe.email}")   # SES names the recipient
        changed = portal.post("/portal/auth/change-password", {"current_password": NEW_PASSWORD,
                                                              "new_password": RESET_PASSWORD})
        services().accounts.send_queued_email(clock.now)   # the outbox job, whose send SES refuses
        secrets += [reset_token, session]

        # a new email address, a card payment, a 3-D Secure one settled by Stripe's webhook
        moved = portal.patch("/portal/profile", {"contact": {"email": NEW_EMAIL}, "current_password": RESET_PASSWORD})
        invoice, waiting = an_invoice(payer, 10000), an_invoice(payer, 2500)
        paid = pay(portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa",
                            "save_for_future": True})
        pending = pay(portal, {"invoice_ids": [waiting["invoice_id"]],
                               "payment_method": "pm_card_authenticationRequired"}).json
        gateway_id = adapters().uow.payments.get(org_id, zoe.customer_id, pending["payment_id"]).gateway_payment_id
        webhook = deliver(api, stripe_event("payment_intent.succeeded",
                                            payment_intent({**pending, "gateway_payment_id": gateway_id})))

        # bad bodies that quote an email, a password and a card number
        bad_login = api.post("/portal/auth/login", {"organization": org_id, "email": "zoe@@globex",
                                                    "password": PASSWORD, "remember": NEW_EMAIL})
        bad_card = portal.post("/portal/payment-methods", {"payment_method": CARD_NUMBER, "cvc": "123"})

        # and a crash whose message quotes the body, the address and the session
        def crash(*_args, **_kwargs):
            raise RuntimeError(f"cannot update {NEW_EMAIL} with {{'current_password': '{RESET_PASSWORD}'}} "
                               f"for session {session}")
        monkeypatch.setattr("chalicelib.services.accounts.profile.update_profile", crash)
        crashed = portal.patch("/portal/profile", {"contact": {"phone": "+1 555 0100"}})

    assert [a.status for a in (accepted, signed_in, wrong, reset, changed, moved, paid, webhook, bad_login,
                               bad_card, crashed)] == [201, 200, 401, 204, 200, 200, 201, 200, 400, 400, 500]
    printed = capfd.readouterr()
    logged = "\n".join([every_record.text, printed.out, printed.err])
    portico = [r for r in every_record.records if r.name.startswith("portico")]
    assert sum(r.name == "portico.requests" for r in portico) >= 11          # one line per request
    assert any(r.getMessage() == "unhandled error: RuntimeError" for r in portico)   # the crash, with its trace
    leaked = [secret for secret in secrets if secret in logged]
    assert leaked == [], leaked
    assert [address for address in EMAIL.findall(logged) if "***@" not in address] == []
    assert "RuntimeError: cannot update z***@globex-mail.example" in logged   # masked, still useful
    assert "failed the check in region US-EAST-1: z***@globex.example" in logged


def refusing_once(monkeypatch, reason: str) -> None:
    """The next email SES is asked to send is refused for `reason` (it stays queued for a retry)."""
    from chalicelib import bootstrap
    from chalicelib.gateways.email import EmailDeliveryFailed
    mailer = bootstrap.adapters().mailer
    send = mailer.send

    def refuse(email):
        monkeypatch.setattr(mailer, "send", send)
        raise EmailDeliveryFailed(f"SES refused the message: {reason}")
    monkeypatch.setattr(mailer, "send", refuse)
