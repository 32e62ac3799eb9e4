"""`make package` gives a template that cfn-lint accepts, with every table the code uses, the
parameters a merchant sets, one least-privilege role per function, alarms, and a job whose time
budget fits in its Lambda's timeout; and a code package of at most 18 MB with bytecode for what
`import app` loads.

The template is packaged offline: a copy of the project with an empty requirements file, since it
does not depend on what is vendored. The code package is the real one (`lambda_package`, which
tests/integration/test_rehearsal.py also runs)."""
import json
import subprocess
import sys
import zipfile

import pytest

from chalicelib import metrics
from chalicelib.config import JOB_LAST_ITEM_SECONDS
from tests.support.lambda_runtime import allows
from tests.support.package import BIN, build, unzipped
from tests.support.rehearsal import runtime_sdk
from tests.support.template import ACCOUNT, REGION, Template

pytestmark = pytest.mark.slow   # left out of `make check`: the Lambda package and two templates built

GIVEN = {"PortalUrl": "https://billing.acme.example", "SenderAddress": "billing@acme.example",
         "AlarmEmail": "ops@acme.example"}
TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/portico-%s-%s"
FUNCTIONS = {"APIHandler", "SendQueuedEmail", "RunDueWork", "DueWorkWorker", "ReconcilePayments"}


@pytest.fixture(scope="module", params=["dev", "prod"])
def packaged(request, tmp_path_factory):
    stage = request.param
    package = build(stage, tmp_path_factory.mktemp(f"package-{stage}"), requirements=False)
    return stage, package.template


@pytest.fixture(scope="module")
def template(packaged):
    return Template.load(packaged[1], GIVEN)


