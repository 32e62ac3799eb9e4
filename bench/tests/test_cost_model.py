"""The bench's cost model turns the units measured per route into a month's bill at list prices:
what each item costs follows from the mix, the units and the prices, whatever the bench measured."""
from bench.cost_model import (API_GATEWAY_PER_MILLION_REQUESTS, COLD_START_SHARE, LAMBDA_PER_MILLION_REQUESTS,
                              SES_PER_THOUSAND_EMAILS, XRAY_PER_MILLION_TRACES, Deployment, RouteUsage,
                              lambda_seconds, monthly_cost)

READ, PAY = ("GET", "/portal/me"), ("POST", "/portal/payments")
MIX = {READ: 19, PAY: 1}


def usage(**changed) -> RouteUsage:
    defaults = dict(lambdas=1, cpu_seconds=0.002, dynamodb_calls=2, other_aws_calls=0, read_units=1.0,
                    write_units=0.0, emails=0, log_bytes=400)
    return RouteUsage(**{**defaults, **changed})


def deployment(**changed) -> Deployment:
    defaults = dict(memory_mb=1024, trace_sample_rate=0.05, log_retention_days=90, cold_start_seconds=1.0)
    return Deployment(**{**defaults, **changed})


def bill(routes: dict, given: Deployment | None = None) -> dict[str, float]:
    return {line.item: line.dollars for line in monthly_cost(routes, given or deployment(), MIX, customers=10_000)}


def test_requests_traces_and_emails_are_priced_per_request_of_the_mix():
    # Given 10,000 customers sending 19 reads and one payment that queues two emails
    dollars = bill({READ: usage(), PAY: usage(emails=2)})

    # Then API Gateway bills 200,000 requests, X-Ray the sampled 5%, SES 20,000 emails
    assert dollars["API Gateway (REST)"] == 0.2 * API_GATEWAY_PER_MILLION_REQUESTS
    assert dollars["X-Ray"] == 10_000 / 1e6 * XRAY_PER_MILLION_TRACES
    assert dollars["SES"] == 20 * SES_PER_THOUSAND_EMAILS


def test_an_authorizer_doubles_the_lambda_invocations_and_their_cold_starts():
    # Given the same routes, once checked inside the function and once by an authorizer of their own
    inside = bill({READ: usage(), PAY: usage()})
    authorized = bill({READ: usage(lambdas=2), PAY: usage(lambdas=2)})

    # Then the requests Lambda bills double, and so does the time of cold starts
    assert inside["Lambda requests"] == 0.2 * LAMBDA_PER_MILLION_REQUESTS
    assert authorized["Lambda requests"] == 2 * inside["Lambda requests"]
    assert authorized["Lambda duration, cold starts"] == 2 * inside["Lambda duration, cold starts"] > 0


def test_cpu_is_slowed_to_the_functions_share_of_a_vcpu_and_waits_on_aws_are_added():
    # Given a request of 10 ms of this machine's CPU making two DynamoDB calls and one SES call
    request = usage(cpu_seconds=0.010, dynamodb_calls=2, other_aws_calls=1)

    # Then a function with a whole vCPU bills the CPU as it is, one with half of it twice that
    whole, half = lambda_seconds(request, 1769), lambda_seconds(request, 884.5)
    assert round(half - whole, 6) == 0.010
    assert whole > 0.010 + 2 * 0.001


def test_the_bill_comes_largest_item_first_with_cold_starts_at_their_share_of_invocations():
    lines = monthly_cost({READ: usage(), PAY: usage(emails=2)}, deployment(), MIX, customers=10_000)

    assert [line.dollars for line in lines] == sorted((line.dollars for line in lines), reverse=True)
    cold = next(line for line in lines if line.item == "Lambda duration, cold starts")
    assert f"{200_000 * COLD_START_SHARE:,.0f} cold starts" in cold.usage
