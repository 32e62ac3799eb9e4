"""What every table shares: the model registry, lazy connection settings, key builders."""
from __future__ import annotations

from functools import lru_cache

import botocore.config
import botocore.session
from pynamodb.attributes import UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.models import Model

from . import throttling

MODELS: list[type[Model]] = []
_configured: dict = {}


def table(logical_name: str, *, deletable: bool = False):
    """Register a model under its logical table name (the stage prefix is added by `configure`).

    Only a `deletable` table's items may be deleted by the code, and the Lambdas' IAM policy grants
    DeleteItem on those tables alone (infra/generate.py): nothing the merchant's books need
    (invoices, payments, credit notes, activity, ...) is ever deletable; it changes status instead."""
    def register(model: type[Model]) -> type[Model]:
        model.Meta.logical_name = logical_name
        model.Meta.deletable = deletable
        model.Meta.table_name = logical_name
        MODELS.append(model)
        return model
    return register


def configure(*, prefix: str, region: str, host: str | None) -> None:
    """Point every model at its stage's table; call again to re-point (tests, devstack)."""
    for model in MODELS:
        model.Meta.table_name = prefix + model.Meta.logical_name
        model.Meta.region = region
        model.Meta.host = host
        model._connection = None
    _configured.clear()
    _configured.update(prefix=prefix, region=region, host=host)
    _share_one_client()


def _share_one_client() -> None:
    """PynamoDB gives each model its own botocore session, and each one loads the DynamoDB
    service description again (~0.2 s apiece). One client, shared, loads it once; it is built
    here so that its retry policy is ours (tables/throttling.py), not a library default."""
    shared = _new_client()
    _configured["client"] = shared
    for model in MODELS:
        model._get_connection().connection._client = shared


def _new_client():
    meta = MODELS[0].Meta   # PynamoDB's defaults for timeouts and the connection pool
    config = botocore.config.Config(
        parameter_validation=False, connect_timeout=meta.connect_timeout_seconds,
        read_timeout=meta.read_timeout_seconds, max_pool_connections=meta.max_pool_connections,
        retries=throttling.RETRIES)
    client = _botocore_session().create_client(
        "dynamodb", _configured["region"], endpoint_url=_configured["host"], config=config)
    throttling.watch(client)
    return client


@lru_cache(maxsize=1)
def _botocore_session():
    """One per process: re-pointing the tables (the devstack, tests) builds a new client, and a new
    session would read the DynamoDB service description from disk again."""
    return botocore.session.get_session()


def shared_client():
    """The one botocore DynamoDB client every model uses (after `configure`)."""
    return _configured["client"]


def connection() -> Connection:
    """A low-level connection for TransactWrite/TransactGet, on the shared client."""
    conn = Connection(region=_configured.get("region"), host=_configured.get("host"))
    if "client" in _configured:
        conn._client = _configured["client"]
    return conn


def create_all(wait: bool = False) -> list[str]:
    """Create missing tables (local stack and tests; on AWS CloudFormation owns them)."""
    existing = set(_list_tables())
    created = []
    for model in MODELS:
        if model.Meta.table_name not in existing:
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=wait)
            created.append(model.Meta.table_name)
    return created


def _list_tables():
    client, start = _configured["client"], {}
    while True:
        page = client.list_tables(**start)
        yield from page["TableNames"]
        if "LastEvaluatedTableName" not in page:
            return
        start = {"ExclusiveStartTableName": page["LastEvaluatedTableName"]}


def owner_key(org_id: str, customer_id: str) -> str:
    """Partition key of customer-owned items: one customer's items live together and
    no key built from another session can reach them."""
    return f"{org_id}#{customer_id}"


class OwnedByCustomer:
    """Mixin for customer-owned items (the partition key is `owner`)."""
    owner = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
