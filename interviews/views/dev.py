"""The development mailbox pages (DEBUG only)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from interviews import devmailbox


def _require_debug() -> None:
    # A development tool: it shows every email, action links included.
    if not settings.DEBUG:
        raise Http404


@require_GET
def dev_mailbox(request: HttpRequest) -> HttpResponse:
    _require_debug()
    return render(request, "interviews/dev_mailbox.html", {"mails": devmailbox.list_mail()})


@require_GET
def dev_mailbox_message(request: HttpRequest, mail_id: str) -> HttpResponse:
    _require_debug()
    mail = devmailbox.get_mail(mail_id)
    if mail is None:
        raise Http404
    return render(request, "interviews/dev_mailbox_message.html", {"mail": mail})


@require_GET
@xframe_options_sameorigin
def dev_mailbox_html(request: HttpRequest, mail_id: str) -> HttpResponse:
    _require_debug()
    mail = devmailbox.get_mail(mail_id)
    if mail is None or not mail.html:
        raise Http404
    response = HttpResponse(mail.html)
    # The email's HTML is shown as-is inside a sandboxed frame; no scripts.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return response
