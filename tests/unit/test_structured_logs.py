"""Portico's log lines arrive: after `Chalice(app_name="portico")`, which sets the "portico" logger to
ERROR and stops it propagating, every Lambda entry module leaves it at INFO writing one JSON line a
record to stdout (what Lambda sends to CloudWatch Logs), masked, with the invocation's ids."""
import json
import logging
import subprocess
import sys
from pathlib import Path

from chalicelib import logs

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "SH2qIrtC3yAk2zWczKCHGNwK_PzUVzuSK2-plfaziHM"
ENTRY_MODULES = """
import json, logging, sys
import app
entries = {"app"} | {s.handler_string.rsplit(".", 1)[0] for s in app.app.event_sources}
print(json.dumps(sorted(entries)))
"""
AFTER_IMPORT = """
import importlib, json, logging, sys
importlib.import_module(sys.argv[1])
logging.getLogger("portico.probe").info("hello", extra={"fields": {"route": "/probe"}})
portico = logging.getLogger("portico")
print(json.dumps({"level": portico.level, "propagate": portico.propagate,
                  "handlers": [type(h).__name__ for h in portico.handlers]}))
"""


def python(code: str, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={"AWS_DEFAULT_REGION": "us-east-1", "AWS_XRAY_SDK_ENABLED": "false"})
    return done.stdout.splitlines()


def test_every_lambda_entry_module_leaves_the_portico_logger_writing_info_lines_to_stdout():
    # Given the modules Lambda imports for the functions (app.py for the API; the jobs' own)
    entries = json.loads(python(ENTRY_MODULES)[-1])
    assert entries == ["app", "chalicelib.handlers.jobs"]

    for module in entries:
        # When one is imported alone, as in its own Lambda, and something logs at INFO
        *printed, state = python(AFTER_IMPORT, module)

        # Then the line arrives on stdout, as JSON, from a logger at INFO that does not print twice
        [line] = [json.loads(text) for text in printed]
        assert (line["level"], line["logger"], line["message"], line["route"]) == ("INFO", "portico.probe", "hello",
                                                                                  "/probe"), module
        assert json.loads(state) == {"level": logging.INFO, "propagate": False, "handlers": ["_Stdout"]}, module


def test_a_line_carries_its_invocation_the_trace_and_whether_it_was_a_cold_start(capsys, monkeypatch):
    logs.configure()
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
    monkeypatch.setitem(logs._cold, "start", True)
    log = logs.logger("portico.test")

    with logs.invocation(request_id="req-1", function="api_handler"):
        log.info("first")
    with logs.invocation(request_id="req-2", function="api_handler"):
        log.info("second")
    log.info("outside")

    first, second, outside = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (first["request_id"], first["cold_start"], first["trace_id"]) == \
        ("req-1", True, "1-5759e988-bd862e3fe1be46a994272793")
    assert (second["request_id"], second["cold_start"]) == ("req-2", False)
    assert "request_id" not in outside


def test_a_line_masks_what_slips_into_its_message_fields_and_traceback(capsys):
    logs.configure()
    log = logs.logger("portico.test")
    try:
        raise ValueError(f"no account for zoe@globex.example with {TOKEN}")
    except ValueError:
        log.exception("failed for %s", "zoe@globex.example",
                      extra={"fields": {"email": "zoe@globex.example", "session_token": "abc", "org_id": "org_1"}})

    printed = capsys.readouterr().out
    line = json.loads(printed)
    assert "zoe@globex.example" not in printed and TOKEN not in printed and "abc" not in printed
    assert (line["message"], line["email"], line["session_token"], line["org_id"]) == \
        ("failed for z***@globex.example", "z***@globex.example", "[redacted]", "org_1")
    assert "ValueError: no account for z***@globex.example with [redacted]" in line["exception"]
