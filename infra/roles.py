"""One IAM role per function, with only what that function uses: which tables it reads, writes
or deletes from, whether it sends email, which Stripe parameters it reads. The rehearsal
(tests/integration/test_rehearsal.py) runs each function under its own role and fails on any call
the role does not allow.

DynamoDB transactions need no action of their own: each item in one is allowed by the action it
performs (PutItem, UpdateItem, DeleteItem, ConditionCheckItem, GetItem)."""
from __future__ import annotations

from dataclasses import dataclass

from .functions import Function
from .parameters import DUE_WORK_QUEUE, STRIPE_PARAMETERS

READS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:DescribeTable"]
WRITES = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"]
# Only on tables declared `deletable` (tables/base.py): the books cannot be deleted even by a bug.
# BatchWriteItem is how PynamoDB's batch_write deletes (all sessions of an account).
DELETES = ["dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
EVERY_TABLE = ("*",)
EVERY_DELETABLE = ("deletable",)
# What doing due work or settling payments touches: the books of the subscriptions billed and the
# payments charged, the outbox of the emails they send (receipts, renewal failures), idempotency
# (the payment claims released) and rate_counters (a portal payment finished as failed counts
# against the customer's velocity limits, services/payments/velocity.py).
BOOKS = ("account_summaries", "activity", "credit_notes", "customers", "emails", "idempotency", "invoices",
         "ledger", "notifications", "organizations", "payment_methods", "payments", "rate_counters", "sequences",
         "subscriptions")

@dataclass(frozen=True)
class Access:
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    deletes: tuple[str, ...] = ()
    sends_email: bool = False
    stripe: tuple[str, ...] = ()          # keys of parameters.STRIPE_PARAMETERS
    failure_destination: bool = False     # a scheduled function's on-failure queue
    sends_due_work: bool = False          # discovery: sends to the due-work queue
    takes_due_work: bool = False          # the worker: its event source reads and deletes with its role
    seals_secrets: bool = False           # seals and opens second-factor keys with the stage's KMS key


ACCESS = {
    # Email goes through the outbox (the send_queued_email job), but a merchant's invitation is sent
    # by the request itself, and a test clock advanced from the admin API runs the due work, which
    # sends its notices: the API still sends email.
    "api_handler": Access(reads=EVERY_TABLE, writes=EVERY_TABLE, deletes=EVERY_DELETABLE, sends_email=True,
                          stripe=("secret", "publishable", "webhook"), seals_secrets=True),
    # The passkey routes (infra/functions.py): the ceremonies' challenges (one_time_tokens), the
    # passkeys, the account signing in (portal_users, read in one batch with its organization,
    # customer and failure counter), the session started or checked, and the sign-in limits.
    "passkeys_handler": Access(reads=("customers", "one_time_tokens", "organizations", "passkeys", "portal_users",
                                      "rate_counters", "sessions"),
                               writes=("one_time_tokens", "passkeys", "rate_counters", "sessions"),
                               deletes=("passkeys", "rate_counters", "sessions")),
    # the email job renders an email's PDF (or sends the copy kept: rendered_documents), with the
    # organization's logo, and makes the action link an email carries as it sends it
    "send_queued_email": Access(reads=("emails", "organizations", "customers", "invoices", "estimates",
                                       "rendered_documents", "logos"),
                                writes=("emails", "action_links", "rendered_documents"), sends_email=True,
                                failure_destination=True),
    # discovery reads the subscriptions' `due` index and queues what it finds: the worker does the work
    "run_due_work": Access(reads=("subscriptions",), sends_due_work=True, failure_destination=True),
    "due_work_worker": Access(reads=BOOKS, writes=BOOKS, deletes=("idempotency",), sends_email=True,
                              stripe=("secret",), takes_due_work=True),
    # settles the payments still waiting for Stripe by asking it; the receipts go through the outbox
    "reconcile_payments": Access(reads=BOOKS, writes=BOOKS, deletes=("idempotency",),
                                 stripe=("secret",), failure_destination=True),
}
# Who may take a function's role: Lambda (as in the roles Chalice makes).
LAMBDA_TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
TAKES_FROM_QUEUE = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                    "sqs:GetQueueAttributes"]


