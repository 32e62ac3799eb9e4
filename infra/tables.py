"""Every DynamoDB table and index, from the PynamoDB models themselves (on-demand, point-in-time
recovery, SSE, TTL where the model has a TTL attribute (switched off by name where it once had one),
deletion protection + Retain in prod)."""
from __future__ import annotations

from pynamodb.attributes import TTLAttribute


def resource_name(logical: str) -> str:
    return "Table" + "".join(part.title() for part in logical.split("_"))


def table_resources(prefix: str, protect: bool) -> dict:
    from chalicelib.tables import MODELS
    return {resource_name(m.Meta.logical_name): table_resource(m, prefix, protect) for m in MODELS}


def deletable_by_name() -> dict[str, bool]:
    from chalicelib.tables import MODELS
    return {m.Meta.logical_name: bool(m.Meta.deletable) for m in MODELS}


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
    elif getattr(model.Meta, "ttl_switched_off", None):
        properties["TimeToLiveSpecification"] = {"AttributeName": model.Meta.ttl_switched_off, "Enabled": False}
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
