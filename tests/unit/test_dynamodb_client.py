"""The tables' one DynamoDB client is built from a session whose loader knows DynamoDB alone (the
stock loader lists every service's folder, about 450, before it reads one description) and reads
the descriptions into plain dicts (the stock one builds OrderedDicts through a Python hook): together
half the client's cost on a cold start. What the first client loaded is then frozen out of the
collector's full scans. Checked on what is listed, read and frozen, not on a clock."""
import os
import subprocess
import sys
from pathlib import Path

import botocore.loaders

from chalicelib.tables import base

ROOT = Path(__file__).resolve().parents[2]


def test_the_tables_session_builds_the_dynamodb_client_listing_only_dynamodbs_folder(monkeypatch):
    # Given every folder listing recorded
    listed, listdir = [], os.listdir
    monkeypatch.setattr(os, "listdir", lambda path=".": listed.append(os.fspath(path)) or listdir(path))

    # When a session as the tables make it builds a DynamoDB client
    client = base._botocore_session.__wrapped__().create_client(
        "dynamodb", "us-east-1", endpoint_url="http://127.0.0.1:1", aws_access_key_id="test",
        aws_secret_access_key="test")

    # Then it knows DynamoDB's operations, having listed DynamoDB's folder and no other
    assert client.meta.service_model.operation_model("TransactWriteItems").name == "TransactWriteItems"
    assert listed and {os.path.basename(path) for path in listed} == {"dynamodb"}


def test_the_loader_knows_no_service_but_dynamodb():
    loader = base.DynamoDBDataLoader()

    assert loader.list_available_services("service-2") == ["dynamodb"]
    assert loader.list_available_services("no-such-description-1") == []


def test_the_descriptions_read_as_plain_dicts_equal_what_botocore_reads():
    # Given botocore's endpoints and DynamoDB's description (plain JSON and gzipped JSON)
    loader = base.DynamoDBDataLoader()
    data = next(path for path in loader.search_paths if os.path.isdir(os.path.join(path, "dynamodb")))
    version = loader.determine_latest_version("dynamodb", "service-2")
    files = [os.path.join(data, "endpoints"), os.path.join(data, "dynamodb", version, "service-2")]

    # When each is read by both file loaders
    read = [(base.DictJSONFileLoader().load_file(f), botocore.loaders.JSONFileLoader().load_file(f)) for f in files]

    # Then the plain dicts hold the same, in the same order
    for plain, ordered in read:
        assert type(plain) is dict and plain == ordered and list(plain) == list(ordered)
    assert base.DictJSONFileLoader().load_file(os.path.join(data, "no-such-file")) is None


def printed_by_a_fresh_process(script: str) -> str:
    answer = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                                 "PYTHONDONTWRITEBYTECODE": "1"})
    return answer.stdout


def test_the_first_client_of_a_process_leaves_what_it_loaded_out_of_the_collectors_scans():
    # Given a fresh process that has imported the tables (nothing frozen yet)
    script = ("import gc; from chalicelib.tables import base; before = gc.get_freeze_count(); "
              "base.configure(prefix='t-', region='us-east-1', host='http://127.0.0.1:1'); "
              "print(before, gc.get_freeze_count())")

    # When it builds the one DynamoDB client
    printed = printed_by_a_fresh_process(script)

    # Then the service descriptions it loaded are frozen, as what `import app` made is
    before, after = map(int, printed.split())
    assert before == 0 and after > 10_000


def test_a_batch_or_transaction_resolves_the_same_endpoint_without_the_tables_it_names_as_arns():
    # Given the tables' client and a stock one, in a Region of AWS, with and without an account id
    import botocore.session
    from botocore.config import Config
    items = [{"Put": {"TableName": f"portico-prod-{name}", "Item": {}}} for name in ("payments", "invoices")]
    asked = {"TransactWriteItems": {"TransactItems": items}, "BatchGetItem": {"RequestItems": {"portico-prod-a": {}}}}
    for account in (None, "123456789012"):
        for mode in ("preferred", "disabled"):
            credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test",
                           **({"aws_account_id": account} if account else {})}
            ours, stock = (session.create_client("dynamodb", "eu-west-1", config=Config(account_id_endpoint_mode=mode),
                                                 **credentials)
                           for session in (base._botocore_session.__wrapped__(), botocore.session.get_session()))

            # Then ours computes no JMESPath parameters over the items, and each resolves the same endpoint
            for operation, params in asked.items():
                assert ours.meta.service_model.operation_model(operation).operation_context_parameters == []
                assert _endpoint(ours, operation, params) == _endpoint(stock, operation, params)


def _endpoint(client, operation: str, params: dict) -> str:
    context = {"client_region": client.meta.region_name, "client_config": client.meta.config,
               "has_streaming_input": False, "auth_type": None, "unsigned_payload": None}
    return client._resolve_endpoint_ruleset(client.meta.service_model.operation_model(operation), params, context)[0]


def test_the_tables_client_writes_its_requests_with_our_serializer():
    # Given a fresh process whose tables are configured (this environment's botocore)
    script = ("from chalicelib.tables import base; from chalicelib.tables.request_bodies import DynamoDBSerializer; "
              "base.configure(prefix='t-', region='us-east-1', host='http://127.0.0.1:1'); "
              "print(type(base.shared_client()._serializer) is DynamoDBSerializer)")

    # When it builds the one DynamoDB client
    printed = printed_by_a_fresh_process(script)

    # Then the client writes with ours (its sample requests agreed with the library's)
    assert printed.strip() == "True"
