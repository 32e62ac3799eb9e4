"""A fresh, empty AWS (moto) with every Portico table: for the `aws` fixture and for property tests
that need one per example (tables that grew over earlier examples would slow later ones).

Each one starts from nothing, as a new `mock_aws` does (every backend moto has, SES, SSM, S3, ...,
is reset); only the cost is shared. Creating the ~24 tables through the API took most of a test's
set-up, so they are created that way once per process and each fresh AWS gets copies of those empty
tables, as they were the moment they were created. boto3's default session is kept across them:
what it holds is the service descriptions it loaded, not AWS state (that lives in moto's backends)."""
from __future__ import annotations

import copy
from contextlib import contextmanager

from moto import mock_aws
from moto.core.config import default_user_config

# moto's defaults, but boto3's default session outlives each mock (it would load its service
# descriptions again in every test)
_KEEP_BOTO3_SESSION = {"core": {**default_user_config["core"], "reset_boto3_session": False}}
# the tables' names -> where moto keeps them (account, region) -> {name: moto's empty table}, never used
_empty_tables: dict[tuple[str, ...], dict[tuple[str, str], dict]] = {}


@contextmanager
def fresh_aws():
    with mock_aws(config=_KEEP_BOTO3_SESSION):
        from chalicelib import bootstrap
        bootstrap.reset()
        bootstrap.tables_ready()
        _create_tables()
        try:
            yield
        finally:
            bootstrap.set_clock(None)


def _create_tables() -> None:
    from moto.dynamodb.models import dynamodb_backends

    from chalicelib import tables
    names = tuple(sorted(model.Meta.table_name for model in tables.MODELS))
    if names not in _empty_tables:
        tables.create_all()
        _empty_tables[names] = {
            (account, region): {name: copy.deepcopy(table) for name, table in backend.tables.items() if name in names}
            for account, regions in dynamodb_backends.items() for region, backend in regions.items()}
        return
    for (account, region), empty in _empty_tables[names].items():
        dynamodb_backends[account][region].tables.update(copy.deepcopy(empty))
