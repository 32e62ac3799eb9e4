"""Who the signed-in customer is."""
from __future__ import annotations

from ...bootstrap import services
from ..credentials import portal_session
from ..http import Body, Routes
from ..schemas import Locale


api = Routes("portal", portal_session)


@api.route("/portal/me", response="Me")
def me():
    """My contact, my customer, the organization's public details, the enabled features and the key
    Stripe.js needs to take a card (null in simulated mode)."""
    from ..responses.me import Me
    caller = api.customer()
    found = services().access.me(caller.org, caller.customer, caller.contact_id, caller.role)
    return Me.of(found, stripe_publishable_key=services().payments.publishable_key()).model_dump()


class LocaleBody(Body):
    locale: Locale


@api.route("/portal/me/locale", "PUT", body=LocaleBody, response="ContactLocale")
def remember_locale(body: LocaleBody):
    """How my browser writes money and days (a language tag such as de-DE): the emails and PDFs I
    receive write them the same way. Answers the way kept (de-AT is written as de-DE)."""
    from ..responses.accounts import ContactLocale   # on the first answer, not at `import app`
    caller = api.customer()
    return ContactLocale(locale=services().accounts.remember_locale(caller.org_id, caller.customer_id,
                                                                    caller.contact_id, body.locale)).model_dump()
