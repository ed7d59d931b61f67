"""A form body the app cannot decode is answered 400, on every endpoint.

Django refuses a form body declared in another charset (`charset=shift_jis`, `utf-16`,
...) with BadRequest when something first reads `request.POST`, but leaves the request
half-parsed: its own 400 and 500 views then read `request.POST` again (their CSRF token
support does) and raise once more, so the server answered 500 with nothing logged under
the request's id. Checking the body here, early, turns each such failure into one clean
400 through `handler400` — logged by Django with the request id — and marks the body as
read, so nothing parses it again.

Percent-encoded bytes that are not UTF-8 (`name=%82%A0`) are refused the same way: Django
would replace them with U+FFFD and the mangled text would be stored without a word.

Only form bodies are read here (they are held in memory anyway). Multipart bodies are
left to the view, so that file uploads still stream, and Django marks those itself when
they are malformed; JSON is the API parser's (interviews/api/parsers.py).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, UnreadablePostError

FORM = "application/x-www-form-urlencoded"


def _undecodable(request: HttpRequest) -> str | None:
    """Why the form body cannot be read, or None."""
    charset = request.content_params.get("charset")
    # Exactly Django's rule (it refuses even the alias "utf8").
    if charset is not None and charset.lower() != "utf-8":
        return f"A form body must be UTF-8, not {charset[:40]!r}."
    for part in request.body.split(b"&"):
        try:
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return "The form body is not UTF-8 once percent-decoded."
    return None


class UndecodableBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == FORM:
            try:
                problem = _undecodable(request)
            except SuspiciousOperation:
                # Too large: Django answers it itself (400) once the body is marked read.
                request._mark_post_parse_error()
                raise
            except UnreadablePostError:
                problem = "The client stopped sending the body."
            if problem is not None:
                request._mark_post_parse_error()
                raise BadRequest(problem)
        return self.get_response(request)
