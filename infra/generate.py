"""Generates what `chalice package` merges into its template, from the code itself, so the template
cannot drift from it:

- the Parameters a merchant sets (infra/parameters.py) and the environment each function reads
  them from;
- every table and index, from the PynamoDB models (infra/tables.py), and the SES sender identity;
- one IAM role per function with only what it uses (infra/roles.py), replacing the policy Chalice
  puts in each role (.chalice/policy-<stage>.json denies everything, should a role escape us), and
  the role of the passkeys function, which Chalice does not make (infra/passkeys_function.py adds
  the function itself once `chalice package` has made the API's);
- operations (infra/operations.py): log groups with retention, API access logs, throttling and
  tracing, the scheduled functions' failure destination, alarms to an SNS topic.

Writes infra/build/resources-<stage>.json and .chalice/policy-<stage>.json.
Usage: python -m infra.generate STAGE
"""
from __future__ import annotations

import json
import sys

from . import operations, parameters, roles, tables
from .functions import ROOT, functions, table_prefix

# Chalice needs a policy file to make its roles; every role's policy is replaced by the merge.
PLACEHOLDER_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "ReplacedByInfraGenerate", "Effect": "Deny", "Action": "*", "Resource": "*"}]}


def merge_template(stage: str) -> dict:
    prefix, every = table_prefix(stage), functions(stage)
    deletable = tables.deletable_by_name()
    resources = tables.table_resources(prefix, protect=stage == "prod")
    resources["SenderIdentity"] = {"Type": "AWS::SES::EmailIdentity",
                                   "Properties": {"EmailIdentity": {"Ref": "SenderAddress"}}}
    for function in every:
        policies = {"Policies": roles.role_policies(function, deletable, prefix)}
        if not function.made_by_chalice:
            resources[function.role_id] = {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": roles.LAMBDA_TRUST, **policies}}
            continue
        resources[function.logical_id] = {"Properties": {
            "Environment": {"Variables": parameters.environment(function)},
            **operations.function_settings(function)}}
        resources[function.role_id] = {"Properties": policies}
    resources[operations.API] = operations.api_settings()
    resources.update(operations.resources(every))
    return {"Parameters": parameters.PARAMETERS, "Conditions": parameters.CONDITIONS, "Resources": resources,
            "Outputs": operations.outputs(prefix)}


def main(stage: str) -> None:
    build = ROOT / "infra" / "build"
    build.mkdir(parents=True, exist_ok=True)
    (build / f"resources-{stage}.json").write_text(json.dumps(merge_template(stage), indent=2))
    (ROOT / ".chalice" / f"policy-{stage}.json").write_text(json.dumps(PLACEHOLDER_POLICY, indent=2))
    print(f"wrote infra/build/resources-{stage}.json and .chalice/policy-{stage}.json")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "dev")
