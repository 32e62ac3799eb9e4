"""Named email templates rendered to (subject, html, text).

Each template is two files in `templates/`: `<name>.txt` (first line `Subject: ...`, a blank
line, then the plain-text body) and `<name>.html` (the HTML body, wrapped in `layout.html`).
Placeholders are `str.format` fields naming context keys. In the HTML part every value is
HTML-escaped and keeps its line breaks; formats a field can ask for:

    {link:url}          an http(s) link; anything else (javascript:, data:) is refused
    {details:bullets}   a sequence shown as a bulleted list
    logo_url            (optional, in no template) the merchant's logo, shown above its name
    {invoice_numbers}   any other sequence is joined with ", "

An email is written in its reader's language: the context's `locale` (a locale of domain/locales.py,
"de-DE") chooses `templates/<language>/` (German: `de/`), English (the templates at the top) for
any other or none. Emails to the merchant (MERCHANT_TEMPLATES) are written in English.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path

TEMPLATE_NAMES = (
    "portal_invite",
    "colleague_invite",
    "password_reset",
    "console_password_reset",
    "password_changed",
    "payment_receipt",
    "payment_action_required",
    "payment_failed",
    "dunning_ended",
    "forward_document",
    "message_to_organization",
    "review_request",
    "merchant_notification",
    "sign_in_email_changed",
    "confirm_sign_in_email",
    "sign_in_link",
    "invoice_issued",
    "estimate_sent",
)
MERCHANT_TEMPLATES = frozenset({"merchant_notification", "message_to_organization", "console_password_reset"})
LANGUAGES = ("en", "de")

TEMPLATES_DIR = Path(__file__).parent / "templates"
PORTAL_HEADING = {"en": "Customer portal", "de": "Kundenportal"}
FOOTER = {"en": ("You received this email through the customer portal of {org_name}.", "Sent from your customer portal."),
          "de": ("Sie erhalten diese E-Mail über das Kundenportal von {org_name}.", "Gesendet von Ihrem Kundenportal.")}


def language_of(context: Mapping[str, object]) -> str:
    """"de" for a German reader (context["locale"] "de-DE"), else "en"."""
    language = str(context.get("locale") or "").partition("-")[0].lower()
    return language if language in LANGUAGES else "en"


def render_email(template: str, context: Mapping[str, object]) -> tuple[str, str, str]:
    """(subject, html, text) of the named template filled from `context`, in its reader's language."""
    language = check_context(template, context)
    subject_format, text_format, html_format = _load(template, language)

    subject = _single_line(_fill(subject_format, context, _as_text))
    heading = str(context.get("org_name") or PORTAL_HEADING[language])
    footer = _footer(context, language)
    text = _text_layout(heading, _fill(text_format, context, _as_text), footer)
    html_part = _load_layout().format(
        language=language,
        logo=_logo(context, heading),
        title=html.escape(subject),
        heading=html.escape(heading),
        content=_fill(html_format, context, _as_html),
        footer=html.escape(footer),
    )
    return subject, html_part, text


def check_context(template: str, context: Mapping[str, object]) -> str:
    """The language the email is written in; KeyError if `context` lacks a value the template writes."""
    language = language_of(context)
    missing = sorted(required_keys(template, language) - set(context))
    if missing:
        raise KeyError(f"email template {template!r} is missing context keys: {', '.join(missing)}")
    return language


@cache
def required_keys(template: str, language: str = "en") -> frozenset[str]:
    return frozenset(
        field_name
        for part in _load(template, language)
        for _, field_name, _, _ in string.Formatter().parse(part)
        if field_name is not None
    )


# --- filling ----------------------------------------------------------------------------------

Render = Callable[[object, str], str]


