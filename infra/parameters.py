"""What a merchant sets when deploying (the template's Parameters), and the environment each
function reads them from (chalicelib/config.py). Secrets are never parameters: the Stripe keys
are the *names* of SSM parameters, read by the functions when first needed."""
from __future__ import annotations

from chalicelib.config import job_budget_for

from .functions import Function

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
SSM_NAME = r"^$|^(/[A-Za-z0-9_.-]+)+$"   # empty: not used

PARAMETERS = {
    "PortalUrl": {
        "Type": "String", "AllowedPattern": r"^https://[^\s/]+(/\S*)?$",
        "Description": "Where customers open the portal (links in emails): a custom domain, or the "
                       "EndpointURL output without its trailing slash, e.g. https://abc.execute-api.eu-west-1"
                       ".amazonaws.com/api"},
    "SenderAddress": {
        "Type": "String", "AllowedPattern": EMAIL,
        "Description": "The address emails come from; an SES identity (this stack creates it: confirm the "
                       "verification email, or verify its domain)"},
    "AlarmEmail": {
        "Type": "String", "AllowedPattern": EMAIL,
        "Description": "Who receives the alarms (confirm the SNS subscription email)"},
    "DefaultTimeZone": {
        "Type": "String", "Default": "UTC", "AllowedPattern": r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$",
        "Description": "IANA time zone of organizations created without one (where their billing days begin); "
                       "read by the operator's CLI (make cli), which creates organizations"},
    "StripeSecretKeyParameter": {
        "Type": "String", "Default": "", "AllowedPattern": SSM_NAME,
        "Description": "Name of the SSM SecureString holding the Stripe secret key (sk_live_...); empty: "
                       "no Stripe"},
    "StripePublishableKeyParameter": {
        "Type": "String", "Default": "", "AllowedPattern": SSM_NAME,
        "Description": "Name of the SSM parameter holding the Stripe publishable key (pk_live_...)"},
    "StripeWebhookSecretParameter": {
        "Type": "String", "Default": "", "AllowedPattern": SSM_NAME,
        "Description": "Name of the SSM SecureString holding the webhook endpoint's signing secret (whsec_...)"},
    "AllowSimulatedPayments": {
        "Type": "String", "Default": "false", "AllowedValues": ["false", "true"],
        "Description": "Without Stripe, may customers 'pay' on the simulated gateway (Stripe's test cards, "
                       "no money moves)? Only for a demo or test stage"},
    "LogRetentionDays": {
        "Type": "Number", "Default": 90,
        "AllowedValues": [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
                          2557, 2922, 3288, 3653],
        "Description": "How long function and API access logs are kept"},
    "ApiRateLimit": {
        "Type": "Number", "Default": 50, "MinValue": 1,
        "Description": "Steady requests per second the API stage accepts before answering 429"},
    "ApiBurstLimit": {
        "Type": "Number", "Default": 100, "MinValue": 1,
        "Description": "Requests the API stage accepts in a burst"},
    "WafRateLimit": {
        "Type": "Number", "Default": 0, "MinValue": 0, "MaxValue": 2000000000,
        "Description": "0: no WAF. Otherwise a WAF web ACL on the API stage blocks (429) a source IP that sends "
                       "more than this many requests in 5 minutes (at least 10; WAF bills the web ACL and its "
                       "requests). The application limits sign-ins and resets per IP and account itself"},
    "RateLimitOverrides": {
        "Type": "String", "Default": "", "AllowedPattern": r"^$|^[a-z_]+=[0-9]+(,[a-z_]+=[0-9]+)*$",
        "Description": "Maxima of the application's named rate limits apart from their defaults, e.g. "
                       "payment_customer=20,card_added_customer=3 (names and defaults: docs/security.md)"},
    "UntellingAnswerMs": {
        "Type": "Number", "Default": 250, "MinValue": 0, "MaxValue": 5000,
        "Description": "Milliseconds a failed sign-in, a reset request or a new sign-in email takes at least, so "
                       "their timing cannot tell whether an account exists; above the slowest such answer "
                       "(raise it with the password hash's cost; docs/security.md)"},
    "TraceSampleRate": {
        "Type": "Number", "Default": 0.05, "MinValue": 0, "MaxValue": 1,
        "Description": "Share of API requests X-Ray traces (0 to 1; 0.05: one in twenty), after the reservoir"},
    "TraceReservoirPerSecond": {
        "Type": "Number", "Default": 0, "MinValue": 0,
        "Description": "API requests per second X-Ray traces before applying the share (X-Ray's own default, 1, "
                       "traces nearly every request of a portal with a few requests a second)"},
    "DueWorkConcurrency": {
        "Type": "Number", "Default": 10, "MinValue": 2, "MaxValue": 1000,
        "Description": "Most due-work workers at once (the SQS event source's maximum concurrency): 10 charge "
                       "~20 renewals a second with a 0.4 s gateway, what DueWorkChargesPerSecond allows; raise "
                       "both together (see docs/deploy.md, Due work at scale)"},
    "DueWorkChargesPerSecond": {
        "Type": "Number", "Default": 20, "MinValue": 1, "MaxValue": 1000,
        "Description": "Most charges a second all due-work workers together start (each paces its own at "
                       "DueWorkConcurrency / this): keep it under Stripe's limit for creating PaymentIntents "
                       "(25 a second in live mode unless Stripe raised it), leaving room for the portal's payments"},
    "DueWorkBatchSize": {
        "Type": "Number", "Default": 10, "MinValue": 1, "MaxValue": 10,
        "Description": "Due-work messages a worker takes at once (each done on its own; only the failed ones "
                       "come back)"},
    "DueWorkPerOrganization": {
        "Type": "Number", "Default": 6000, "MinValue": 1,
        "Description": "Most due items of one organization a discovery (every 5 minutes) queues, about what the "
                       "workers do in 5 minutes (20 charges a second: 6,000): the rest wait for the next, so the "
                       "queue never holds more than a cycle's work in front of another organization's"},
}

