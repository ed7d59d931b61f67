"""The development mailbox pages (DEBUG only)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from interviews.notifications import devmailbox

_LOOPBACK = {"127.0.0.1", "::1"}


def _require_dev_access(request: HttpRequest) -> None:
    """A development tool that shows every email, answer links included: only with DEBUG
    on, and only to this machine or a signed-in staff member."""
    if not settings.DEBUG:
        raise Http404
    if request.META.get("REMOTE_ADDR") not in _LOOPBACK and not request.user.is_staff:
        raise Http404


@require_GET
def dev_mailbox(request: HttpRequest) -> HttpResponse:
    _require_dev_access(request)
    return render(request, "interviews/dev_mailbox.html", {"mails": devmailbox.list_mail()})


@require_GET
def dev_mailbox_message(request: HttpRequest, mail_id: str) -> HttpResponse:
    _require_dev_access(request)
    mail = devmailbox.get_mail(mail_id)
    if mail is None:
        raise Http404
    return render(request, "interviews/dev_mailbox_message.html", {"mail": mail})


@require_GET
@xframe_options_sameorigin
def dev_mailbox_html(request: HttpRequest, mail_id: str) -> HttpResponse:
    _require_dev_access(request)
    mail = devmailbox.get_mail(mail_id)
    if mail is None or not mail.html:
        raise Http404
    response = HttpResponse(mail.html)
    # The email's HTML is shown as-is inside a sandboxed frame; no scripts.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
    )
    return response
