"""The interview of a request as an .ics file for people's calendars."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from interviews.notifications import calendar_files
from interviews.views.requests import visible_request


@login_required
@require_GET
def interview_ics(request: HttpRequest, pk: int) -> HttpResponse:
    interview = visible_request(request, pk)
    if interview.interview_at is None:
        raise Http404
    response = HttpResponse(
        calendar_files.interview_event(interview, language=request.user.language),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{calendar_files.filename(interview)}"'
    return response
