"""Sending mail through Amazon SES as raw MIME, so that attachments (PDFs) travel with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError


class EmailDeliveryFailed(Exception):
    """SES refused the message or could not be reached."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class OutgoingEmail:
    to: tuple[str, ...]
    subject: str
    html: str
    text: str
    reply_to: str | None = None
    attachments: tuple[Attachment, ...] = ()


class SesMailer:
    def __init__(self, *, sender: str, client_factory: Callable[[], Any]) -> None:
        self._sender = sender
        self._client_factory = client_factory
        self._client: Any = None

    def send(self, email: OutgoingEmail) -> str:
        """Sends `email` and answers the SES MessageId."""
        if not email.to:
            raise ValueError("an email needs at least one recipient")
        raw = mime_message(self._sender, email)
        try:
            response = self._ses().send_raw_email(
                Source=self._sender,
                Destinations=list(email.to),
                RawMessage={"Data": raw},
            )
        except ClientError as error:
            details = error.response.get("Error", {})
            raise EmailDeliveryFailed(
                f"SES refused the email: {details.get('Code', 'unknown')}: {details.get('Message', '')}"
            ) from error
        except BotoCoreError as error:
            raise EmailDeliveryFailed(f"SES unreachable or misconfigured: {error}") from error
        return str(response["MessageId"])

    def _ses(self) -> Any:
        if self._client is None:
            self._client = self._client_factory()
        return self._client


# SMTP line endings; 7-bit transfer encodings so that no relay has to re-encode the body.
MIME_POLICY = SMTP.clone(cte_type="7bit")


def mime_message(sender: str, email: OutgoingEmail) -> bytes:
    """multipart/mixed( multipart/alternative(text, html), attachments... ) as bytes."""
    message = EmailMessage(policy=MIME_POLICY)
    message["From"] = sender
    message["To"] = ", ".join(email.to)
    message["Subject"] = " ".join(email.subject.split())  # a header is one line
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message.set_content(email.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", charset="utf-8", cte="quoted-printable")
    for attachment in email.attachments:
        maintype, subtype = _media_type(attachment.content_type)
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
        )
    return message.as_bytes()


def _media_type(content_type: str) -> tuple[str, str]:
    maintype, _, subtype = content_type.partition(";")[0].strip().lower().partition("/")
    if not maintype or not subtype:
        return "application", "octet-stream"
    return maintype, subtype