def role_policies(function: Function, tables: dict[str, bool], prefix: str) -> list[dict]:
    """The role's policies; `tables`: every table's logical name -> deletable; `prefix`: the stage's."""
    access = ACCESS[function.name]
    statements = [
        *_table_statement("Reads", READS, _names(access.reads, tables), prefix, indexes=True),
        *_table_statement("Writes", WRITES, _names(access.writes, tables), prefix),
        *_table_statement("Deletes", DELETES, _names(access.deletes, tables), prefix),
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": {"Fn::GetAtt": [log_group_id(function), "Arn"]}},
        {"Sid": "Tracing", "Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
         "Resource": "*"},
    ]
    if access.sends_email:
        statements.append(_email_statement())
    if access.seals_secrets:
        statements.append({"Sid": "SealedSecrets", "Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt"],
                           "Resource": {"Fn::GetAtt": ["SealedSecretsKey", "Arn"]}})
    if access.failure_destination:
        statements.append({"Sid": "FailureDestination", "Effect": "Allow", "Action": ["sqs:SendMessage"],
                           "Resource": {"Fn::GetAtt": ["ScheduledFailures", "Arn"]}})
    due_work_queue = {"Fn::GetAtt": [DUE_WORK_QUEUE, "Arn"]}
    if access.sends_due_work:
        statements.append({"Sid": "SendsDueWork", "Effect": "Allow", "Action": ["sqs:SendMessage"],
                           "Resource": due_work_queue})
    if access.takes_due_work:
        statements.append({"Sid": "TakesDueWork", "Effect": "Allow", "Action": TAKES_FROM_QUEUE,
                           "Resource": due_work_queue})
    document = {"Version": "2012-10-17", "Statement": statements}
    if access.stripe:
        document["Statement"].append(_stripe_statement(access.stripe))
    return [{"PolicyName": f"{function.role_id}Policy", "PolicyDocument": document}]


def log_group_id(function: Function) -> str:
    return f"{function.logical_id}LogGroup"


def _names(wanted: tuple[str, ...], tables: dict[str, bool]) -> list[str]:
    if wanted == EVERY_TABLE:
        return sorted(tables)
    if wanted == EVERY_DELETABLE:
        return sorted(name for name, deletable in tables.items() if deletable)
    unknown = [name for name in wanted if name not in tables]
    if unknown:
        raise ValueError(f"no such tables: {unknown}")
    return sorted(wanted)


def _table_statement(sid: str, actions: list[str], names: list[str], prefix: str, *,
                     indexes: bool = False) -> list[dict]:
    if not names:
        return []
    tables = [f"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{prefix}{name}"
              for name in names]
    arns = tables + ([f"{table}/index/*" for table in tables] if indexes else [])
    return [{"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": [{"Fn::Sub": arn} for arn in arns]}]


def _email_statement() -> dict:
    """Raw email, only from the sender address (its own identity, or its domain's)."""
    domain = {"Fn::Select": [1, {"Fn::Split": ["@", {"Ref": "SenderAddress"}]}]}
    identity = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${Identity}"
    return {"Sid": "Email", "Effect": "Allow", "Action": ["ses:SendRawEmail"],
            "Resource": [{"Fn::Sub": [identity, {"Identity": {"Ref": "SenderAddress"}}]},
                         {"Fn::Sub": [identity, {"Identity": domain}]}],
            "Condition": {"StringEquals": {"ses:FromAddress": {"Ref": "SenderAddress"}}}}


def _stripe_statement(keys: tuple[str, ...]) -> dict:
    """Reading the Stripe parameters the stage names (none when it names none)."""
    if len(keys) not in (1, len(STRIPE_PARAMETERS)):
        raise ValueError("a function reads one Stripe parameter or all of them")
    names = [STRIPE_PARAMETERS[key] for key in keys]
    arns = {name: {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${"
                              + name + "}"} for name in names}
    if len(names) == 1:
        condition, resources = f"Has{names[0]}", [arns[names[0]]]
    else:
        condition = "HasAnyStripeParameter"
        resources = [{"Fn::If": [f"Has{name}", arns[name], {"Ref": "AWS::NoValue"}]} for name in names]
    statement = {"Sid": "StripeParameters", "Effect": "Allow", "Action": ["ssm:GetParameter"], "Resource": resources}
    return {"Fn::If": [condition, statement, {"Ref": "AWS::NoValue"}]}
