"""A read-only web mailbox of the emails the local SES (moto) captured: http://127.0.0.1:8025/.

It lives beside the app, not in it: the deployed API never grows a development page.
`/` lists the emails newest first (subject, recipients, text part, attachments), `/messages/<id>`
shows one with its HTML part rendered in a sandboxed frame, `/messages.json` gives the same data
to scripts and tests. Everything shown is escaped; the mailbox never changes anything.
"""
from __future__ import annotations

import email
import email.policy
import html
import json
import logging
import threading
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote

log = logging.getLogger("devstack.mailbox")


@dataclass(frozen=True)
class CapturedEmail:
    message_id: str
    sender: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    attachments: tuple[str, ...] = ()


# --- where the emails come from -------------------------------------------------------------

def embedded_ses_emails() -> list[CapturedEmail]:
    """The emails captured by moto running in this process, oldest first."""
    from moto.ses.models import ses_backends
    captured = []
    for regions in list(ses_backends.values()):
        for backend in list(regions.values()):
            captured.extend(_from_moto_model(vars(m)) for m in list(backend.sent_messages))
    return captured


def remote_moto_emails(endpoint: str) -> Callable[[], list[CapturedEmail]]:
    """The emails captured by a moto server elsewhere, read from its `/moto-api/data.json`."""
    def read() -> list[CapturedEmail]:
        with urllib.request.urlopen(endpoint.rstrip("/") + "/moto-api/data.json", timeout=5) as answer:
            models = json.load(answer).get("ses", {})
        return [_from_moto_model(m) for kind in ("RawMessage", "Message") for m in models.get(kind, [])]
    return read


def _from_moto_model(model: dict) -> CapturedEmail:
    """One of moto's SES models (RawMessage or Message), as its attributes."""
    if "raw_data" in model:
        return parse_raw_email(model.get("id", ""), model["raw_data"])
    body = model.get("body") or ""
    is_html = body.lstrip().startswith("<")
    destinations = model.get("destinations") or {}
    to = tuple(a for key in ("ToAddresses", "CcAddresses", "BccAddresses") for a in destinations.get(key, []))
    return CapturedEmail(model.get("id", ""), model.get("source", ""), to, model.get("subject", ""),
                         "" if is_html else body, body if is_html else "")


def parse_raw_email(message_id: str, raw: str) -> CapturedEmail:
    message = email.message_from_string(raw, policy=email.policy.default)
    text, markup = (message.get_body(preferencelist=(kind,)) for kind in ("plain", "html"))
    recipients = [str(message.get(header, "")) for header in ("To", "Cc")]
    return CapturedEmail(
        message_id=message_id, sender=str(message.get("From", "")),
        to=tuple(a.strip() for field in recipients for a in field.split(",") if a.strip()),
        subject=str(message.get("Subject", "")),
        text=_unix_lines(text.get_content()) if text is not None else "",
        html=_unix_lines(markup.get_content()) if markup is not None else "",
        attachments=tuple(part.get_filename() or "(unnamed)" for part in message.iter_attachments()))


def _unix_lines(content: str) -> str:
    return content.replace("\r\n", "\n")


# --- pages ----------------------------------------------------------------------------------

_STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1b1f}
article{border:1px solid #d0d0d7;border-radius:6px;padding:.8rem 1rem;margin:1rem 0}
h2{font-size:1.05rem;margin:0 0 .3rem}.meta{color:#555;font-size:.9rem}
pre{white-space:pre-wrap;background:#f6f6f8;padding:.6rem;border-radius:4px;max-height:16rem;overflow:auto}
iframe{width:100%;height:70vh;border:1px solid #d0d0d7;border-radius:6px}"""
# No scripts anywhere; the HTML part is shown in a sandboxed frame that inherits this policy.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'"


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style><body>{body}</body></html>")


def _meta(mail: CapturedEmail) -> str:
    e = html.escape
    attached = f" · attached: {e(', '.join(mail.attachments))}" if mail.attachments else ""
    return f"<p class=meta>from {e(mail.sender)} to {e(', '.join(mail.to))}{attached}</p>"


def render_inbox(emails: list[CapturedEmail]) -> str:
    """The list, newest first (`emails` come oldest first, as SES received them)."""
    e = html.escape
    items = []
    for mail in reversed(emails):
        link = (f" <a href='/messages/{e(quote(mail.message_id, safe=''))}'>view HTML</a>"
                if mail.html else "")
        items.append(f"<article><h2>{e(mail.subject) or '(no subject)'}</h2>{_meta(mail)}"
                     f"<pre>{e(mail.text)}</pre>{link}</article>")
    listing = "".join(items) or "<p>No emails yet. Anything the portal sends through SES shows up here.</p>"
    return _page("Portico mailbox", f"<h1>Portico mailbox</h1><p class=meta>{len(emails)} emails · "
                                    f"<a href='/'>refresh</a></p>{listing}")


def render_email(mail: CapturedEmail) -> str:
    e = html.escape
    return _page(mail.subject, f"<p><a href='/'>&larr; all emails</a></p><h1>{e(mail.subject)}</h1>"
                               f"{_meta(mail)}<iframe sandbox srcdoc=\"{e(mail.html, quote=True)}\"></iframe>")


# --- the server -----------------------------------------------------------------------------

class Mailbox:
    """The mailbox's HTTP server, serving from a thread until `stop()`."""

    def __init__(self, read_emails: Callable[[], list[CapturedEmail]], *, host: str = "127.0.0.1",
                 port: int = 8025, stop_poll_seconds: float):
        handler = type("MailboxHandler", (_Handler,), {"read_emails": staticmethod(read_emails)})
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, name="mailbox", daemon=True,
                                        kwargs={"poll_interval": stop_poll_seconds})

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> "Mailbox":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():   # shutdown() waits for a serve_forever that never started
            self.server.shutdown()
            self._thread.join(timeout=5)
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    read_emails: Callable[[], list[CapturedEmail]]

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        try:
            emails = self.read_emails()
        except Exception as error:  # noqa: BLE001 - show the problem instead of a dropped connection
            log.warning("mailbox: cannot read the captured emails: %s", error)
            return self._answer(502, "text/plain", f"Cannot read the captured emails: {error}")
        if path == "/":
            return self._answer(200, "text/html", render_inbox(emails))
        if path == "/messages.json":
            newest_first = [asdict(mail) for mail in reversed(emails)]
            return self._answer(200, "application/json", json.dumps(newest_first))
        if path.startswith("/messages/"):
            wanted = unquote(path.removeprefix("/messages/"))
            mail = next((m for m in emails if m.message_id == wanted), None)
            if mail is not None:
                return self._answer(200, "text/html", render_email(mail))
        return self._answer(404, "text/plain", "Not found")

    def _answer(self, status: int, content_type: str, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", _POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args) -> None:  # noqa: A002 - http.server's signature
        log.debug("mailbox: " + format, *args)
