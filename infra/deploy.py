"""`make deploy`: the template `make package` built, deployed to the AWS account of your environment
as a CloudFormation stack (the SAM transform runs in CloudFormation; no SAM CLI needed).

    make deploy STAGE=prod PORTAL_URL=https://billing.acme.example SENDER=billing@acme.example \\
        ALARM_EMAIL=ops@acme.example STRIPE_SECRET_PARAMETER=/portico/prod/stripe-secret-key ...

The code and the template go to an S3 bucket (DEPLOY_BUCKET, or portico-deploy-<account>-<region>,
created on first use), then a change set is created, executed and waited for. An existing stack
keeps the parameters not given again. Without credentials, a region or a required parameter it says
what is missing and exits 2, having changed nothing. docs/deploy.md is the guide.

Usage: python -m infra.deploy STAGE [--check]   (parameters from the environment, see PARAMETERS)
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from botocore.exceptions import ClientError, WaiterError

from .aws_session import NotReady, session

ROOT = Path(__file__).resolve().parents[1]
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]
# make/environment variable -> template parameter
PARAMETERS = {
    "PORTAL_URL": "PortalUrl", "SENDER": "SenderAddress", "ALARM_EMAIL": "AlarmEmail", "TIME_ZONE": "DefaultTimeZone",
    "STRIPE_SECRET_PARAMETER": "StripeSecretKeyParameter",
    "STRIPE_PUBLISHABLE_PARAMETER": "StripePublishableKeyParameter",
    "STRIPE_WEBHOOK_PARAMETER": "StripeWebhookSecretParameter",
    "ALLOW_SIMULATED_PAYMENTS": "AllowSimulatedPayments", "LOG_RETENTION_DAYS": "LogRetentionDays",
    "API_RATE_LIMIT": "ApiRateLimit", "API_BURST_LIMIT": "ApiBurstLimit",
    "DUE_WORK_CONCURRENCY": "DueWorkConcurrency", "DUE_WORK_BATCH_SIZE": "DueWorkBatchSize",
    "DUE_WORK_PER_ORGANIZATION": "DueWorkPerOrganization", "DUE_WORK_CHARGES_PER_SECOND": "DueWorkChargesPerSecond",
    "WAF_RATE_LIMIT": "WafRateLimit", "RATE_LIMITS": "RateLimitOverrides",
    "UNTELLING_ANSWER_MS": "UntellingAnswerMs",
}


@dataclass(frozen=True)
class Plan:
    stage: str
    stack: str
    template: dict | None          # None before `make package` (the --check)
    package: Path
    given: dict[str, str]          # parameter -> value, from the environment

    @classmethod
    def from_environment(cls, stage: str, environ=os.environ, *, packaged: bool = True) -> "Plan":
        build = ROOT / "build" / stage
        if packaged and not ((build / "sam.json").exists() and (build / "deployment.zip").exists()):
            raise NotReady(f"no package in build/{stage}: run `make package STAGE={stage}` first")
        given = {parameter: environ[variable] for variable, parameter in PARAMETERS.items() if environ.get(variable)}
        template = json.loads((build / "sam.json").read_text()) if packaged else None
        return cls(stage, environ.get("STACK") or f"portico-{stage}", template, build / "deployment.zip", given)

    def parameters(self, stack_exists: bool) -> list[dict]:
        """Given values; an existing stack's previous value for the others; NotReady if a required
        one has neither."""
        from .parameters import PARAMETERS as SOURCE
        declared = self.template.get("Parameters", {}) if self.template is not None else SOURCE
        required = [name for name, spec in declared.items() if "Default" not in spec]
        missing = [name for name in required if name not in self.given and not stack_exists]
        if missing:
            wanted = {parameter: variable for variable, parameter in PARAMETERS.items()}
            raise NotReady("a new stack needs these parameters:\n  - " + "\n  - ".join(
                f"{wanted[name]} ({declared[name]['Description']})" for name in missing))
        values = [{"ParameterKey": name, "ParameterValue": value} for name, value in self.given.items()]
        kept = [{"ParameterKey": name, "UsePreviousValue": True} for name in declared
                if name not in self.given and stack_exists]
        return values + kept


class Deployment:
    def __init__(self, plan: Plan, *, s3, cloudformation, bucket: str, region: str, out=print):
        self.plan, self.s3, self.cloudformation, self.bucket, self.region, self.say = \
            plan, s3, cloudformation, bucket, region, out

    def stack_exists(self) -> bool:
        try:
            [stack] = self.cloudformation.describe_stacks(StackName=self.plan.stack)["Stacks"]
        except ClientError as error:
            if "does not exist" in str(error):
                return False
            raise
        return stack["StackStatus"] != "REVIEW_IN_PROGRESS"

    def run(self) -> int:
        exists = self.stack_exists()
        parameters = self.plan.parameters(exists)
        self._ensure_bucket()
        template_url = self._upload()
        name = f"portico-{time.strftime('%Y%m%d-%H%M%S')}"
        self.say(f"{'updating' if exists else 'creating'} stack {self.plan.stack} in {self.region} (change set {name})")
        self.cloudformation.create_change_set(
            StackName=self.plan.stack, ChangeSetName=name, TemplateURL=template_url, Parameters=parameters,
            Capabilities=CAPABILITIES, ChangeSetType="UPDATE" if exists else "CREATE")
        try:
            self.cloudformation.get_waiter("change_set_create_complete").wait(
                StackName=self.plan.stack, ChangeSetName=name, WaiterConfig={"Delay": 5, "MaxAttempts": 120})
        except WaiterError:
            reason = self.cloudformation.describe_change_set(StackName=self.plan.stack, ChangeSetName=name)
            if "didn't contain changes" in reason.get("StatusReason", "") or "No updates" in reason.get("StatusReason", ""):
                self.say("nothing to change: the stack is already this version")
                return 0
            self.say(f"the change set failed: {reason.get('StatusReason')}")
            return 1
        self.cloudformation.execute_change_set(StackName=self.plan.stack, ChangeSetName=name)
        waiter = "stack_update_complete" if exists else "stack_create_complete"
        try:
            self.cloudformation.get_waiter(waiter).wait(StackName=self.plan.stack,
                                                        WaiterConfig={"Delay": 10, "MaxAttempts": 360})
        except WaiterError:
            self._report_failure()
            return 1
        self._report_outputs()
        return 0

    def _ensure_bucket(self) -> None:
        try:
            self.s3.head_bucket(Bucket=self.bucket)
            return
        except ClientError:
            pass
        self.say(f"creating the deployment bucket {self.bucket}")
        options = {} if self.region == "us-east-1" else {
            "CreateBucketConfiguration": {"LocationConstraint": self.region}}
        self.s3.create_bucket(Bucket=self.bucket, **options)
        self.s3.put_public_access_block(Bucket=self.bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})

    def _upload(self) -> str:
        """The code and the template (too large to send inline) in the bucket; the template's URL."""
        code = self.plan.package.read_bytes()
        code_key = f"portico/{self.plan.stack}/{hashlib.sha256(code).hexdigest()}.zip"
        self.s3.put_object(Bucket=self.bucket, Key=code_key, Body=code)
        template = json.loads(json.dumps(self.plan.template))
        for resource in template["Resources"].values():
            if resource["Type"] == "AWS::Serverless::Function":
                resource["Properties"]["CodeUri"] = {"Bucket": self.bucket, "Key": code_key}
        body = json.dumps(template).encode()
        template_key = f"portico/{self.plan.stack}/{hashlib.sha256(body).hexdigest()}.json"
        self.s3.put_object(Bucket=self.bucket, Key=template_key, Body=body)
        return f"https://{self.bucket}.s3.{self.region}.amazonaws.com/{template_key}"

    def _report_outputs(self) -> None:
        [stack] = self.cloudformation.describe_stacks(StackName=self.plan.stack)["Stacks"]
        self.say(f"stack {self.plan.stack}: {stack['StackStatus']}")
        for output in stack.get("Outputs", []):
            self.say(f"  {output['OutputKey']}: {output['OutputValue']}")

    def _report_failure(self) -> None:
        events = self.cloudformation.describe_stack_events(StackName=self.plan.stack)["StackEvents"]
        failed = [e for e in events if e.get("ResourceStatus", "").endswith("FAILED")][:10]
        self.say(f"stack {self.plan.stack} did not deploy; CloudFormation rolled it back. First failures:")
        for event in reversed(failed):
            self.say(f"  {event['LogicalResourceId']}: {event.get('ResourceStatusReason', '')}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    stage, check_only = argv[0], "--check" in argv[1:]
    try:
        aws, account = session()
        plan = Plan.from_environment(stage, packaged=not check_only)
        bucket = os.environ.get("DEPLOY_BUCKET") or f"portico-deploy-{account}-{aws.region_name}"
        deployment = Deployment(plan, s3=aws.client("s3"), cloudformation=aws.client("cloudformation"),
                                bucket=bucket, region=aws.region_name)
        if check_only:
            plan.parameters(deployment.stack_exists())
            print(f"deploying stack {plan.stack} to account {account} in {aws.region_name}")
            return 0
        return deployment.run()
    except NotReady as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
