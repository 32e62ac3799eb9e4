"""Running the stack: log groups with retention, the API stage's access logs (ids and statuses,
never a header, token or the session's login), throttling, an optional WAF rate-based rule per source
IP (the `WafRateLimit` parameter, off by default) and X-Ray tracing of a share of requests
(the `TraceSampleRate` sampling rule), the gateway's own answers in the API's envelope, a failure
destination for the scheduled functions, the due-work queue with its dead-letter queue and the
worker's event source, and alarms sent to an SNS topic that the alarm email subscribes to.
docs/deploy.md says what each alarm means and what to do."""
from __future__ import annotations

import json

from chalicelib.handlers.gateway_answers import GATEWAY_ANSWERS, SECURITY_HEADERS
from chalicelib.metrics import NAMESPACE

from .functions import Function
from .parameters import DUE_WORK_QUEUE
from .roles import log_group_id

ALARM_TOPIC = "AlarmTopic"
FAILURE_QUEUE = "ScheduledFailures"
DUE_WORK_DEAD_LETTERS = "DueWorkDeadLetters"
# A due-work message is delivered this many times (each failure reported by the worker, or its
# invocation failing) before it goes to the dead-letter queue.
DUE_WORK_RECEIVE_LIMIT = 5
ACCESS_LOG_GROUP = "ApiAccessLogGroup"
API = "RestAPI"
API_NAME = "${AWS::StackName}-api"
CURSOR_KEY = "CursorSigningKey"   # a generated secret, resolved into the API function's environment
SECRETS_KEY = "SealedSecretsKey"  # the KMS key that seals second-factor keys (gateways/sealed_secrets.py)
STAGE = "api"
WEB_ACL = "ApiWebAcl"

# One JSON object per request, of API Gateway's $context: who (ids), what, how it went, how long.
ACCESS_LOG_FORMAT = json.dumps({
    "requestId": "$context.requestId", "time": "$context.requestTime", "ip": "$context.identity.sourceIp",
    "method": "$context.httpMethod", "route": "$context.resourcePath", "path": "$context.path",
    "status": "$context.status", "responseLength": "$context.responseLength",
    "latencyMs": "$context.responseLatency", "integrationLatencyMs": "$context.integrationLatency",
    "gatewayError": "$context.error.messageString",
    "xrayTraceId": "$context.xrayTraceId", "userAgent": "$context.identity.userAgent"})


def function_settings(function: Function) -> dict:
    """Merged into the function's properties: its own log group, and for a scheduled function,
    what becomes of an invocation that fails; for a queue's worker, its event source: the stack's
    queue, the batch size and most workers at once the merchant sets, and failures reported per
    message (Chalice has no setting for these)."""
    properties = {"LoggingConfig": {"LogGroup": {"Ref": log_group_id(function)}, "LogFormat": "Text"}}
    if function.kind == "worker":
        properties["Events"] = {f"{function.logical_id}SqsEventSource": {"Properties": {
            "Queue": {"Fn::GetAtt": [DUE_WORK_QUEUE, "Arn"]},
            "BatchSize": {"Ref": "DueWorkBatchSize"},
            "ScalingConfig": {"MaximumConcurrency": {"Ref": "DueWorkConcurrency"}},
            "FunctionResponseTypes": ["ReportBatchItemFailures"]}}}
    if function.kind == "job":
        properties["EventInvokeConfig"] = {
            "MaximumRetryAttempts": 1, "MaximumEventAgeInSeconds": 900,
            "DestinationConfig": {"OnFailure": {"Type": "SQS",
                                                "Destination": {"Fn::GetAtt": [FAILURE_QUEUE, "Arn"]}}}}
    return properties


