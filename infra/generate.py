"""Generates what `chalice package` merges in, from the PynamoDB models themselves, so the
template cannot drift from the code:

- infra/build/resources-<stage>.json: every table and index (on-demand, point-in-time recovery,
  TTL where a model has one, deletion protection in prod) and the SES sender identity;
- .chalice/policy-<stage>.json: least privilege for the Lambdas (only these tables and the
  DynamoDB actions PynamoDB issues, SES raw send, the stage's SSM parameters, X-Ray, logs).

Usage: python -m infra.generate STAGE
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pynamodb.attributes import TTLAttribute

ROOT = Path(__file__).resolve().parents[1]
DYNAMODB_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query",
                    "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"]
# Only on the tables declared `deletable` (tables/base.py): the books cannot be deleted even by
# a bug. BatchWriteItem is how PynamoDB's batch_write deletes (all sessions of an account).
DELETE_ACTIONS = ["dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]


def stage_config(stage: str) -> dict:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    env = {**config.get("environment_variables", {}), **config["stages"][stage].get("environment_variables", {})}
    return {"prefix": env["PORTICO_TABLE_PREFIX"], "sender": env["PORTICO_EMAIL_SENDER"],
            "parameters": [v for k, v in env.items() if k.endswith("_PARAMETER")]}


def resource_name(logical: str) -> str:
    return "Table" + "".join(part.title() for part in logical.split("_"))


def table_resource(model, prefix: str, protect: bool) -> dict:
    schema = model._get_schema()
    properties = {
        "TableName": prefix + model.Meta.logical_name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": _keys(schema["key_schema"]),
        "AttributeDefinitions": sorted(schema["attribute_definitions"], key=lambda a: a["AttributeName"]),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
        "DeletionProtectionEnabled": protect,
    }
    if schema.get("global_secondary_indexes"):
        properties["GlobalSecondaryIndexes"] = [_index(i) for i in schema["global_secondary_indexes"]]
    if schema.get("local_secondary_indexes"):
        properties["LocalSecondaryIndexes"] = [_index(i) for i in schema["local_secondary_indexes"]]
    ttl = [name for name, attribute in model.get_attributes().items() if isinstance(attribute, TTLAttribute)]
    if ttl:
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl[0], "Enabled": True}
    return {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain" if protect else "Delete",
            "UpdateReplacePolicy": "Retain", "Properties": properties}


def _keys(key_schema: list) -> list:
    return sorted(({"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in key_schema),
                  key=lambda k: k["KeyType"] != "HASH")


def _index(index: dict) -> dict:
    projection = {"ProjectionType": index["projection"]["ProjectionType"]}
    if index["projection"].get("NonKeyAttributes"):
        projection["NonKeyAttributes"] = index["projection"]["NonKeyAttributes"]
    return {"IndexName": index["index_name"], "KeySchema": _keys(index["key_schema"]), "Projection": projection}


def merge_template(stage: str) -> dict:
    from chalicelib.tables import MODELS
    config = stage_config(stage)
    resources = {resource_name(m.Meta.logical_name): table_resource(m, config["prefix"], stage == "prod")
                 for m in MODELS}
    resources["SenderIdentity"] = {"Type": "AWS::SES::EmailIdentity",
                                   "Properties": {"EmailIdentity": config["sender"]}}
    return {"Resources": resources}


def policy(stage: str) -> dict:
    from chalicelib.tables import MODELS
    config = stage_config(stage)
    arn = f"arn:aws:dynamodb:*:*:table/{config['prefix']}"
    tables = [arn + m.Meta.logical_name for m in MODELS]
    statements = [
        {"Sid": "Tables", "Effect": "Allow", "Action": DYNAMODB_ACTIONS,
         "Resource": tables + [f"{table}/index/*" for table in tables]},
        {"Sid": "Deletes", "Effect": "Allow", "Action": DELETE_ACTIONS,
         "Resource": [arn + m.Meta.logical_name for m in MODELS if m.Meta.deletable]},
        {"Sid": "Transactions", "Effect": "Allow", "Action": ["dynamodb:TransactWriteItems",
                                                             "dynamodb:TransactGetItems"], "Resource": "*"},
        {"Sid": "Email", "Effect": "Allow", "Action": ["ses:SendRawEmail"], "Resource": "*",
         "Condition": {"StringEquals": {"ses:FromAddress": config["sender"]}}},
        {"Sid": "Tracing", "Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
         "Resource": "*"},
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream",
                                                     "logs:PutLogEvents"], "Resource": "arn:aws:logs:*:*:*"},
    ]
    if config["parameters"]:
        statements.append({"Sid": "Secrets", "Effect": "Allow", "Action": ["ssm:GetParameter"],
                           "Resource": [f"arn:aws:ssm:*:*:parameter{name}" for name in config["parameters"]]})
    return {"Version": "2012-10-17", "Statement": statements}


def main(stage: str) -> None:
    build = ROOT / "infra" / "build"
    build.mkdir(parents=True, exist_ok=True)
    (build / f"resources-{stage}.json").write_text(json.dumps(merge_template(stage), indent=2))
    (ROOT / ".chalice" / f"policy-{stage}.json").write_text(json.dumps(policy(stage), indent=2))
    print(f"wrote infra/build/resources-{stage}.json and .chalice/policy-{stage}.json")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "dev")
