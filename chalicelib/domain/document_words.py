"""The words a printed document (invoice, estimate, receipt, statement) is labelled with, in its
reader's language: English as written in services/documents/layouts.py, German here."""
from __future__ import annotations

from .locales import GERMAN

GERMAN_WORDS = {
    # titles
    "Invoice": "Rechnung", "Estimate": "Angebot", "Payment receipt": "Zahlungsbeleg",
    "Statement of accounts": "Kontoauszug",
    # facts
    "Issued": "Ausgestellt", "Due": "Fällig", "Status": "Status", "Period": "Zeitraum", "to": "bis",
    "Valid until": "Gültig bis", "Payment date": "Zahlungsdatum", "Paid by": "Bezahlt mit",
    "Reference": "Referenz", "From": "Von", "To": "Bis",
    # columns
    "Description": "Beschreibung", "Qty": "Menge", "Unit price": "Einzelpreis", "Amount": "Betrag",
    "Date": "Datum", "Transaction": "Vorgang", "Details": "Details", "Balance": "Saldo",
    "Invoice date": "Rechnungsdatum", "Invoice amount": "Rechnungsbetrag", "Payment": "Zahlung",
    # totals
    "Subtotal": "Zwischensumme", "Total": "Gesamt", "Credits applied": "Angerechnetes Guthaben",
    "Amount paid": "Gezahlter Betrag", "Balance due": "Offener Betrag", "Amount received": "Erhaltener Betrag",
    "Refunded": "Erstattet", "Net received": "Netto erhalten", "Opening balance": "Anfangssaldo",
    "Closing balance": "Schlusssaldo", "Invoiced amount": "In Rechnung gestellt", "Credits": "Gutschriften",
    "Refunds": "Erstattungen",
    # statement rows
    "Credit note": "Gutschrift", "Refund": "Erstattung", "Invoice voided": "Rechnung storniert",
    "Credit note voided": "Gutschrift storniert",
    # statuses
    "Open": "Offen", "Partially Paid": "Teilweise bezahlt", "Paid": "Bezahlt", "Void": "Storniert",
    "Overdue": "Überfällig", "Sent": "Wartet auf Antwort", "Accepted": "Angenommen", "Declined": "Abgelehnt",
    "Draft": "Entwurf", "Expired": "Abgelaufen",
    # the running footer
    "Page {page} of {pages}": "Seite {page} von {pages}",
}


def words(text: str, locale: str) -> str:
    """`text` (an English label) in the language of `locale`."""
    return GERMAN_WORDS.get(text, text) if locale == GERMAN else text