def resources(functions: list[Function]) -> dict:
    found = {log_group_id(f): _log_group(f"/aws/lambda/${{AWS::StackName}}-{f.logical_id}") for f in functions}
    found[ACCESS_LOG_GROUP] = _log_group("/aws/apigateway/${AWS::StackName}-access")
    found[FAILURE_QUEUE] = {"Type": "AWS::SQS::Queue", "Properties": {
        "MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True}}
    found.update(due_work_queues(_worker_timeout(functions)))
    found[ALARM_TOPIC] = {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "Portico alarms"}}
    found["AlarmEmailSubscription"] = {"Type": "AWS::SNS::Subscription", "Properties": {
        "TopicArn": {"Ref": ALARM_TOPIC}, "Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}}}
    found["ApiTraceSampling"] = trace_sampling_rule()
    found.update(_api_gateway_logging_role())
    found.update(alarms({f.name: f for f in functions}))
    found.update(gateway_responses())
    found[CURSOR_KEY] = {"Type": "AWS::SecretsManager::Secret", "Properties": {
        "Description": {"Fn::Sub": "Signs the pagination cursors of ${AWS::StackName}'s API"},
        "GenerateSecretString": {"PasswordLength": 48, "ExcludePunctuation": True}}}
    found[SECRETS_KEY] = {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                          "Properties": {
        "Description": {"Fn::Sub": "Seals the second-factor keys of ${AWS::StackName}'s portal accounts"},
        "EnableKeyRotation": True,
        # the account administers the key; the API function's role is granted its use (infra/roles.py)
        "KeyPolicy": {"Version": "2012-10-17", "Statement": [{
            "Sid": "AccountAdministers", "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
            "Action": "kms:*", "Resource": "*"}]}}}
    found.update(web_acl())
    return found


def web_acl() -> dict:
    """Only with the `HasWaf` condition: a regional WAF web ACL on the API stage whose one rule blocks,
    with 429, a source IP that sends more than `WafRateLimit` requests in 5 minutes, before they reach
    API Gateway's shared stage throttle or a function. The outer layer for a flood spread over many
    accounts and organizations; the application's own limits (docs/security.md) stay finer."""
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True}
    return {
        WEB_ACL: {"Type": "AWS::WAFv2::WebACL", "Condition": "HasWaf", "Properties": {
            "Scope": "REGIONAL", "DefaultAction": {"Allow": {}},
            "Description": "Portico: requests per source IP",
            "VisibilityConfig": {**visibility, "MetricName": {"Fn::Sub": "${AWS::StackName}-web-acl"}},
            "Rules": [{
                "Name": "requests-per-ip", "Priority": 0,
                "Statement": {"RateBasedStatement": {"Limit": {"Ref": "WafRateLimit"}, "AggregateKeyType": "IP"}},
                "Action": {"Block": {"CustomResponse": {"ResponseCode": 429}}},
                "VisibilityConfig": {**visibility, "MetricName": {"Fn::Sub": "${AWS::StackName}-requests-per-ip"}}}]}},
        "ApiWebAclAssociation": {
            "Type": "AWS::WAFv2::WebACLAssociation", "Condition": "HasWaf", "DependsOn": [f"{API}{STAGE}Stage"],
            "Properties": {
                "ResourceArn": {"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${"
                                           + API + "}/stages/" + STAGE},
                "WebACLArn": {"Fn::GetAtt": [WEB_ACL, "Arn"]}}},
    }


def gateway_responses() -> dict:
    """What API Gateway answers by itself, in the envelope and with the security headers of every
    answer. The default 4xx and 5xx keep API Gateway's status (a WAF block stays a 403)."""
    found = {}
    for response_type, answer in GATEWAY_ANSWERS.items():
        properties = {
            "RestApiId": {"Ref": API}, "ResponseType": response_type,
            "ResponseTemplates": {"application/json": answer.body},
            "ResponseParameters": {f"gatewayresponse.header.{name}": f"'{value}'"
                                   for name, value in {**SECURITY_HEADERS, "Cache-Control": "no-store"}.items()}}
        if not response_type.startswith("DEFAULT_"):
            properties["StatusCode"] = str(answer.status)
        name = "".join(part.capitalize() for part in response_type.split("_"))
        found[f"GatewayResponse{name}"] = {"Type": "AWS::ApiGateway::GatewayResponse", "Properties": properties}
    return found


def due_work_queues(worker_timeout: int) -> dict:
    """The queue discovery sends due work to, and where a message the worker keeps failing goes.
    A message taken is hidden for six times the worker's timeout (AWS's advice for Lambda event
    sources: a batch retried by the event source is not delivered to a second worker meanwhile)."""
    return {
        DUE_WORK_DEAD_LETTERS: {"Type": "AWS::SQS::Queue", "Properties": {
            "MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True}},
        DUE_WORK_QUEUE: {"Type": "AWS::SQS::Queue", "Properties": {
            "VisibilityTimeout": 6 * worker_timeout, "MessageRetentionPeriod": 86400, "SqsManagedSseEnabled": True,
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [DUE_WORK_DEAD_LETTERS, "Arn"]},
                              "maxReceiveCount": DUE_WORK_RECEIVE_LIMIT}}},
    }


def _worker_timeout(functions: list[Function]) -> int:
    [worker] = [f for f in functions if f.kind == "worker"]
    return worker.timeout


def api_settings() -> dict:
    """Merged into the API: a name of this stack's own, tracing, throttling, access logs."""
    return {"DependsOn": ["ApiGatewayAccount"], "Properties": {
        "Name": {"Fn::Sub": API_NAME},
        "TracingEnabled": True,
        "MethodSettings": [{"ResourcePath": "/*", "HttpMethod": "*", "MetricsEnabled": True,
                            "DataTraceEnabled": False, "LoggingLevel": "OFF",
                            "ThrottlingRateLimit": {"Ref": "ApiRateLimit"},
                            "ThrottlingBurstLimit": {"Ref": "ApiBurstLimit"}}],
        "AccessLogSetting": {"Format": ACCESS_LOG_FORMAT, "DestinationArn": {"Fn::Sub": (
            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${" + ACCESS_LOG_GROUP + "}")}},
    }}


def trace_sampling_rule() -> dict:
    """Which API requests X-Ray traces: API Gateway decides with this rule (its service name is
    "<API name>/<stage>") and Lambda, then the functions' SDK, follow its decision."""
    stack_id = {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}
    return {"Type": "AWS::XRay::SamplingRule", "Properties": {"SamplingRule": {
        # at most 32 characters: the first part of the stack's id makes it unique in the account
        "RuleName": {"Fn::Join": ["-", ["portico", {"Fn::Select": [0, {"Fn::Split": ["-", stack_id]}]}]]},
        "Priority": 1000, "Version": 1,
        "FixedRate": {"Ref": "TraceSampleRate"}, "ReservoirSize": {"Ref": "TraceReservoirPerSecond"},
        "ServiceName": {"Fn::Sub": f"{API_NAME}/{STAGE}"}, "ServiceType": "AWS::ApiGateway::Stage",
        "Host": "*", "HTTPMethod": "*", "URLPath": "*", "ResourceARN": "*"}}}


def outputs(table_prefix: str) -> dict:
    base = "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api"
    return {
        # what the operator's CLI (infra/stack_cli.py) runs with against this stack
        "TablePrefix": {"Description": "The stack's DynamoDB tables are named with this prefix",
                        "Value": table_prefix},
        "DefaultTimeZone": {"Description": "The time zone of organizations created without one",
                            "Value": {"Ref": "DefaultTimeZone"}},
        "StripeWebhookUrl": {"Description": "The endpoint to add in Stripe's dashboard (Developers > Webhooks)",
                             "Value": {"Fn::Sub": base + "/webhooks/stripe"}},
        "AlarmTopicArn": {"Value": {"Ref": ALARM_TOPIC}},
        "ScheduledFailuresQueueUrl": {"Description": "Failed scheduled invocations (see docs/deploy.md)",
                                      "Value": {"Ref": FAILURE_QUEUE}},
        "DueWorkDeadLettersQueueUrl": {"Description": "Due work the worker kept failing (see docs/deploy.md)",
                                       "Value": {"Ref": DUE_WORK_DEAD_LETTERS}},
    }


# --- alarms --------------------------------------------------------------------------------------

def alarms(functions: dict[str, Function]) -> dict:
    return {
        "ApiErrorRateAlarm": _alarm(
            "More than 5% of API requests answered 5xx in 5 minutes (at least 20 requests)",
            metrics=[_api_metric("errors", "5XXError"), _api_metric("requests", "Count"),
                     {"Id": "rate", "Expression": "IF(requests >= 20, 100 * errors / requests, 0)",
                      "Label": "5xx %", "ReturnData": True}],
            threshold=5, periods=1),
        **{f"{functions[name].logical_id}ErrorsAlarm": _alarm(
            f"The scheduled function {name} failed (error or timeout) in 2 of the last 3 runs' periods",
            metric=_lambda_errors(functions[name]), threshold=1, periods=3, datapoints=2)
           for name in ("run_due_work", "reconcile_payments", "send_queued_email")},
        "DueWorkWorkerErrorsAlarm": _alarm(
            "The due-work worker failed whole batches (error or timeout) in 2 of the last 3 periods",
            metric=_lambda_errors(functions["due_work_worker"]), threshold=1, periods=3, datapoints=2),
        "DueWorkDeadLettersAlarm": _alarm(
            "Due work on a subscription failed every delivery and is in the dead-letter queue (its id is in "
            "the message and the worker's logs)",
            metric=_queue_metric(DUE_WORK_DEAD_LETTERS, "ApproximateNumberOfMessagesVisible"), threshold=1,
            periods=1),
        "DueWorkBacklogAlarm": _alarm(
            "Due work has waited in the queue for more than 15 minutes for 15 minutes: the workers cannot keep "
            "up (raise DueWorkChargesPerSecond within the gateway's rate limit, and DueWorkConcurrency with it)",
            metric=_queue_metric(DUE_WORK_QUEUE, "ApproximateAgeOfOldestMessage"), threshold=900, periods=3),
        "JobItemsFailedAlarm": _alarm(
            "Scheduled work on some subscriptions failed in 2 of the last 3 runs (their ids are in the logs)",
            metric=_portico_metric("JobItemsFailed"), threshold=1, periods=3, datapoints=2),
        "JobWorkLeftOverAlarm": _alarm(
            "Due work was left over by every run for 15 minutes: the job cannot keep up",
            metric=_portico_metric("JobItemsLeftOver"), threshold=1, periods=3),
        "ScheduledFailuresAlarm": _alarm(
            "A scheduled invocation failed even after its retry and is in the failure destination",
            metric=_queue_metric(FAILURE_QUEUE, "ApproximateNumberOfMessagesVisible"), threshold=1, periods=1),
        "WebhooksRejectedAlarm": _alarm(
            "Stripe webhooks were refused (bad signature or no signing secret) 3 times in 15 minutes",
            metric=_portico_metric("WebhooksRejected"), threshold=3, periods=1, period=900),
        "PaymentFailureSpikeAlarm": _alarm(
            "Half or more of the payments failed in 15 minutes (at least 10 attempts)",
            metrics=[_portico_query("failed", "PaymentsFailed"), _portico_query("succeeded", "PaymentsSucceeded"),
                     {"Id": "share", "Label": "failed %", "ReturnData": True,
                      "Expression": "IF(failed + succeeded >= 10, 100 * failed / (failed + succeeded), 0)"}],
            threshold=50, periods=1, period=900),
        "EmailsFailedAlarm": _alarm(
            "5 or more email sends failed in 15 minutes (SES sandbox, identity, quota)",
            metric=_portico_metric("EmailsFailed"), threshold=5, periods=1, period=900),
    }


def _alarm(description: str, *, threshold: float, periods: int, datapoints: int | None = None,
           metric: dict | None = None, metrics: list | None = None, period: int = 300) -> dict:
    properties = {"AlarmDescription": description, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                  "Threshold": threshold, "EvaluationPeriods": periods, "DatapointsToAlarm": datapoints or periods,
                  "TreatMissingData": "notBreaching", "AlarmActions": [{"Ref": ALARM_TOPIC}],
                  "OKActions": [{"Ref": ALARM_TOPIC}]}
    if metrics is not None:
        for query in metrics:
            if "MetricStat" in query:
                query["MetricStat"]["Period"] = period
        properties["Metrics"] = metrics
    else:
        properties.update(metric, Period=period)
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": properties}


def _queue_metric(queue: str, name: str) -> dict:
    return {"Namespace": "AWS/SQS", "MetricName": name, "Statistic": "Maximum",
            "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}]}


def _portico_metric(name: str) -> dict:
    return {"Namespace": NAMESPACE, "MetricName": name, "Statistic": "Sum",
            "Dimensions": [{"Name": "Stack", "Value": {"Ref": "AWS::StackName"}}]}


def _portico_query(query_id: str, name: str) -> dict:
    return {"Id": query_id, "ReturnData": False, "MetricStat": {"Stat": "Sum", "Metric": {
        "Namespace": NAMESPACE, "MetricName": name,
        "Dimensions": [{"Name": "Stack", "Value": {"Ref": "AWS::StackName"}}]}}}


def _api_metric(query_id: str, name: str) -> dict:
    return {"Id": query_id, "ReturnData": False, "MetricStat": {"Stat": "Sum", "Metric": {
        "Namespace": "AWS/ApiGateway", "MetricName": name,
        "Dimensions": [{"Name": "ApiName", "Value": {"Fn::Sub": "${AWS::StackName}-api"}},
                       {"Name": "Stage", "Value": STAGE}]}}}


def _lambda_errors(function: Function) -> dict:
    return {"Namespace": "AWS/Lambda", "MetricName": "Errors", "Statistic": "Sum",
            "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": function.logical_id}}]}


def _log_group(name: str) -> dict:
    return {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete",
            "Properties": {"LogGroupName": {"Fn::Sub": name}, "RetentionInDays": {"Ref": "LogRetentionDays"}}}


def _api_gateway_logging_role() -> dict:
    """API Gateway writes access logs with the account's CloudWatch role (one per account and region:
    this sets it; another stack setting it too is harmless)."""
    return {
        "ApiGatewayLoggingRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/"
                                              "AmazonAPIGatewayPushToCloudWatchLogs"}]}},
        "ApiGatewayAccount": {"Type": "AWS::ApiGateway::Account", "Properties": {
            "CloudWatchRoleArn": {"Fn::GetAtt": ["ApiGatewayLoggingRole", "Arn"]}}},
    }
