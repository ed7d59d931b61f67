"""The request list (home for marketers) and a request's page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from interviews import library, permissions, presenters, selectors, workflow
from interviews.forms.comments import CommentForm
from interviews.forms.filters import RequestFilterForm
from interviews.forms.findings import FindingBatch, SalesContextForm
from interviews.forms.outreach import (
    CancelForm,
    CompleteForm,
    CustomerDeclinedForm,
    ScheduleForm,
)
from interviews.models import InterviewRequest
from interviews.views import htmx

PAGE_SIZE = 25
RESULTS = "results"

# The forms the request page offers, by the action (in `allowed_actions`) they serve.
ACTION_FORMS: dict[str, type[Form]] = {
    "schedule": ScheduleForm,
    "customer_declined": CustomerDeclinedForm,
    "complete": CompleteForm,
    "cancel": CancelForm,
}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = RequestFilterForm(request.GET, user=user)
    page = Paginator(selectors.request_list(user, form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    for row in rows:
        row.chip = presenters.deadline_chip(row)
    context = {"form": form, "page": page, "rows": rows, "can_file": permissions.can_file(user)}
    if htmx.target(request) == RESULTS:
        return htmx.vary(render(request, "interviews/_request_results.html", context))
    return htmx.vary(render(request, "interviews/home.html", context))


def visible_request(request: HttpRequest, pk: int) -> InterviewRequest:
    """The request if this person may see it; 404 otherwise (its existence is private)."""
    return get_object_or_404(selectors.request_for_page(request.user), pk=pk)


def render_detail(
    request: HttpRequest,
    interview: InterviewRequest,
    *,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request page; action views pass their bound form back with its errors."""
    user = request.user
    actions = permissions.allowed_actions(user, interview)
    events = list(selectors.timeline(interview))
    names = selectors.user_names(presenters.reassignment_user_ids(events))
    bound = bound or {}
    forms: dict[str, Any] = {
        action: bound.get(action) or form_class(initial={"expected_version": interview.version})
        for action, form_class in ACTION_FORMS.items()
        if action in actions
    }
    context = {
        "interview": interview,
        "actions": actions,
        "user": user,
        "next_step": presenters.next_step(interview, viewer=user),
        "events": [presenters.event_view(e, names=names) for e in events],
        "comments": list(selectors.comments(interview)),
        "comment_form": bound.get("comment") or CommentForm(),
        "can_comment": permissions.can_comment(user, interview),
        "forms": forms,
        **_findings_context(user, interview, bound),
    }
    return render(request, "interviews/request_detail.html", context, status=status)


def _findings_context(
    user: Any, interview: InterviewRequest, bound: dict[str, Any]
) -> dict[str, Any]:
    """What the interview taught (and the form to add to it), and what sales already has."""
    can_write = (
        permissions.can_write_findings(user, interview)
        and interview.status in workflow.FINDING_STATUSES
    )
    can_share = permissions.can_share_context(user, interview)
    return {
        "findings": list(library.for_request(interview.pk)),
        "can_write_findings": permissions.can_write_findings(user, interview),
        "finding_batch": (bound.get("findings") or FindingBatch(interview)) if can_write else None,
        "sales_context": list(selectors.sales_context(interview)),
        "can_share_context": can_share,
        "context_form": (bound.get("context") or SalesContextForm()) if can_share else None,
    }


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, visible_request(request, pk))
