"""Metrics in CloudWatch's embedded metric format: one JSON line on stdout, in the Portico namespace,
per stack, which CloudWatch Logs turns into metrics; written in Lambda, quiet elsewhere."""
import json

import pytest

from chalicelib import logs, metrics


def test_a_count_is_one_emf_line_in_the_portico_namespace_for_the_stack(capsys, monkeypatch):
    # Given a function of the stack portico-prod
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "portico-prod-APIHandler")
    monkeypatch.setenv("PORTICO_STACK", "portico-prod")

    # When a payment fails within a request
    with logs.invocation(request_id="req-7"):
        metrics.count("PaymentsFailed", source="portal", failure_code="card_declined")

    # Then one line says so as EMF, with what it is about alongside
    line = json.loads(capsys.readouterr().out)
    assert line["_aws"]["CloudWatchMetrics"] == [{"Namespace": "Portico", "Dimensions": [["Stack"]],
                                                  "Metrics": [{"Name": "PaymentsFailed", "Unit": "Count"}]}]
    assert isinstance(line["_aws"]["Timestamp"], int)
    assert (line["Stack"], line["PaymentsFailed"], line["source"], line["request_id"]) == \
        ("portico-prod", 1, "portal", "req-7")


def test_one_line_carries_a_job_runs_several_measurements(capsys, monkeypatch):
    monkeypatch.setenv("PORTICO_METRICS", "on")

    metrics.record({"JobItemsDone": 3, "JobItemsFailed": 1, "JobItemsLeftOver": 0}, job="run_due_work")

    line = json.loads(capsys.readouterr().out)
    assert [m["Name"] for m in line["_aws"]["CloudWatchMetrics"][0]["Metrics"]] == \
        ["JobItemsDone", "JobItemsFailed", "JobItemsLeftOver"]
    assert (line["JobItemsDone"], line["JobItemsFailed"], line["JobItemsLeftOver"]) == (3, 1, 0)


def test_outside_lambda_nothing_is_written(capsys, monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    monkeypatch.delenv("PORTICO_METRICS", raising=False)

    metrics.count("EmailsFailed")

    assert capsys.readouterr().out == ""


def test_a_name_the_alarms_do_not_know_is_refused():
    with pytest.raises(ValueError, match="not a Portico metric"):
        metrics.count("PaymentsSucceded")
