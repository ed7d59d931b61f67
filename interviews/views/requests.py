"""The request list (home for marketers) and a request's page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import User
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


def completing_early(interview: InterviewRequest) -> bool:
    """Before the interview's scheduled start: only a manager may record its outcome."""
    return interview.interview_at is not None and interview.interview_at > timezone.now()


def action_form(
    action: str, user: User, interview: InterviewRequest, data: QueryDict | None = None
) -> Form:
    """The form behind an action on the page, as this person may fill it in."""
    if action == "comment":
        return CommentForm(data)
    form = ACTION_FORMS[action](data, initial={"expected_version": interview.version})
    if action == "complete" and not (completing_early(interview) and permissions.is_manager(user)):
        # The reason for recording early is asked of a manager, before the start only.
        del form.fields["early_reason"]
    return form


# Post/redirect/get for the forms on a request's page: a form that failed is kept in the
# session for the next GET of the page, which shows it with its errors. A reload, Back or
# a language switch then never re-posts, nor lands on a POST-only address (a 405).
_KEPT_FORM = "kept_form"


def keep_failed_form(
    request: HttpRequest, interview: InterviewRequest, action: str, form: Form, *, refused: bool
) -> HttpResponse:
    """Redirect to the request's page, where `form` shows again with its errors.

    `refused`: the form was valid and the workflow refused it; its errors are not
    reproduced by validating again, so they are kept as words (validation errors are
    not, so they come back in the language the page is read in)."""
    request.session[_KEPT_FORM] = {
        "request": interview.pk,
        "action": action,
        "data": {k: v for k, v in form.data.lists() if k != "csrfmiddlewaretoken"},
        "refusals": {k: [str(e) for e in v] for k, v in form.errors.items()} if refused else {},
    }
    anchor = "comments" if action == "comment" else f"action-{action}"
    return redirect(reverse("request_detail", args=[interview.pk]) + f"#{anchor}")


def _kept_forms(request: HttpRequest, interview: InterviewRequest) -> dict[str, Form]:
    kept = request.session.get(_KEPT_FORM)
    if not kept or kept.get("request") != interview.pk:
        return {}
    del request.session[_KEPT_FORM]
    action = kept["action"]
    if action != "comment" and action not in ACTION_FORMS:
        return {}
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    form = action_form(action, request.user, interview, data)
    form.is_valid()
    for field, messages in kept["refusals"].items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    return {action: form}


def render_detail(
    request: HttpRequest,
    interview: InterviewRequest,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request page, with a form kept from a failed POST (or passed in `bound`)
    shown again with its errors."""
    user = request.user
    actions = permissions.allowed_actions(user, interview)
    events = list(selectors.timeline(interview))
    names = selectors.user_names(presenters.reassignment_user_ids(events))
    bound = bound or _kept_forms(request, interview)
    forms: dict[str, Any] = {
        action: bound.get(action) or action_form(action, user, interview)
        for action in ACTION_FORMS
        if action in actions
    }
    early = completing_early(interview)
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
        "completing_early": early,
        "early_needs_manager": early and not permissions.is_manager(user),
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