def test_the_template_passes_cfn_lint(packaged):
    _stage, template = packaged
    lint = subprocess.run([str(BIN / "cfn-lint"), str(template)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


def test_every_table_and_index_the_code_uses_is_in_the_template(packaged):
    from chalicelib.tables import MODELS
    stage, template = packaged
    resources = json.loads(template.read_text())["Resources"]
    tables = {r["Properties"]["TableName"]: r["Properties"] for r in resources.values()
              if r["Type"] == "AWS::DynamoDB::Table"}
    prefix = f"portico-{stage}-"
    assert set(tables) == {prefix + m.Meta.logical_name for m in MODELS}
    for model in MODELS:
        declared = tables[prefix + model.Meta.logical_name]
        indexes = {i["IndexName"] for i in declared.get("GlobalSecondaryIndexes", []) +
                   declared.get("LocalSecondaryIndexes", [])}
        assert indexes == {i.Meta.index_name for i in model._indexes.values()}
        assert declared["DeletionProtectionEnabled"] is (stage == "prod")
    assert tables[prefix + "sessions"]["TimeToLiveSpecification"]["Enabled"]


def test_functions_are_traced_and_jobs_get_longer_timeouts(template):
    functions = template.functions()
    assert set(functions) == FUNCTIONS
    assert all(f.get("Tracing") == "Active" for f in functions.values())
    assert functions["SendQueuedEmail"]["Timeout"] > functions["APIHandler"]["Timeout"]
    assert functions["RunDueWork"]["Timeout"] > functions["APIHandler"]["Timeout"]
    assert functions["ReconcilePayments"]["Timeout"] > functions["APIHandler"]["Timeout"]


# --- the code package ----------------------------------------------------------------------------

PACKAGE_LIMIT_BYTES = 18_000_000   # infra/slim.py says why
FONTS = {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSansMath-Symbols.ttf", "NotoSansCJK-Common.ttf", "OFL.txt"}
# Run in the unzipped package beside the runtime's SDK only: each module `import app` loaded from the
# package, and what is wrong with its bytecode ("" when it is unchecked-hash bytecode of this Python).
BYTECODE_OF_IMPORT_APP = """
import importlib.util, json, os, sys
package, sdk = sys.argv[1:3]
sys.path[:0] = [package, sdk]
import app

def problem(path):
    if not path.endswith(".py"):
        bytecode = path if path.endswith(".pyc") else None
    else:
        bytecode = importlib.util.cache_from_source(path)
    if bytecode is None:
        return ""   # an extension module
    if not os.path.exists(bytecode):
        return "no bytecode"
    header = open(bytecode, "rb").read(8)
    if header[:4] != importlib.util.MAGIC_NUMBER:
        return "bytecode of another Python"
    return "" if int.from_bytes(header[4:8], "little") == 0b01 else "bytecode checked against its source"

files = {os.path.realpath(m.__file__) for m in list(sys.modules.values()) if getattr(m, "__file__", None)}
root = os.path.realpath(package) + os.sep
print(json.dumps({f[len(root):]: problem(f) for f in files if f.startswith(root)}))
"""


def test_the_code_package_is_at_most_12_mb_zipped_with_every_font_the_unicode_pdfs_use(lambda_package):
    # Given the package `make package` builds, with its requirements
    with zipfile.ZipFile(lambda_package.zip) as package:
        names = set(package.namelist())

    # Then it weighs at most 18 MB zipped
    assert lambda_package.zip.stat().st_size <= PACKAGE_LIMIT_BYTES
    # and carries the fonts of the PDFs and the libraries they are drawn with
    assert {f"chalicelib/gateways/fonts/{font}" for font in FONTS} <= names
    assert {"fpdf/__init__.pyc", "fontTools/subset/__init__.pyc"} <= names
    # but not what the runtime provides, nor Pillow (fpdf2 needs it only for images)
    assert not any(name.startswith(("boto3/", "botocore/", "PIL/")) for name in names)


def test_every_module_import_app_loads_from_the_package_comes_with_bytecode_lambda_uses_as_is(lambda_package,
                                                                                          tmp_path):
    # Given the package unzipped beside nothing but the Lambda runtime's SDK
    task, sdk = unzipped(lambda_package, tmp_path / "task"), runtime_sdk(tmp_path / "sdk")

    # When a fresh Python imports app without writing bytecode of its own (/var/task is read-only)
    answer = subprocess.run([sys.executable, "-I", "-S", "-B", "-c", BYTECODE_OF_IMPORT_APP, str(task), str(sdk)],
                            capture_output=True, text=True, check=True)
    loaded = json.loads(answer.stdout)

    # Then every module it loaded from the package came with bytecode of this Python, used unchecked
    assert {"app.py", "chalicelib/handlers/http.py", "chalice/app.pyc", "pydantic/main.pyc"} <= set(loaded)
    assert {path: problem for path, problem in loaded.items() if problem} == {}


# --- parameters --------------------------------------------------------------------------------

def test_a_merchant_must_give_the_portal_url_sender_and_alarm_email_and_may_name_stripe_parameters(template):
    parameters = template.body["Parameters"]

    # Then what has no sensible default must be given; the rest defaults to "no Stripe, no simulated payments"
    assert {name for name, spec in parameters.items() if "Default" not in spec} == \
        {"PortalUrl", "SenderAddress", "AlarmEmail"}
    assert {name: parameters[name]["Default"] for name in (
        "StripeSecretKeyParameter", "StripePublishableKeyParameter", "StripeWebhookSecretParameter",
        "AllowSimulatedPayments", "DefaultTimeZone")} == {
        "StripeSecretKeyParameter": "", "StripePublishableKeyParameter": "", "StripeWebhookSecretParameter": "",
        "AllowSimulatedPayments": "false", "DefaultTimeZone": "UTC"}
    assert parameters["AllowSimulatedPayments"]["AllowedValues"] == ["false", "true"]


def test_every_function_reads_its_settings_from_the_parameters_and_none_points_at_localhost(packaged):
    _stage, path = packaged
    # Given a stage deployed with Stripe's keys in SSM
    stripe = {"StripeSecretKeyParameter": "/acme/stripe/secret", "StripePublishableKeyParameter": "/acme/stripe/pk",
              "StripeWebhookSecretParameter": "/acme/stripe/whsec", "AllowSimulatedPayments": "false"}
    template = Template.load(path, {**GIVEN, **stripe})

    # Then every function has the portal URL, sender, Stripe parameter names and the simulated switch
    for name in FUNCTIONS:
        environment = template.environment(name)
        assert {key: environment[key] for key in (
            "PORTICO_PORTAL_URL", "PORTICO_EMAIL_SENDER", "PORTICO_STRIPE_SECRET_PARAMETER",
            "PORTICO_STRIPE_PUBLISHABLE_KEY_PARAMETER", "PORTICO_STRIPE_WEBHOOK_SECRET_PARAMETER",
            "PORTICO_ALLOW_SIMULATED_PAYMENTS")} == {
            "PORTICO_PORTAL_URL": "https://billing.acme.example", "PORTICO_EMAIL_SENDER": "billing@acme.example",
            "PORTICO_STRIPE_SECRET_PARAMETER": "/acme/stripe/secret",
            "PORTICO_STRIPE_PUBLISHABLE_KEY_PARAMETER": "/acme/stripe/pk",
            "PORTICO_STRIPE_WEBHOOK_SECRET_PARAMETER": "/acme/stripe/whsec",
            "PORTICO_ALLOW_SIMULATED_PAYMENTS": "false"}, name
    # and nothing in the template points at a local machine
    assert "127.0.0.1" not in path.read_text() and "localhost" not in path.read_text()


def test_the_operator_cli_finds_the_default_time_zone_and_table_prefix_among_the_stacks_outputs(packaged):
    stage, path = packaged
    template = Template.load(path, {**GIVEN, "DefaultTimeZone": "Europe/Berlin"})

    outputs = template.resolve({name: o["Value"] for name, o in template.body["Outputs"].items()})

    assert outputs["TablePrefix"] == f"portico-{stage}-" and outputs["DefaultTimeZone"] == "Europe/Berlin"


# --- roles -------------------------------------------------------------------------------------

def test_each_function_has_a_role_of_its_own_and_chalices_policy_is_replaced_in_every_one(template):
    roles = {name: template.role_of(name) for name in FUNCTIONS}

    assert len(set(roles.values())) == len(FUNCTIONS)
    for role in roles.values():
        assert not any(s.get("Sid") == "ReplacedByInfraGenerate" for s in template.statements(role)), role


def test_every_route_is_one_invocation_of_the_api_function_with_no_authorizer_in_front(template):
    # Given the API as the template declares it to API Gateway
    api = template.resources["RestAPI"]["Properties"]["DefinitionBody"]
    methods = {(method, path): operation for path, operations in api["paths"].items()
               for method, operation in operations.items() if isinstance(operation, dict)}

    # Then no route runs an authorizer first (a second Lambda invocation): every one integrates the
    # API function alone, which checks the session or key itself
    assert methods and not api.get("securityDefinitions")
    assert [key for key, operation in methods.items() if operation.get("security")] == []
    assert not template.of_type("AWS::ApiGateway::Authorizer")
    assert {"APIHandler" in json.dumps(operation["x-amazon-apigateway-integration"]["uri"])
            for operation in methods.values()} == {True}
    assert set(template.functions()) == FUNCTIONS


def test_only_the_api_function_may_seal_and_open_second_factor_keys_with_the_stages_kms_key(template):
    key = template.get_att("SealedSecretsKey", "Arn")
    assert template.resources["SealedSecretsKey"]["Properties"]["EnableKeyRotation"] is True
    assert template.environment("APIHandler")["PORTICO_SECRETS_KEY"] == key
    for action in ("kms:Encrypt", "kms:Decrypt"):
        assert allows(template.statements(template.role_of("APIHandler")), action, key)
        for function in FUNCTIONS - {"APIHandler"}:
            assert not allows(template.statements(template.role_of(function)), action, key), function


def test_only_deletable_tables_can_lose_items_and_the_books_never(template, packaged):
    from chalicelib.tables import MODELS
    stage, _ = packaged
    for function in FUNCTIONS:
        statements = template.statements(template.role_of(function))
        deletable = {m.Meta.logical_name for m in MODELS
                     if allows(statements, "dynamodb:DeleteItem", TABLE % (stage, m.Meta.logical_name))}
        assert all(m.Meta.deletable for m in MODELS if m.Meta.logical_name in deletable), function
        assert not deletable & {"invoices", "payments", "credit_notes", "activity", "ledger"}, function


def test_email_is_sent_only_as_the_sender_address_and_stripe_secrets_read_only_when_named(packaged):
    stage, path = packaged
    without = Template.load(path, GIVEN)
    with_stripe = Template.load(path, {**GIVEN, "StripeSecretKeyParameter": "/acme/stripe/secret"})
    identity = f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/billing@acme.example"
    secret = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/acme/stripe/secret"

    api = with_stripe.statements(with_stripe.role_of("APIHandler"))
    assert allows(api, "ses:SendRawEmail", identity, {"ses:FromAddress": "billing@acme.example"})
    assert not allows(api, "ses:SendRawEmail", identity, {"ses:FromAddress": "ceo@acme.example"})
    assert allows(api, "ssm:GetParameter", secret)
    assert not allows(api, "ssm:GetParameter", f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/other/secret")
    assert allows(with_stripe.statements(with_stripe.role_of("DueWorkWorker")), "ssm:GetParameter", secret)
    # the reconciliation asks Stripe about payments still waiting; the discovery of due work does not
    assert allows(with_stripe.statements(with_stripe.role_of("ReconcilePayments")), "ssm:GetParameter", secret)
    assert not allows(with_stripe.statements(with_stripe.role_of("RunDueWork")), "ssm:GetParameter", secret)
    assert not allows(with_stripe.statements(with_stripe.role_of("SendQueuedEmail")), "ssm:GetParameter", secret)
    assert not any(s["Sid"] == "StripeParameters" for s in without.statements(without.role_of("APIHandler")))


# --- operations --------------------------------------------------------------------------------

def test_the_jobs_time_budget_is_derived_from_its_timeout_and_leaves_room_for_its_last_item(template):
    for name in ("RunDueWork", "ReconcilePayments"):
        job = template.functions()[name]
        budget = float(template.environment(name)["PORTICO_JOB_BUDGET_SECONDS"])

        assert 0 < budget and budget + JOB_LAST_ITEM_SECONDS <= job["Timeout"], name


def test_the_discovery_of_due_work_reads_the_subscriptions_and_only_the_reconciliation_settles_payments(packaged):
    stage, path = packaged
    template = Template.load(path, GIVEN)
    discovery = template.statements(template.role_of("RunDueWork"))
    reconciliation = template.statements(template.role_of("ReconcilePayments"))

    # The discovery queries the `due` index and sends to the queue; it writes nothing, charges nothing
    assert allows(discovery, "dynamodb:Query", TABLE % (stage, "subscriptions") + "/index/due")
    assert allows(discovery, "sqs:SendMessage", template.get_att("DueWorkQueue", "Arn"))
    assert not any(allows(discovery, action, TABLE % (stage, table))
                   for action in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")
                   for table in ("payments", "invoices", "ledger", "rate_counters"))
    # The reconciliation writes the books and the velocity counters, and sends no email (the outbox does)
    assert all(allows(reconciliation, "dynamodb:UpdateItem", TABLE % (stage, table))
               for table in ("payments", "invoices", "ledger", "rate_counters", "emails"))
    assert not allows(reconciliation, "ses:SendRawEmail",
                      f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/billing@acme.example", {"ses:FromAddress":
                                                                                       "billing@acme.example"})
    assert not allows(reconciliation, "sqs:SendMessage", template.get_att("DueWorkQueue", "Arn"))


def test_the_scheduled_functions_send_failed_invocations_to_a_queue_an_alarm_watches(template):
    for name in ("SendQueuedEmail", "RunDueWork", "ReconcilePayments"):
        destination = template.functions()[name]["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]
        queue = destination["Destination"]["Fn::GetAtt"][0]
        assert (destination["Type"], template.resources[queue]["Type"]) == ("SQS", "AWS::SQS::Queue")
        assert allows(template.statements(template.role_of(name)), "sqs:SendMessage",
                      template.get_att(queue, "Arn"))
    assert _alarm_on(template, "ApproximateNumberOfMessagesVisible")


def test_every_function_logs_to_a_group_of_its_own_kept_for_the_retention_asked(template):
    for name, function in template.functions().items():
        group = function["LoggingConfig"]["LogGroup"]["Ref"]
        assert template.resources[group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
        assert allows(template.statements(template.role_of(name)), "logs:PutLogEvents",
                      template.get_att(group, "Arn").replace(":*", ":log-stream:x"))


def test_the_api_stage_is_traced_throttled_and_access_logged_without_secrets(template):
    api = template.resources["RestAPI"]["Properties"]
    [settings] = api["MethodSettings"]
    access_log = api["AccessLogSetting"]["Format"]

    assert api["TracingEnabled"] is True
    assert (settings["ThrottlingRateLimit"], settings["ThrottlingBurstLimit"]) == \
        ({"Ref": "ApiRateLimit"}, {"Ref": "ApiBurstLimit"})
    assert settings["DataTraceEnabled"] is False   # execution logs would hold whole requests
    fields = json.loads(access_log)
    assert {"$context.requestId", "$context.status", "$context.resourcePath"} <= set(fields.values())
    for secret in ("authorizer", "Authorization", "header", "$input", "token"):
        assert secret.lower() not in access_log.lower(), secret


def test_a_waf_rate_rule_per_source_ip_guards_the_api_stage_only_when_the_merchant_asks(packaged):
    _stage, path = packaged
    # Given a stage deployed with the defaults, and one asking for at most 2,000 requests per IP in 5 minutes
    default, guarded = Template.load(path, GIVEN), Template.load(path, {**GIVEN, "WafRateLimit": "2000"})
    acl, association = (default.resources[name] for name in ("ApiWebAcl", "ApiWebAclAssociation"))

    # Then both WAF resources exist only under the HasWaf condition, false by default...
    assert acl["Condition"] == association["Condition"] == "HasWaf"
    assert default.condition("HasWaf") is False and guarded.condition("HasWaf") is True
    # ...and the web ACL blocks an IP over the limit with 429, on the API's stage
    properties = guarded.resolve(acl["Properties"])
    assert properties["Scope"] == "REGIONAL" and properties["DefaultAction"] == {"Allow": {}}
    [rule] = properties["Rules"]
    assert rule["Statement"] == {"RateBasedStatement": {"Limit": "2000", "AggregateKeyType": "IP"}}
    assert rule["Action"] == {"Block": {"CustomResponse": {"ResponseCode": 429}}}
    attached = guarded.resolve(association["Properties"])
    assert attached["ResourceArn"] == f"arn:aws:apigateway:{REGION}::/restapis/portico-rehearsal-RestAPI/stages/api"
    assert attached["WebACLArn"] == guarded.get_att("ApiWebAcl", "Arn")


def test_the_merchant_may_set_the_applications_rate_limits(packaged):
    _stage, path = packaged
    template = Template.load(path, {**GIVEN, "RateLimitOverrides": "payment_customer=20"})

    assert template.environment("APIHandler")["PORTICO_RATE_LIMITS"] == "payment_customer=20"
    assert Template.load(path, GIVEN).environment("APIHandler")["PORTICO_RATE_LIMITS"] == ""


def test_answers_that_must_not_tell_whether_an_account_exists_take_a_floor_the_merchant_may_raise(packaged):
    _stage, path = packaged
    assert Template.load(path, GIVEN).environment("APIHandler")["PORTICO_UNTELLING_ANSWER_MS"] == "250"
    raised = Template.load(path, {**GIVEN, "UntellingAnswerMs": "400"})
    assert raised.environment("APIHandler")["PORTICO_UNTELLING_ANSWER_MS"] == "400"


def test_x_ray_traces_the_share_of_api_requests_the_merchant_sets_by_default_one_in_twenty(packaged):
    _stage, path = packaged
    # Given a stage deployed with the defaults, and one asking for every tenth request
    default, tenth = Template.load(path, GIVEN), Template.load(path, {**GIVEN, "TraceSampleRate": "0.1"})

    # Then API Gateway's sampling rule for this API's stage traces 5% without a reservoir...
    [rule] = (default.resolve(r["Properties"]["SamplingRule"])
              for r in default.of_type("AWS::XRay::SamplingRule").values())
    api_name = default.resolve(default.resources["RestAPI"]["Properties"]["Name"])
    assert (rule["ServiceName"], rule["ServiceType"]) == (f"{api_name}/api", "AWS::ApiGateway::Stage")
    assert (float(rule["FixedRate"]), int(rule["ReservoirSize"])) == (0.05, 0)
    assert len(rule["RuleName"]) <= 32
    # ...or the share the merchant sets
    [asked] = (tenth.resolve(r["Properties"]["SamplingRule"]) for r in tenth.of_type("AWS::XRay::SamplingRule").values())
    assert float(asked["FixedRate"]) == 0.1


def test_alarms_watch_errors_left_over_work_failures_webhooks_payments_and_the_due_work_backlog(template):
    alarms = template.of_type("AWS::CloudWatch::Alarm")
    topic = {"Ref": "AlarmTopic"}

    # Then each concern has its alarm
    assert _alarm_on(template, "5XXError")
    assert {a["Properties"]["Dimensions"][0]["Value"]["Ref"] for a in alarms.values()
            if a["Properties"].get("MetricName") == "Errors"} == {"RunDueWork", "SendQueuedEmail", "DueWorkWorker",
                                                                    "ReconcilePayments"}
    for metric in ("JobItemsFailed", "JobItemsLeftOver", "WebhooksRejected", "PaymentsFailed", "EmailsFailed",
                   "ApproximateAgeOfOldestMessage"):
        assert _alarm_on(template, metric), metric
    # and every alarm tells the topic, which the alarm email subscribes to
    assert all(a["Properties"]["AlarmActions"] == [topic] for a in alarms.values())
    [subscription] = template.of_type("AWS::SNS::Subscription").values()
    assert subscription["Properties"] == {"TopicArn": topic, "Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}}
    # and the Portico metrics they watch are ones the code emits
    assert _portico_metrics(alarms) == {"JobItemsFailed", "JobItemsLeftOver", "WebhooksRejected", "PaymentsFailed",
                                        "PaymentsSucceeded", "EmailsFailed"} and _portico_metrics(alarms) <= set(metrics.NAMES)


def _alarm_on(template: Template, metric: str) -> bool:
    return metric in {name for _, name in _metrics(template.of_type("AWS::CloudWatch::Alarm"))}


def _portico_metrics(alarms: dict) -> set[str]:
    return {name for namespace, name in _metrics(alarms) if namespace == metrics.NAMESPACE}


def _metrics(alarms: dict) -> set[tuple[str, str]]:
    found = set()
    for alarm in alarms.values():
        properties = alarm["Properties"]
        if "MetricName" in properties:
            found.add((properties["Namespace"], properties["MetricName"]))
        found |= {(q["MetricStat"]["Metric"]["Namespace"], q["MetricStat"]["Metric"]["MetricName"])
                  for q in properties.get("Metrics", []) if "MetricStat" in q}
    return found
