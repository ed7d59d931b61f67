from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from interviews import calendar, devmailbox, permissions, selectors


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    qs = selectors.requests_visible_to(request.user).order_by("-created_at")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "interviews/home.html", {"page": page})


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(
        selectors.requests_visible_to(request.user).prefetch_related("candidates"), pk=pk
    )
    if not permissions.can_view(request.user, interview):
        raise PermissionDenied
    days_left = (
        calendar.business_days_left(interview.response_due_at)
        if interview.response_due_at
        else None
    )
    return render(
        request,
        "interviews/request_detail.html",
        {
            "interview": interview,
            "events": selectors.timeline(interview),
            "days_left": days_left,
        },
    )


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