DUE_WORK = "run_due_work"   # the discovery of due work (services/subscriptions/scheduled_queue.py)
RECONCILE = "reconcile_payments"   # the payments' reconciliation (services/payments/confirmation.py)
BUDGETED_JOBS = (DUE_WORK, RECONCILE)   # jobs that stop within a time budget their timeout sets
DUE_WORK_WORKER = "due_work_worker"   # paces its charges within the gateway's rate limit
DUE_WORK_QUEUE = "DueWorkQueue"

STRIPE_PARAMETERS = {"secret": "StripeSecretKeyParameter", "publishable": "StripePublishableKeyParameter",
                     "webhook": "StripeWebhookSecretParameter"}

CONDITIONS = {
    **{f"Has{name}": {"Fn::Not": [{"Fn::Equals": [{"Ref": name}, ""]}]} for name in STRIPE_PARAMETERS.values()},
    "HasAnyStripeParameter": {"Fn::Or": [{"Condition": f"Has{name}"} for name in STRIPE_PARAMETERS.values()]},
    "HasWaf": {"Fn::Not": [{"Fn::Equals": [{"Ref": "WafRateLimit"}, "0"]}]},
}


def environment(function: Function) -> dict:
    """The variables every function reads its settings from (chalicelib/config.py)."""
    variables = {
        "PORTICO_PORTAL_URL": {"Ref": "PortalUrl"},
        "PORTICO_EMAIL_SENDER": {"Ref": "SenderAddress"},
        "PORTICO_STRIPE_SECRET_PARAMETER": {"Ref": "StripeSecretKeyParameter"},
        "PORTICO_STRIPE_PUBLISHABLE_KEY_PARAMETER": {"Ref": "StripePublishableKeyParameter"},
        "PORTICO_STRIPE_WEBHOOK_SECRET_PARAMETER": {"Ref": "StripeWebhookSecretParameter"},
        "PORTICO_ALLOW_SIMULATED_PAYMENTS": {"Ref": "AllowSimulatedPayments"},
        "PORTICO_RATE_LIMITS": {"Ref": "RateLimitOverrides"},
        "PORTICO_UNTELLING_ANSWER_MS": {"Ref": "UntellingAnswerMs"},
        "PORTICO_STACK": {"Ref": "AWS::StackName"},   # the metrics' dimension
    }
    if function.name in BUDGETED_JOBS:
        variables["PORTICO_JOB_BUDGET_SECONDS"] = f"{job_budget_for(function.timeout):g}"
    if function.name == DUE_WORK:
        variables["PORTICO_DUE_WORK_QUEUE_URL"] = {"Ref": DUE_WORK_QUEUE}
        variables["PORTICO_DUE_WORK_PER_ORG"] = {"Ref": "DueWorkPerOrganization"}
    if function.name == DUE_WORK_WORKER:
        variables["PORTICO_DUE_WORK_CONCURRENCY"] = {"Ref": "DueWorkConcurrency"}
        variables["PORTICO_DUE_WORK_CHARGES_PER_SECOND"] = {"Ref": "DueWorkChargesPerSecond"}
    if function.kind == "api":   # the one function that pages through lists
        variables["PORTICO_CURSOR_KEY"] = {"Fn::Sub": "{{resolve:secretsmanager:${CursorSigningKey}:SecretString}}"}
        variables["PORTICO_SECRETS_KEY"] = {"Fn::GetAtt": ["SealedSecretsKey", "Arn"]}
    return variables
