"""The development mailbox: with no EMAIL_URL set, mail is kept under var/mailbox/ as
.eml files (readable at /dev/mailbox/ while DEBUG is on) and echoed to the console, so
the demo shows every email the product sends without a mail server."""

from __future__ import annotations

import email
import email.policy
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone


def mailbox_dir() -> Path:
    return Path(settings.DEV_MAILBOX_DIR)


class DevMailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: list[EmailMessage]) -> int:
        folder = mailbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        count = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
            count += 1
        ConsoleBackend(fail_silently=self.fail_silently).send_messages(email_messages)
        return count


@dataclass
class StoredMail:
    id: str
    subject: str
    sender: str
    to: str
    cc: str
    date: str
    text: str
    html: str


def _read(path: Path) -> StoredMail:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    return StoredMail(
        id=path.stem,
        # Long (e.g. Japanese) subjects are folded onto several header lines.
        subject=" ".join(str(message["subject"] or "").split()),
        sender=str(message["from"] or ""),
        to=str(message["to"] or ""),
        cc=str(message["cc"] or ""),
        date=str(message["date"] or ""),
        text=text_part.get_content() if text_part else "",
        html=html_part.get_content() if html_part else "",
    )


def list_mail(limit: int = 200) -> list[StoredMail]:
    folder = mailbox_dir()
    if not folder.exists():
        return []
    paths = sorted(folder.glob("*.eml"), reverse=True)[:limit]
    return [_read(p) for p in paths]


def get_mail(mail_id: str) -> StoredMail | None:
    # Only names this backend wrote: no path tricks through the URL, and no name longer
    # than the file system takes.
    if len(mail_id) > 100 or not all(c.isascii() and (c.isalnum() or c == "-") for c in mail_id):
        return None
    path = mailbox_dir() / f"{mail_id}.eml"
    return _read(path) if path.is_file() else None


def clear() -> int:
    folder = mailbox_dir()
    paths = list(folder.glob("*.eml")) if folder.exists() else []
    for p in paths:
        p.unlink(missing_ok=True)
    return len(paths)
