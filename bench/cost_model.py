"""What a merchant's portal costs a month on AWS: 10,000 customers sending 20 API requests each, in
the mix below, priced from the units bench/warm_cpu.py measures per route (Lambda invocations, CPU,
DynamoDB calls and request units, emails, bytes logged) and the list prices below (us-east-1, free
tiers left out: an account's free tier is shared with whatever else it runs).

Left out: the scheduled functions (renewals, sending queued email: their DynamoDB units and Lambda
time), DynamoDB storage and backups, data transfer out, CloudWatch metrics and alarms."""
from __future__ import annotations

from dataclasses import dataclass

# --- list prices, us-east-1, as published on 2025-08-01 (the latest change included: Lambda bills
# the INIT phase of ZIP functions from that day) ------------------------------------------------
PRICES_AS_OF = "2025-08-01"
# https://aws.amazon.com/api-gateway/pricing/ (REST APIs, the first 333 million requests a month)
API_GATEWAY_PER_MILLION_REQUESTS = 3.50
# https://aws.amazon.com/lambda/pricing/ (x86, the first 6 billion GB-seconds a month)
LAMBDA_PER_MILLION_REQUESTS = 0.20
LAMBDA_PER_GB_SECOND = 0.0000166667
# https://aws.amazon.com/dynamodb/pricing/on-demand/ (on-demand, halved on 2024-11-01)
DYNAMODB_PER_MILLION_READ_UNITS = 0.125
DYNAMODB_PER_MILLION_WRITE_UNITS = 0.625
# https://aws.amazon.com/ses/pricing/ (outbound email, no attachments over the included size)
SES_PER_THOUSAND_EMAILS = 0.10
# https://aws.amazon.com/xray/pricing/ (traces recorded)
XRAY_PER_MILLION_TRACES = 5.00
# https://aws.amazon.com/cloudwatch/pricing/ (Logs, Standard class)
LOGS_PER_GB_INGESTED = 0.50
LOGS_PER_GB_MONTH_STORED = 0.03

# --- the merchant -------------------------------------------------------------------------------
CUSTOMERS = 10_000
# A customer's month, 20 requests: signing in twice, looking around, one payment.
MIX: dict[tuple[str, str], int] = {
    ("POST", "/portal/auth/login"): 2,
    ("GET", "/portal/me"): 4,
    ("GET", "/portal/dashboard"): 3,
    ("GET", "/portal/invoices"): 3,
    ("GET", "/portal/invoices/{invoice_id}"): 2,
    ("GET", "/portal/invoices/{invoice_id}/pdf"): 1,
    ("GET", "/portal/subscriptions"): 2,
    ("GET", "/portal/payment-methods"): 1,
    ("GET", "/portal/payments"): 1,
    ("POST", "/portal/payments"): 1,
}

# --- how measured units become billed ones --------------------------------------------------------
# https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html: a whole vCPU at 1,769 MB,
# a share in proportion below; a second of this machine's CPU is taken as a second of that vCPU.
FULL_VCPU_MB = 1769
# https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/: "INITs
# (cold starts) typically occur in under 1% of invocations" in production workloads.
COLD_START_SHARE = 0.01
# Waiting on AWS within the region (assumed): a DynamoDB call, an SES send.
DYNAMODB_CALL_SECONDS = 0.005
OTHER_AWS_CALL_SECONDS = 0.030
# Lambda's own lines per invocation (START, END, REPORT in the Text format) and API Gateway's access
# log line (infra/operations.py's format with its values), in bytes.
PLATFORM_LOG_BYTES = 330
ACCESS_LOG_BYTES = 600


@dataclass(frozen=True)
class RouteUsage:
    """One request of a route, as measured."""
    lambdas: int                 # invocations (2 with a token authorizer that caches nothing)
    cpu_seconds: float           # all its invocations, on the bench machine
    dynamodb_calls: int
    other_aws_calls: int         # made before answering (SES, ...)
    read_units: float
    write_units: float
    emails: int
    log_bytes: int               # what the functions logged


@dataclass(frozen=True)
class Deployment:
    memory_mb: int               # the API functions' (the prod stage's lambda_memory_size)
    trace_sample_rate: float     # TraceSampleRate's default
    log_retention_days: int      # LogRetentionDays' default
    cold_start_seconds: float    # import app + first GET /portal/me, on the bench machine


@dataclass(frozen=True)
class Line:
    item: str
    usage: str
    dollars: float


def lambda_seconds(usage: RouteUsage, memory_mb: int) -> float:
    """Billed seconds of one warm request: CPU slowed to the function's vCPU share, the waits on
    AWS, each invocation rounded up to the millisecond (half a millisecond on average)."""
    cpu = usage.cpu_seconds * max(1.0, FULL_VCPU_MB / memory_mb)
    waits = usage.dynamodb_calls * DYNAMODB_CALL_SECONDS + usage.other_aws_calls * OTHER_AWS_CALL_SECONDS
    return cpu + waits + usage.lambdas * 0.0005


