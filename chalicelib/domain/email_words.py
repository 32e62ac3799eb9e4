"""The sentences an email's service writes into it (what the template cannot know: why a charge
failed, what happens next, how long an estimate holds), in each language the emails are written in.
English is what domain/dunning.py and domain/errors.py say on the page; German is written here."""
from __future__ import annotations

from datetime import date

from . import dunning
from .errors import STATUS_WORDS
from .locales import GERMAN, day_text

_DECLINED_BY_BANK_DE = "Ihre Bank hat die Zahlung abgelehnt. Wenden Sie sich an Ihre Bank oder verwenden Sie eine andere Karte."
_CVC_DE = "Der Sicherheitscode (CVC) der Karte wurde nicht akzeptiert. Prüfen Sie ihn oder verwenden Sie eine andere Karte."
FAILURE_SENTENCES_DE = {
    "insufficient_funds": "Die Karte war für diese Zahlung nicht ausreichend gedeckt.",
    "card_declined": _DECLINED_BY_BANK_DE, "generic_decline": _DECLINED_BY_BANK_DE, "do_not_honor": _DECLINED_BY_BANK_DE,
    "lost_card": _DECLINED_BY_BANK_DE, "stolen_card": _DECLINED_BY_BANK_DE, "pickup_card": _DECLINED_BY_BANK_DE,
    "fraudulent": _DECLINED_BY_BANK_DE,
    "expired_card": "Die Karte ist abgelaufen. Hinterlegen Sie eine gültige Karte.",
    "incorrect_cvc": _CVC_DE, "invalid_cvc": _CVC_DE,
    "incorrect_number": "Die Kartennummer wurde nicht akzeptiert. Prüfen Sie sie oder verwenden Sie eine andere Karte.",
    "authentication_required": "Ihre Bank bittet Sie, diese Zahlung zu bestätigen. Bezahlen Sie sie im Portal, um sie "
                               "zu bestätigen.",
    "processing_error": "Die Zahlung konnte wegen eines Fehlers im Kartennetz nicht verarbeitet werden. Versuchen Sie "
                        "es in Kürze erneut.",
    "no_payment_method": "Für dieses Abonnement ist keine Karte gespeichert. Hinterlegen Sie eine Karte, um zu zahlen.",
}
GENERAL_FAILURE_DE = "Die Zahlung konnte nicht abgeschlossen werden. Versuchen Sie es erneut oder verwenden Sie eine " \
                     "andere Karte."
STATUS_WORDS_DE = {"future": "noch nicht begonnen", "trial": "im Testzeitraum", "live": "aktiv",
                   "non_renewing": "zum Ende der Laufzeit gekündigt", "dunning": "im Mahnverfahren",
                   "unpaid": "unbezahlt", "paused": "pausiert", "cancelled": "gekündigt", "expired": "abgelaufen"}


def _german(locale: str) -> bool:
    return locale == GERMAN


def failure_sentence(code: str | None, locale: str) -> str:
    """Why a charge failed, for the customer (the gateway's `code`; None: no code to tell)."""
    if _german(locale):
        return FAILURE_SENTENCES_DE.get(code or "", GENERAL_FAILURE_DE)
    return dunning.failure_sentence(code)


def reason_sentence(code: str | None, reason: str | None, locale: str) -> str:
    """Why a charge failed: the sentence for the gateway's code; else the charge's own reason, in
    English only (it is the gateway's, or the billing rules', English)."""
    if code:
        return failure_sentence(code, locale)
    if reason and not _german(locale):
        return reason
    return failure_sentence(None, locale)


def retry_on(day: date, locale: str) -> str:
    text = day_text(day, locale)
    return f"Wir versuchen es am {text} erneut." if _german(locale) else f"We will try again on {text}."


def update_card(locale: str) -> str:
    return ("Aktualisieren Sie Ihre Zahlungsmethode im Kundenportal, um Ihr Abonnement zu behalten." if _german(locale)
            else "Update your payment method in the customer portal to keep your subscription.")


def pay_to_keep(locale: str) -> str:
    return ("Bezahlen Sie die Rechnung im Kundenportal, um Ihr Abonnement zu behalten." if _german(locale)
            else "Pay the invoice from the customer portal to keep your subscription.")


def last_retry(status: str, locale: str) -> str:
    """The last retry failed, and the dunning ended in `status`."""
    return f"{'Das war der letzte Versuch.' if _german(locale) else 'That was the last retry.'} " \
           f"{dunning_over(status, locale)}"


def dunning_over(status: str, locale: str) -> str:
    """What the subscription is once the dunning has ended (`status`: unpaid or cancelled), and
    what the customer can still do about it."""
    if _german(locale):
        again = " Sobald Sie die Rechnung im Kundenportal bezahlen, läuft es wieder." if status == "unpaid" else ""
        return f"Ihr Abonnement ist jetzt {STATUS_WORDS_DE[status]}.{again}"
    again = " Paying the invoice from the customer portal restarts it." if status == "unpaid" else ""
    return f"Your subscription is now {STATUS_WORDS[status]}.{again}"


def estimate_validity(expires_on: date | None, locale: str) -> str:
    if expires_on is None:
        return "Das Angebot gilt bis auf Weiteres." if _german(locale) else "The estimate has no expiry date."
    text = day_text(expires_on, locale)
    return f"Das Angebot gilt bis zum {text}." if _german(locale) else f"The estimate is valid until {text}."


# What a colleague the account's owner invites may do in the portal, by role (the colleague_invite email)
ROLE_WORDS = {"billing": "see and pay invoices, keep the cards they are paid with and answer estimates",
              "viewer": "see invoices, payments and subscriptions"}
ROLE_WORDS_DE = {"billing": "Rechnungen einsehen und bezahlen, die Karten dafür verwalten und Angebote beantworten",
                 "viewer": "Rechnungen, Zahlungen und Abonnements einsehen"}


def role_words(role: str, locale: str) -> str:
    """What `role` may do in the portal, as the invitation's "There you can ..." says it."""
    return (ROLE_WORDS_DE if _german(locale) else ROLE_WORDS)[role]
