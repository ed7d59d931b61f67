"""Request ids and logs operators can search.

Every request gets an id (the proxy's X-Request-ID if it sent a sane one), returned in the
response and attached to every log line written while handling it. One access line per
request is logged here instead of by the server, so that the secrets carried in URLs
(answer-link tokens) are redacted before anything is written.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Paths that carry a secret: /r/<signed token>/<action>/ and the digest unsubscribe link.
_SECRET_IN_PATH = re.compile(r"/(r|unsubscribe)/[^/]+")
# The password-reset link, /password-reset/<user>/<token>/: Django moves the token into the
# session and redirects to …/set-password/, but the first request's path has it.
_RESET_TOKEN_IN_PATH = re.compile(r"(/password-reset/[^/]+/)(?!set-password(?:/|$))[^/]+")

access_log = logging.getLogger("interview_relay.access")


# Slack tokens (bot, user, app, refresh) in case a library or an error message quotes one.
_SLACK_TOKEN = re.compile(r"xox[abeoprs]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")


def redact(path: str) -> str:
    path = _SLACK_TOKEN.sub("xox-[redacted]", path)
    path = _RESET_TOKEN_IN_PATH.sub(r"\1[redacted]", path)
    return _SECRET_IN_PATH.sub(lambda m: f"/{m.group(1)}/[redacted]", path)


class RequestIdFilter(logging.Filter):
    """Adds the request id, and redacts URL secrets from any message (Django's own
    `django.request` logger writes the full path of every 4xx and 5xx)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def _forget_request_id(**kwargs) -> None:
    request_id.set("-")


# Cleared when Django has finished with the response (after its own error logging), not
# when our middleware returns, so those log lines carry the id too.
request_finished.connect(_forget_request_id, dispatch_uid="observability.forget_request_id")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request_id.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        access_log.info(
            "%s %s %s",
            request.method,
            redact(request.path),
            response.status_code,
            extra={
                "method": request.method,
                "path": redact(request.path),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
