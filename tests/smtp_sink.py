"""A real SMTP server on 127.0.0.1 for tests: accepts, or refuses with 451, on demand."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refusing: str | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return self.refusing
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


class SmtpSink:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = _Handler()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def refuse(self, refusing: bool = True, *, permanently: bool = False) -> None:
        """Answer DATA with 451 (try later) or, permanently, 550 (rejected)."""
        if not refusing:
            self.handler.refusing = None
        elif permanently:
            self.handler.refusing = "550 5.7.1 Message rejected"
        else:
            self.handler.refusing = "451 4.3.0 Mail server busy, try again later"

    def start(self) -> SmtpSink:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def use_in(self, settings) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = self.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 5