def monthly_cost(usage: dict[tuple[str, str], RouteUsage], deployment: Deployment,
                 mix: dict[tuple[str, str], int] = MIX, customers: int = CUSTOMERS) -> list[Line]:
    """The month's bill by item, largest first."""
    counts = {route: per_customer * customers for route, per_customer in mix.items()}
    requests = sum(counts.values())

    def total(measure) -> float:
        return sum(n * measure(usage[route]) for route, n in counts.items())

    invocations = total(lambda u: u.lambdas)
    gb = deployment.memory_mb / 1024
    warm_gb_seconds = total(lambda u: lambda_seconds(u, deployment.memory_mb)) * gb
    cold_starts = invocations * COLD_START_SHARE
    cold_gb_seconds = cold_starts * deployment.cold_start_seconds * max(1.0, FULL_VCPU_MB / deployment.memory_mb) * gb
    read_units, write_units, emails = total(lambda u: u.read_units), total(lambda u: u.write_units), total(
        lambda u: u.emails)
    traces = requests * deployment.trace_sample_rate
    log_gb = total(lambda u: u.log_bytes + u.lambdas * PLATFORM_LOG_BYTES + ACCESS_LOG_BYTES) / 1e9
    stored_gb_months = log_gb * deployment.log_retention_days / 30   # in the steady state
    lines = [
        Line("API Gateway (REST)", f"{requests:,.0f} requests", requests / 1e6 * API_GATEWAY_PER_MILLION_REQUESTS),
        Line("Lambda requests", f"{invocations:,.0f} invocations", invocations / 1e6 * LAMBDA_PER_MILLION_REQUESTS),
        Line("Lambda duration, warm", f"{warm_gb_seconds:,.0f} GB-s", warm_gb_seconds * LAMBDA_PER_GB_SECOND),
        Line("Lambda duration, cold starts", f"{cold_starts:,.0f} cold starts, {cold_gb_seconds:,.0f} GB-s",
             cold_gb_seconds * LAMBDA_PER_GB_SECOND),
        Line("DynamoDB reads", f"{read_units:,.0f} RRU", read_units / 1e6 * DYNAMODB_PER_MILLION_READ_UNITS),
        Line("DynamoDB writes", f"{write_units:,.0f} WRU", write_units / 1e6 * DYNAMODB_PER_MILLION_WRITE_UNITS),
        Line("SES", f"{emails:,.0f} emails", emails / 1000 * SES_PER_THOUSAND_EMAILS),
        Line("X-Ray", f"{traces:,.0f} traces ({deployment.trace_sample_rate:.0%} sampled)",
             traces / 1e6 * XRAY_PER_MILLION_TRACES),
        Line("CloudWatch Logs", f"{log_gb:.2f} GB ingested, {stored_gb_months:.2f} GB-months kept",
             log_gb * LOGS_PER_GB_INGESTED + stored_gb_months * LOGS_PER_GB_MONTH_STORED),
    ]
    return sorted(lines, key=lambda line: -line.dollars)


def section(usage: dict[tuple[str, str], RouteUsage], deployment: Deployment) -> list[str]:
    lines = monthly_cost(usage, deployment)
    total = sum(line.dollars for line in lines)
    requests = sum(MIX.values()) * CUSTOMERS
    top = [line for line in lines if line.dollars >= 0.1 * total]
    mix = ", ".join(f"{n} {method} {path}" for (method, path), n in MIX.items())
    return [f"{CUSTOMERS:,} customers x {sum(MIX.values())} requests a month ({mix}), priced with "
            "bench/cost_model.py's "
            f"list prices (us-east-1, as of {PRICES_AS_OF}, free tiers left out), API functions at "
            f"{deployment.memory_mb} MB, {COLD_START_SHARE:.0%} of invocations cold:", "",
            "| item | usage | $ / month | share |", "|---|---|---|---|",
            *(f"| {line.item} | {line.usage} | {line.dollars:,.2f} | {line.dollars / total:.0%} |" for line in lines),
            f"| **total** | {requests:,} requests | **{total:,.2f}** | ${total / requests * 1e6:,.2f} per million "
            "requests |", "",
            "Dominated by " + " and ".join(f"{line.item} ({line.dollars / total:.0%})" for line in top) + ".", "",
            f"Assumptions (bench/cost_model.py): a second of this machine's CPU is a second of Lambda's vCPU, "
            f"which a {deployment.memory_mb} MB function gets {min(1.0, deployment.memory_mb / FULL_VCPU_MB):.0%} of; "
            f"{DYNAMODB_CALL_SECONDS * 1000:.0f} ms waiting per DynamoDB call and "
            f"{OTHER_AWS_CALL_SECONDS * 1000:.0f} ms per SES call; a cold start costs this machine's import + first "
            "`GET /portal/me`, on every invocation kind; Lambda's and API Gateway's own log lines "
            f"{PLATFORM_LOG_BYTES} and {ACCESS_LOG_BYTES} bytes. Not in it: the scheduled functions, DynamoDB "
            "storage, data transfer, metrics and alarms."]
