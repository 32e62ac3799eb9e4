"""Money and days as a person reads them, in the languages the portal speaks (English, German):
what emails and PDFs write, exactly as the browser's Intl writes them on the page, so one amount
and one day read the same everywhere ("$35.20" / "35,20 $"; "December 6, 2026" /
"6 December 2026" / "6. Dezember 2026").

A person's locale is one of three ways of writing: American English, English as written
elsewhere (day first, "US$"), and German as written in Germany. `supported` maps a browser's
language tag onto one of them, and the browser (assets/i18n.js) formats with the same one.
A small table rather than a CLDR library: CLDR's data would be most of the Lambda package."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from . import currencies

AMERICAN, BRITISH, GERMAN = "en-US", "en-GB", "de-DE"
DEFAULT_LOCALE = AMERICAN
LOCALES = (AMERICAN, BRITISH, GERMAN)
TAG = re.compile(r"^([a-zA-Z]{2,3})(?:-[a-zA-Z]{4})?(?:-([a-zA-Z]{2}|[0-9]{3}))?(?:-[a-zA-Z0-9]{1,8})*$")

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
}
# The symbol Intl writes for a currency in each locale (recorded from Chromium's); any other
# currency is written as its ISO code.
_COMMON = {"BRL": "R$", "CAD": "CA$", "CNY": "CN¥", "EUR": "€", "GBP": "£", "HKD": "HK$", "ILS": "₪", "INR": "₹",
           "KRW": "₩", "MXN": "MX$", "NZD": "NZ$", "TWD": "NT$", "VND": "₫", "XAF": "FCFA", "XOF": "F\u202fCFA",
           "XPF": "CFPF"}
_SYMBOLS = {
    AMERICAN: {**_COMMON, "AUD": "A$", "JPY": "¥", "PHP": "₱", "USD": "$"},
    BRITISH: {**_COMMON, "AUD": "A$", "JPY": "JP¥", "PHP": "₱", "USD": "US$"},
    GERMAN: {**_COMMON, "AUD": "AU$", "JPY": "¥", "THB": "฿", "USD": "$"},
}
_NBSP = "\u00a0"


@lru_cache(maxsize=256)
def supported(tag: str | None) -> str | None:
    """The way of writing for a language tag ("de-AT" -> "de-DE", "en-NZ" -> "en-GB", "en" ->
    "en-US"), or None for a language the portal does not speak (or not a tag at all). Worked out
    once per tag: a statement's PDF writes every figure and day in the reader's locale."""
    found = TAG.match((tag or "").strip())
    if not found:
        return None
    language, region = found.group(1).lower(), (found.group(2) or "").upper()
    if language == "de":
        return GERMAN
    if language == "en":
        return AMERICAN if region in ("", "US") else BRITISH
    return None


def preferred(*candidates: str | None) -> str:
    """The first supported of `candidates` (the contact's, then the organization's), else American English."""
    for candidate in candidates:
        found = supported(candidate)
        if found:
            return found
    return DEFAULT_LOCALE


def money_text(amount_minor: int, currency: str, locale: str) -> str:
    """money_text(3520, "USD", "en-US") -> "$35.20"; with "de-DE" -> "35,20 $" (a no-break space)."""
    locale = preferred(locale)
    units, _, fraction = currencies.plain_text(abs(amount_minor), currency).partition(".")
    group, decimal = (".", ",") if locale == GERMAN else (",", ".")
    number = f"{int(units):,}".replace(",", group) + (decimal + fraction if fraction else "")
    sign = "-" if amount_minor < 0 else ""
    symbol = _SYMBOLS[locale].get(currency, currency)
    if locale == GERMAN:
        return f"{sign}{number}{_NBSP}{symbol}"
    return f"{sign}{symbol}{_NBSP if symbol[-1].isalpha() else ''}{number}"


def day_text(day: date, locale: str) -> str:
    """A calendar day written out as Intl's long date style writes it: "December 6, 2026" (en-US),
    "6 December 2026" (en-GB), "6. Dezember 2026" (de-DE)."""
    locale = preferred(locale)
    if locale == GERMAN:
        return f"{day.day}. {_MONTHS['de'][day.month - 1]} {day.year}"
    month = _MONTHS["en"][day.month - 1]
    return f"{month} {day.day}, {day.year}" if locale == AMERICAN else f"{day.day} {month} {day.year}"
