"""Email backends for outbox fault tests: Django's locmem backend plus one injected fault."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend

FAULT = {"after": None, "kind": None, "fired": False}


def arm(*, after: int, kind: str) -> None:
    """Fail the send that comes after `after` successful ones: "disconnect" or "crash"."""
    FAULT.update(after=after, kind=kind, fired=False)


class FlakyBackend(EmailBackend):
    sent = 0

    def send_messages(self, messages):
        if (
            FAULT["after"] is not None
            and not FAULT["fired"]
            and FlakyBackend.sent == FAULT["after"]
        ):
            FAULT["fired"] = True
            if FAULT["kind"] == "disconnect":
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            raise SystemExit("the worker process died")  # not an Exception: nothing catches it
        FlakyBackend.sent += len(messages)
        return super().send_messages(messages)
