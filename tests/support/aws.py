"""A fresh, empty AWS (moto) with every Portico table: for the `aws` fixture and for property tests
that need one per example (tables that grew over earlier examples would slow later ones)."""
from __future__ import annotations

from contextlib import contextmanager

from moto import mock_aws


@contextmanager
def fresh_aws():
    with mock_aws():
        from chalicelib import bootstrap, tables
        bootstrap.reset()
        bootstrap.tables_ready()
        tables.create_all()
        try:
            yield
        finally:
            bootstrap.set_clock(None)