class _ContextFormatter(string.Formatter):
    def __init__(self, render: Render) -> None:
        self._render = render

    def get_field(self, field_name: str, args: Sequence[object], kwargs: Mapping[str, object]):  # type: ignore[override]
        if not field_name.isidentifier():
            raise ValueError(f"template fields name a context key, not {field_name!r}")
        return kwargs[field_name], field_name

    def format_field(self, value: object, format_spec: str) -> str:
        return self._render(value, format_spec)


def _fill(template_format: str, context: Mapping[str, object], render: Render) -> str:
    return _ContextFormatter(render).vformat(template_format, (), context)


def _as_text(value: object, format_spec: str) -> str:
    if format_spec == "url":
        return _checked_url(value)
    if format_spec == "bullets":
        return "\n".join(f"- {line}" for line in _lines(value))
    _refuse_unknown(format_spec)
    return _plain(value)


def _as_html(value: object, format_spec: str) -> str:
    if format_spec == "url":
        return html.escape(_checked_url(value), quote=True)
    if format_spec == "bullets":
        items = "".join(f'<li style="margin:0 0 4px">{_escaped(line)}</li>' for line in _lines(value))
        return f'<ul style="margin:0 0 16px;padding-left:20px">{items}</ul>'
    _refuse_unknown(format_spec)
    return _escaped(_plain(value))


def _escaped(text: str) -> str:
    return "<br>\n".join(html.escape(line, quote=True) for line in text.splitlines() or [""])


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence):
        return ", ".join(_plain(item) for item in value)
    return str(value)


def _lines(value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        return [_plain(value)]
    return [_plain(item) for item in value]


def _checked_url(value: object) -> str:
    url = _plain(value).strip()
    if not re.match(r"https?://[^\s]+$", url, flags=re.IGNORECASE):
        raise ValueError(f"email links must be http(s) URLs, got {url[:40]!r}")
    return url


def _refuse_unknown(format_spec: str) -> None:
    if format_spec:
        raise ValueError(f"unknown template format {format_spec!r} (use url or bullets)")


def _single_line(text: str) -> str:
    return " ".join(text.split())


def _logo(context: Mapping[str, object], heading: str) -> str:
    """The merchant's logo above its name (context["logo_url"], an https or http address), or nothing."""
    if not context.get("logo_url"):
        return ""
    return (f'<img src="{html.escape(_checked_url(context["logo_url"]), quote=True)}" alt="{html.escape(heading)}" '
            'height="40" style="display:block;height:40px;width:auto;max-width:200px;margin:0 0 8px">')


def _footer(context: Mapping[str, object], language: str) -> str:
    named, unnamed = FOOTER[language]
    return named.format(org_name=_plain(context["org_name"])) if context.get("org_name") else unnamed


def _text_layout(heading: str, body: str, footer: str) -> str:
    return f"{heading}\n{'=' * len(heading)}\n\n{body.strip()}\n\n-- \n{footer}\n"


# --- files ------------------------------------------------------------------------------------

SUBJECT_PREFIX = "Subject: "


@cache
def _load(template: str, language: str = "en") -> tuple[str, str, str]:
    """(subject, text body, html body) format strings of a template in `language` (English where
    it has none: an email to the merchant)."""
    if template not in TEMPLATE_NAMES:
        raise KeyError(f"unknown email template {template!r}; known: {', '.join(TEMPLATE_NAMES)}")
    folder = "" if language == "en" or template in MERCHANT_TEMPLATES else f"{language}/"
    first_line, _, text_body = _read(f"{folder}{template}.txt").partition("\n")
    if not first_line.startswith(SUBJECT_PREFIX):
        raise ValueError(f"{folder}{template}.txt must start with a {SUBJECT_PREFIX.strip()!r} line")
    return first_line.removeprefix(SUBJECT_PREFIX), text_body.strip("\n"), _read(f"{folder}{template}.html")


@cache
def _load_layout() -> str:
    return _read("layout.html")


def _read(filename: str) -> str:
    return (TEMPLATES_DIR / filename).read_text(encoding="utf-8")
