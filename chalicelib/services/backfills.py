"""What the operator's backfills share (`python -m chalicelib.cli`, docs/deploy.md): each goes over
every customer of an organization, page after page."""
from __future__ import annotations

from typing import Iterator

from ..domain.customers import Customer
from ..tables.pages import every

PAGE = 100


def every_customer(adapters, org_id: str) -> Iterator[Customer]:
    return every(lambda cursor: adapters.uow.customers.page(org_id, limit=PAGE, cursor=cursor))
