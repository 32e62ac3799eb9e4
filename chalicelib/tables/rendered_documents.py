"""PDFs as rendered, kept so that a document shown the same way is not rendered again: one copy per
document of a customer (`invoice#<id>`, `receipt#<id>`, `estimate#<id>`, `statement#<from>#<to>`),
under the customer's own partition, with the fingerprint of what it shows. A copy is read along
with the document it prints (`customers.read_with_parties`) and answered only if its fingerprint
is the one of the page asked for now (services/documents/pdfs.py, docs/architecture.md "PDFs").
DynamoDB's TTL removes a copy nobody asked for in KEPT_FOR."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.attributes import BinaryAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import owner_key, table

KEPT_FOR = timedelta(days=90)
# An item is at most 400 KB: a larger PDF (a statement of years) is rendered every time instead.
LARGEST_KEPT_BYTES = 350_000


@table("rendered_documents")
class RenderedDocumentItem(Model):
    class Meta:
        pass

    owner = UnicodeAttribute(hash_key=True)              # org#customer
    document = UnicodeAttribute(range_key=True)          # kind#id
    fingerprint = UnicodeAttribute()
    pdf = BinaryAttribute(legacy_encoding=False)
    rendered_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


@dataclass(frozen=True)
class KeptCopy:
    fingerprint: str
    pdf: bytes


def copy_of(item: RenderedDocumentItem) -> KeptCopy:
    return KeptCopy(item.fingerprint, item.pdf)


class RenderedDocuments:
    """The customers' kept PDFs (read with their document: `with_parties(..., kept=...)`)."""

    def keep(self, org_id: str, customer_id: str, document: str, copy: KeptCopy, now: datetime) -> bool:
        """Keep `copy` as the document's rendering (replacing an older one); False if it is too large
        to keep. Unconditional: two downloads rendering at once keep equal bytes."""
        if len(copy.pdf) > LARGEST_KEPT_BYTES:
            return False
        RenderedDocumentItem(owner_key(org_id, customer_id), document, fingerprint=copy.fingerprint, pdf=copy.pdf,
                             rendered_at=now, expires_at=now + KEPT_FOR).save()
        return True
