"""What the documents' use cases are asked with: frozen values the handlers build from the validated
request, importable without any use case, table or gateway (`import app` loads them)."""
from __future__ import annotations

from dataclasses import dataclass

from ...domain.documents import DocumentLine


@dataclass(frozen=True)
class NewDocumentLine:
    """A line the merchant writes on an invoice, credit note or estimate: `quantity` times
    `unit_price_minor`."""
    description: str
    unit_price_minor: int
    quantity: int = 1

    def line(self) -> DocumentLine:
        return DocumentLine(description=self.description, quantity=self.quantity,
                            unit_price_minor=self.unit_price_minor, amount_minor=self.unit_price_minor * self.quantity)
