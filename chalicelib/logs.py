"""What may reach the logs: ids and outcomes, never passwords, tokens, keys, card data or email
addresses. Portico's loggers come from `logger()`, which masks what slips into a message or an
exception's traceback anyway (an error quoting a request, SES naming a refused recipient); and the
libraries that log whole requests at DEBUG (botocore and PynamoDB log every item, Stripe every
parameter) are held at WARNING, whatever level the function runs at."""
from __future__ import annotations

import logging
import re
import traceback

CHATTY_LIBRARIES = ("botocore", "boto3", "s3transfer", "urllib3", "pynamodb", "stripe")

_EMAIL = re.compile(r"\b([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_SECRET_NAMED = re.compile(
    r"""((?:password|token|secret|api_key|authorization|signature)\w*['"]?\s*[:=]\s*)"""
    r"""('[^']*'|"[^"]*"|[^\s,;}&]+)""", re.IGNORECASE)
_PYDANTIC_INPUT = re.compile(r"input_value=.*?(?=, input_type=|\]|$)", re.MULTILINE)
_STRIPE_KEY = re.compile(r"\b((?:sk|rk|pk|whsec)_)[A-Za-z0-9_]+")
_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])")   # ids are shorter


def redact(text: str) -> str:
    """`text` with email addresses masked (z***@globex.example) and secrets replaced."""
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
