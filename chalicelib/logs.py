"""What may reach the logs, and how it gets there.

What: ids and outcomes, never passwords, tokens, keys, card data or email addresses. Portico's
loggers come from `logger()`, which masks what slips into a message or an exception's traceback
anyway (an error quoting a request, SES naming a refused recipient); and the libraries that log
whole requests at DEBUG (botocore and PynamoDB log every item, Stripe every parameter) are held at
WARNING, whatever level the function runs at.

How: `configure()` gives the "portico" logger one handler that writes JSON lines to stdout, which
Lambda sends to CloudWatch Logs. Every Lambda entry module calls it on import, and app.py again after
`Chalice(app_name="portico")`, which sets that logger to ERROR and stops it propagating. Each line
carries the invocation it belongs to (`invocation()`: request id, trace id, cold start) and the
record's own `fields` (`extra={"fields": {...}}`)."""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from functools import lru_cache
from typing import Iterator

CHATTY_LIBRARIES = ("botocore", "boto3", "s3transfer", "urllib3", "pynamodb", "stripe")
ROOT = "portico"
LEVEL = logging.INFO

_EMAIL = re.compile(r"\b([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_SECRET_NAMED = re.compile(
    r"""((?:password|token|secret|api_key|authorization|signature)\w*['"]?\s*[:=]\s*)"""
    r"""('[^']*'|"[^"]*"|[^\s,;}&]+)""", re.IGNORECASE)
_PYDANTIC_INPUT = re.compile(r"input_value=.*?(?=, input_type=|\]|$)", re.MULTILINE)
_STRIPE_KEY = re.compile(r"\b((?:sk|rk|pk|whsec)_)[A-Za-z0-9_]+")
_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])")   # ids are shorter


def redact(text: str) -> str:
    """`text` with email addresses masked (z***@globex.example) and secrets replaced."""
    if text in _NOTHING_TO_MASK:
        return text
    masked = _redacted(text)
    if masked == text and len(text) <= _CLEAN_TEXT_UP_TO:
        if len(_NOTHING_TO_MASK) >= _CLEAN_TEXTS_KEPT:
            _NOTHING_TO_MASK.clear()
        _NOTHING_TO_MASK.add(text)
    return masked


# Every request's line says the same few short texts again (its message, method, route and ids): a
# text found clean is not searched by the five expressions again. Only clean texts are kept, so
# nothing a line masked stays in memory.
_NOTHING_TO_MASK: set[str] = set()
_CLEAN_TEXT_UP_TO, _CLEAN_TEXTS_KEPT = 120, 4096


def _redacted(text: str) -> str:
    text = _SECRET_NAMED.sub(r"\1[redacted]", text)
    text = _PYDANTIC_INPUT.sub("input_value=[redacted]", text)
    text = _LONG_TOKEN.sub("[redacted]", text)
    text = _STRIPE_KEY.sub(r"\1[redacted]", text)
    return _EMAIL.sub(r"\1***@\2", text)


class Redacting(logging.Filter):
    """Formats the record's message and traceback once, masked, before any handler sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_REDACTING = Redacting()


def logger(name: str) -> logging.Logger:
    """A Portico logger ("portico" or "portico.<part>"): its records are masked."""
    log = logging.getLogger(name)
    if _REDACTING not in log.filters:
        log.addFilter(_REDACTING)
    _quiet_libraries()
    return log


def _quiet_libraries() -> None:
    for name in CHATTY_LIBRARIES:
        library = logging.getLogger(name)
        if library.level < logging.WARNING:
            library.setLevel(logging.WARNING)


# --- where the lines go -------------------------------------------------------------------------

class _Stdout(logging.StreamHandler):
    """Writes to whatever sys.stdout is when a record comes (Lambda's, or a test's capture)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value) -> None:
        pass


class JsonLines(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the invocation, the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": redact(record.getMessage()),
                **current_invocation(), **masked_fields(getattr(record, "fields", None) or {})}
        if record.exc_info and not record.exc_text:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, default=str, ensure_ascii=False)


def configure() -> logging.Logger:
    """The "portico" logger at INFO, writing JSON lines to stdout and nowhere else (idempotent)."""
    root = logging.getLogger(ROOT)
    ours = [h for h in root.handlers if isinstance(h, _Stdout)]
    for handler in root.handlers:
        if handler not in ours:
            root.removeHandler(handler)
    if not ours:
        handler = _Stdout()
        handler.setFormatter(JsonLines())
        handler.addFilter(_REDACTING)
        root.addHandler(handler)
    root.setLevel(LEVEL)
    root.propagate = False   # Lambda's root handler would print every line a second time
    return logger(ROOT)


def masked_fields(fields: dict) -> dict:
    """`fields` with secret-named values dropped and every text masked."""
    masked = {}
    for key, value in fields.items():
        if _secret_named(key):
            masked[key] = "[redacted]"
        elif isinstance(value, str):
            masked[key] = redact(value)
        elif isinstance(value, dict):
            masked[key] = masked_fields(value)
        else:
            masked[key] = value
    return masked


_SECRET_KEY = re.compile(r"password|token|secret|api_key|authorization|signature", re.IGNORECASE)


@lru_cache(maxsize=512)
def _secret_named(key: str) -> bool:
    return _SECRET_KEY.search(key) is not None


# --- which invocation a line belongs to ---------------------------------------------------------

_invocation: ContextVar[dict] = ContextVar("portico_invocation", default={})
_cold = {"start": True}


@contextmanager
def invocation(**ids) -> Iterator[dict]:
    """Lines logged within carry `ids` (request_id, function, ...), the X-Ray trace id and whether
    this is the process's first invocation (its cold start)."""
    fields = {**{k: v for k, v in ids.items() if v is not None}, "cold_start": _cold.pop("start", False),
              "trace_id": trace_id()}
    token = _invocation.set(fields)
    try:
        yield fields
    finally:
        _invocation.reset(token)


def current_invocation() -> dict:
    return dict(_invocation.get())


def trace_id() -> str | None:
    """The X-Ray trace of this invocation (Lambda sets `_X_AMZN_TRACE_ID` for each one)."""
    header = os.environ.get("_X_AMZN_TRACE_ID", "")
    return next((part[5:] for part in header.split(";") if part.startswith("Root=")), None)
