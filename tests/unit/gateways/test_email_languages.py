"""Every email the portal sends a customer is written in the customer's language: English, or
German with no English left but names, numbers and what the customer or merchant wrote."""
import re
from datetime import date

import pytest

from chalicelib.domain import email_words
from chalicelib.domain.locales import AMERICAN, GERMAN
from chalicelib.gateways.email_templates import MERCHANT_TEMPLATES, TEMPLATE_NAMES, render_email, required_keys

CUSTOMER_TEMPLATES = sorted(set(TEMPLATE_NAMES) - MERCHANT_TEMPLATES)
# words of English prose that are not also German (Portal, Link, Browser, in, an, was, will stay out)
ENGLISH = {"the", "your", "you", "and", "to", "of", "for", "invoice", "payment", "please", "this", "here", "with",
           "from", "sign", "password", "receipt", "amount", "date", "expires", "has", "have", "we", "our",
           "not", "if", "it", "is", "are", "be", "can", "customer", "confirm", "pay", "now", "new", "that",
           "estimate", "button", "paste", "received", "sent", "hello", "thank", "invited", "card", "did"}


def context(locale: str) -> dict[str, object]:
    """Values as the services write them for `locale` (names and numbers are the same in both)."""
    german = locale == GERMAN
    return dict(
        locale=locale, link="https://portal.example/acme/#/act/tok", org_name="Acme", contact_name="Zoë Łukasz",
        contact_email="zoe@kunde.example", expires_hours=72, expires_minutes=30,
        amount="120,00 $" if german else "$120.00", invoice_numbers=("INV-000041", "INV-000042"),
        receipt_number="PAY-000012", invoice_number="INV-000042", estimate_number="EST-000003",
        date="6. Dezember 2026" if german else "December 6, 2026",
        due_date="20. Dezember 2026" if german else "December 20, 2026",
        term_end="2. Dezember 2026" if german else "December 2, 2026",
        reason=email_words.failure_sentence("insufficient_funds", locale),
        next_step=email_words.retry_on(date(2026, 12, 9), locale),
        validity=email_words.estimate_validity(date(2027, 1, 5), locale),
        subject="Rechnung", body="Bitte prüfen", document_number="INV-000042", sender_name="Zoë Łukasz",
        inviter_name="Zoë Łukasz", customer_name="Globex", role_words=email_words.role_words("viewer", locale))


def words(text: str) -> set[str]:
    without_links = re.sub(r"https?://\S+|\b[A-Z]+-\d+\b", " ", text)   # links and document numbers
    return {word.lower() for word in re.findall(r"[A-Za-zÄÖÜäöüß]+", without_links)}


@pytest.mark.parametrize("template", CUSTOMER_TEMPLATES)
def test_each_customer_email_reads_in_german_with_no_english_left(template):
    subject, html, text = render_email(template, context(GERMAN))

    english = (words(subject) | words(text)) & ENGLISH
    assert not english, f"{template} (de) still says {sorted(english)}: {subject}\n{text}"
    assert 'lang="de"' in html
    assert words(re.sub(r"<[^>]+>", " ", html)) & ENGLISH == set(), template


@pytest.mark.parametrize("template", CUSTOMER_TEMPLATES)
def test_each_customer_email_reads_in_english_for_an_english_reader(template):
    subject, html, text = render_email(template, context(AMERICAN))

    assert words(subject + text) & ENGLISH
    assert 'lang="en"' in html


@pytest.mark.parametrize("template", CUSTOMER_TEMPLATES)
def test_both_languages_of_an_email_ask_for_the_same_values(template):
    assert required_keys(template, "de") == required_keys(template, "en")


def test_an_email_recorded_before_emails_had_a_language_reads_in_english():
    subject, _, _ = render_email("password_changed", {"org_name": "Acme"})
    assert subject == "Your Acme customer portal password was changed"


def test_a_german_reader_s_money_and_days_are_written_the_german_way():
    _, _, text = render_email("payment_receipt", context(GERMAN))
    assert "Gezahlter Betrag: 120,00 $" in text and "Datum: 6. Dezember 2026" in text


@pytest.mark.parametrize("status", ["unpaid", "cancelled"])
def test_what_a_dunning_ended_in_reads_in_german_too(status):
    _, _, text = render_email("dunning_ended", {**context(GERMAN), "next_step": email_words.dunning_over(status, GERMAN)})
    assert not words(text) & ENGLISH, text
