"""`make deploy` and `make cli`: with AWS credentials they act on the account; without, or without a
parameter a new stack needs, they say what is missing, exit 2 and change nothing."""
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
from botocore.exceptions import ClientError
from moto import mock_aws

from infra import deploy, stack_cli

ROOT = Path(__file__).resolve().parents[2]
NOWHERE = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent",
           "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}


def run(module: str, *args: str, **environment) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**NOWHERE, **environment})


def test_without_credentials_or_region_deploy_says_what_is_missing_and_fails():
    # When the operator deploys from a shell with no AWS configuration at all
    done = run("infra.deploy", "prod", "--check")

    # Then it fails, naming what to set, before anything is packaged or sent
    assert done.returncode == 2
    assert "AWS credentials" in done.stderr and "AWS_REGION" in done.stderr, done.stderr
    assert done.stdout == ""


def test_without_credentials_the_stack_cli_fails_the_same_way():
    done = run("infra.stack_cli", "portico-prod", "create-org", "--name", "Acme", "--email", "billing@acme.example")

    assert done.returncode == 2 and "AWS credentials" in done.stderr, done.stderr


def test_a_new_stack_is_not_deployed_without_the_portal_url_sender_and_alarm_email(capsys):
    with mock_aws():
        # Given an account where the stack does not exist yet, and only the sender given
        os.environ["SENDER"] = "billing@acme.example"
        try:
            code = deploy.main(["prod", "--check"])
        finally:
            del os.environ["SENDER"]

    # Then it names the two still missing, as the make variables to set
    error = capsys.readouterr().err
    assert code == 2
    assert "PORTAL_URL" in error and "ALARM_EMAIL" in error and "SENDER" not in error, error


class FakeCloudFormation:
    """CloudFormation as far as a deployment sees it (moto has no SAM transform)."""

    def __init__(self, existing: bool):
        self.existing, self.calls = existing, []

    def describe_stacks(self, StackName):
        if not self.existing and not any(c[0] == "execute_change_set" for c in self.calls):
            raise ClientError({"Error": {"Code": "ValidationError", "Message": f"Stack with id {StackName} does not exist"}},
                              "DescribeStacks")
        return {"Stacks": [{"StackStatus": "CREATE_COMPLETE", "Outputs": [
            {"OutputKey": "EndpointURL", "OutputValue": "https://abc.execute-api.eu-west-1.amazonaws.com/api/"}]}]}

    def create_change_set(self, **kwargs):
        self.calls.append(("create_change_set", kwargs))

    def execute_change_set(self, **kwargs):
        self.calls.append(("execute_change_set", kwargs))

    def get_waiter(self, name):
        calls = self.calls

        class Waiter:
            def wait(self, **kwargs):
                calls.append(("wait", name))
        return Waiter()


def a_plan(tmp_path, given: dict) -> deploy.Plan:
    from infra.parameters import PARAMETERS
    template = {"Parameters": PARAMETERS, "Resources": {
        "APIHandler": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip"}},
        "RunDueWork": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip"}},
        "PasskeysHandler": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./passkeys.zip"}}}}
    package = tmp_path / "deployment.zip"
    package.write_bytes(b"PK code")
    (tmp_path / "passkeys.zip").write_bytes(b"PK passkeys code")
    return deploy.Plan("prod", "portico-prod", template, package, given)


def test_a_first_deployment_uploads_code_and_template_and_creates_the_stack_with_the_parameters_given(tmp_path):
    given = {"PortalUrl": "https://billing.acme.example", "SenderAddress": "billing@acme.example",
             "AlarmEmail": "ops@acme.example"}
    cloudformation, said = FakeCloudFormation(existing=False), []
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        deployment = deploy.Deployment(a_plan(tmp_path, given), s3=s3, cloudformation=cloudformation,
                                       bucket="portico-deploy-123456789012-us-east-1", region="us-east-1",
                                       out=said.append)
        # When it deploys
        code = deployment.run()
        stored = {o["Key"]: s3.get_object(Bucket="portico-deploy-123456789012-us-east-1", Key=o["Key"])["Body"].read()
                  for o in s3.list_objects_v2(Bucket="portico-deploy-123456789012-us-east-1")["Contents"]}

    # Then the bucket holds both packages, once each, and a template whose functions point at theirs
    assert code == 0
    [template_key] = [k for k in stored if k.endswith(".json")]
    codes = {stored[k]: k for k in stored if k.endswith(".zip")}
    assert set(codes) == {b"PK code", b"PK passkeys code"}
    uploaded = json.loads(stored[template_key])
    bucket = "portico-deploy-123456789012-us-east-1"
    assert {name: f["Properties"]["CodeUri"] for name, f in uploaded["Resources"].items()} == {
        "APIHandler": {"Bucket": bucket, "Key": codes[b"PK code"]},
        "RunDueWork": {"Bucket": bucket, "Key": codes[b"PK code"]},
        "PasskeysHandler": {"Bucket": bucket, "Key": codes[b"PK passkeys code"]}}
    # and one change set created the stack with exactly the parameters given, then was executed
    [(_, created)] = [c for c in cloudformation.calls if c[0] == "create_change_set"]
    assert created["ChangeSetType"] == "CREATE" and created["TemplateURL"].endswith(template_key)
    assert {p["ParameterKey"]: p["ParameterValue"] for p in created["Parameters"]} == given
    assert set(created["Capabilities"]) == {"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}
    assert [c[1] for c in cloudformation.calls if c[0] == "wait"] == ["change_set_create_complete",
                                                                       "stack_create_complete"]
    assert "  EndpointURL: https://abc.execute-api.eu-west-1.amazonaws.com/api/" in said


def test_an_update_keeps_the_parameters_not_given_again(tmp_path):
    cloudformation = FakeCloudFormation(existing=True)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        deploy.Deployment(a_plan(tmp_path, {"AllowSimulatedPayments": "false"}), s3=s3,
                          cloudformation=cloudformation, bucket="deploys", region="us-east-1", out=lambda _: None).run()

    [(_, created)] = [c for c in cloudformation.calls if c[0] == "create_change_set"]
    parameters = {p["ParameterKey"]: p.get("ParameterValue", "previous") for p in created["Parameters"]}
    assert created["ChangeSetType"] == "UPDATE"
    assert parameters["AllowSimulatedPayments"] == "false"
    assert parameters["PortalUrl"] == parameters["StripeSecretKeyParameter"] == "previous"


def test_the_stack_cli_runs_against_the_stacks_tables_and_default_time_zone():
    class Stacks:
        def describe_stacks(self, StackName):
            assert StackName == "portico-prod"
            return {"Stacks": [{"Outputs": [{"OutputKey": "TablePrefix", "OutputValue": "portico-prod-"},
                                            {"OutputKey": "DefaultTimeZone", "OutputValue": "Europe/Berlin"},
                                            {"OutputKey": "EndpointURL", "OutputValue": "https://x/api/"}]}]}

    assert stack_cli.stack_environment("portico-prod", Stacks()) == {
        "PORTICO_TABLE_PREFIX": "portico-prod-", "PORTICO_DEFAULT_TIME_ZONE": "Europe/Berlin"}
