"""What every table shares: the model registry, lazy connection settings, key builders.

A table module is imported when first used (a request loads only the tables it reads): a model
registered after `configure` is pointed at its stage's table as it registers. What needs every
model (creating tables, the template) asks `all_models()`."""
from __future__ import annotations

import gc
import gzip
import importlib
import json
import os
from functools import lru_cache

import botocore.config
import botocore.loaders
import botocore.session
from botocore.exceptions import DataNotFoundError
from pynamodb.attributes import UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.models import Model
from pynamodb.settings import get_settings_value

from . import throttling
from .answers import DynamoDBParsers
from .item_writes import set_attributes, set_defaults, write_item
from .items import read_item
from .request_bodies import DynamoDBSerializer, agrees_with_the_library

MODELS: list[type[Model]] = []
_configured: dict = {}
# Every module that registers a model.
MODULES = ("account_summaries", "action_links", "activity", "api_keys", "audit_log", "cancellation_feedback", "catalog", "credit_notes", "customers", "emails",
           "estimates", "idempotency", "invoices", "ledger", "logos", "merchant_sessions", "merchant_users", "notifications", "one_time_tokens", "organizations",
           "passkeys", "payment_methods", "payments", "portal_addresses", "portal_users", "rate_counters", "rendered_documents",
           "reviews", "sequences", "sessions",
           "subscriptions", "timesheets", "webhook_events")


def all_models() -> list[type[Model]]:
    """Every model, its module imported if it was not yet."""
    for name in MODULES:
        importlib.import_module(f"{__package__}.{name}")
    return MODELS


def table(logical_name: str, *, deletable: bool = False):
    """Register a model under its logical table name (the stage prefix is added by `configure`).

    Only a `deletable` table's items may be deleted by the code, and the Lambdas' IAM policy grants
    DeleteItem on those tables alone (infra/generate.py): nothing the merchant's books need
    (invoices, payments, credit notes, activity, ...) is ever deletable; it changes status instead."""
    def register(model: type[Model]) -> type[Model]:
        model.Meta.logical_name = logical_name
        model.Meta.deletable = deletable
        model.Meta.table_name = logical_name
        model.from_raw_data = classmethod(read_item)    # tables/items.py: the same item, read faster
        # tables/item_writes.py: the same item, made and written faster
        model._set_defaults, model._set_attributes, model.serialize = set_defaults, set_attributes, write_item
        from .read_ahead import get
        model.get = classmethod(get)                    # tables/read_ahead.py: once, from the session check's read
        MODELS.append(model)
        if _configured:
            _point(model)
        return model
    return register


def configure(*, prefix: str, region: str, host: str | None) -> None:
    """Point every model at its stage's table; call again to re-point (tests, devstack)."""
    _configured.clear()
    _configured.update(prefix=prefix, region=region, host=host)
    _configured["client"] = _new_client()
    for model in MODELS:
        _point(model)


def _point(model: type[Model]) -> None:
    """PynamoDB gives each model its own botocore session, and each one loads the DynamoDB
    service description again (~0.2 s apiece): every model shares the one client instead."""
    model.Meta.table_name = _configured["prefix"] + model.Meta.logical_name
    model.Meta.region = _configured["region"]
    model.Meta.host = _configured["host"]
    model._connection = None
    model._get_connection().connection._client = _configured["client"]


def _new_client():
    """The shared client, built here so that its retry policy is ours (tables/throttling.py), not a
    library default; timeouts and the connection pool as PynamoDB's settings have them."""
    config = botocore.config.Config(
        parameter_validation=False, connect_timeout=get_settings_value("connect_timeout_seconds"),
        read_timeout=get_settings_value("read_timeout_seconds"),
        max_pool_connections=get_settings_value("max_pool_connections"), retries=throttling.RETRIES)
    first = _botocore_session.cache_info().currsize == 0
    client = _botocore_session().create_client(
        "dynamodb", _configured["region"], endpoint_url=_configured["host"], config=config)
    throttling.watch(client)
    # botocore offers no hook for a client's serializer as it does for its parser (the session's
    # response_parser_factory): the client is given ours once made, if it writes as this botocore does
    if agrees_with_the_library(client.meta.service_model):
        client._serializer = DynamoDBSerializer()
    if first:
        # the session's service descriptions and the client live as long as the process (as what
        # `import app` made, frozen there): kept out of the collector's full scans
        gc.freeze()
    return client


@lru_cache(maxsize=1)
def _botocore_session():
    """One per process: re-pointing the tables (the devstack, tests) builds a new client, and a new
    session would read the DynamoDB service description from disk again. Its clients read items
    with tables/answers.py's parser."""
    session = botocore.session.get_session()
    data_path = session.get_config_variable("data_path")
    session.register_component("data_loader", DynamoDBDataLoader(extra_search_paths=[
        os.path.expanduser(os.path.expandvars(path)) for path in data_path.split(os.pathsep)] if data_path else None,
        file_loader=DictJSONFileLoader()))
    session.register_component("response_parser_factory", DynamoDBParsers())
    return session


class DynamoDBDataLoader(botocore.loaders.Loader):
    """botocore's loader, which knows DynamoDB alone: before reading a service's description, the
    stock loader lists every service's folder (about 450 of them, 2,800 file checks, twice per
    client: a sixth of a cold start's client) to see the one asked for is among them. This session
    builds the DynamoDB client only."""
    SERVICE = "dynamodb"

    def list_available_services(self, type_name: str) -> list[str]:
        try:
            self.determine_latest_version(self.SERVICE, type_name)
        except DataNotFoundError:
            return []
        return [self.SERVICE]

    def load_service_model(self, service_name: str, type_name: str, api_version: str | None = None):
        """DynamoDB's description without its operations' `operationContextParams`: they give the
        endpoint rules the tables a batch or transaction names (`ResourceArnList`), for a table named
        by its ARN, and botocore computes them with JMESPath over every item on every call (60 µs of
        a transaction of eleven items, five times the rest of the rules). Our tables are named, never
        ARNs: without them the endpoint is the same (tests/unit/test_dynamodb_client.py)."""
        model = super().load_service_model(service_name, type_name, api_version)
        if service_name == self.SERVICE and type_name == "service-2":
            for operation in model.get("operations", {}).values():
                operation.pop("operationContextParams", None)
        return model


class DictJSONFileLoader(botocore.loaders.JSONFileLoader):
    """Reads botocore's descriptions into plain dicts, which keep their order as OrderedDicts do:
    the stock loader makes each JSON object an OrderedDict through a Python hook, a third of the
    client's cost on a cold start (endpoints.json alone is 1.2 MB)."""
    OPENERS = ((".json", open), (".json.gz", gzip.open))

    def load_file(self, file_path: str):
        for extension, opener in self.OPENERS:
            if os.path.isfile(file_path + extension):
                with opener(file_path + extension, "rb") as description:
                    return json.loads(description.read())
        return None


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
    for model in all_models():
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
