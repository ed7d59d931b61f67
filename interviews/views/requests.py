"""Pages about requests for people who sign in: the list and a request's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from interviews import calendar, permissions, selectors


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
