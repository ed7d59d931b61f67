"""What people do on a request's page: edit, cancel, record the customer's answer,
schedule, complete, comment. Each view checks who may act, then calls the workflow."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from interviews import permissions, workflow
from interviews.errors import InvalidInput, InvalidTransition, NotAllowed, WorkflowError
from interviews.forms.comments import CommentForm
from interviews.forms.common import add_workflow_error
from interviews.forms.editing import EditRequestForm
from interviews.models import InterviewRequest
from interviews.views.requests import action_form, keep_failed_form, visible_request

# The workflow function behind each action on the page, and what to say when it worked.
_DO: dict[str, Callable[..., InterviewRequest]] = {
    "schedule": workflow.request_schedule,
    "customer_declined": workflow.request_customer_declined,
    "complete": workflow.request_complete,
    "cancel": workflow.request_cancel,
}
_DONE = {
    "schedule": gettext_lazy("The interview is scheduled; the others involved are emailed."),
    "customer_declined": gettext_lazy("Recorded: the customer said no. The request is closed."),
    "complete": gettext_lazy("Completed; the outcome was shared with the owner."),
    "cancel": gettext_lazy("The request is cancelled; the others involved are emailed."),
}


def _gone(
    request: HttpRequest, interview: InterviewRequest, error: WorkflowError | None = None
) -> HttpResponse:
    """The request moved on (someone else acted, the deadline passed): say so, show it."""
    messages.warning(
        request,
        str(error)
        if error
        else _("This can no longer be done: the request is now “%(status)s”.")
        % {"status": interview.get_status_display()},
    )
    return redirect("request_detail", interview.pk)


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    interview = visible_request(request, pk)
    if not permissions.can(user, action, interview):
        raise PermissionDenied
    if action not in permissions.allowed_actions(user, interview):
        return _gone(request, interview)
    form = action_form(action, user, interview, request.POST)
    if not form.is_valid():
        return keep_failed_form(request, interview, action, form, refused=False)
    try:
        _DO[action](request_id=interview.pk, by=user, **form.workflow_kwargs())
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except InvalidTransition as error:
        return _gone(request, interview, error)
    except InvalidInput as error:
        add_workflow_error(form, error, aliases=getattr(form, "aliases", None))
        return keep_failed_form(request, interview, action, form, refused=True)
    messages.success(request, str(_DONE[action]))
    return redirect("request_detail", interview.pk)


@login_required
@require_POST
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "schedule")


@login_required
@require_POST
def customer_declined(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "customer_declined")


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "complete")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "cancel")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    interview = visible_request(request, pk)
    if not permissions.can_edit(user, interview):
        raise PermissionDenied
    if "edit" not in permissions.allowed_actions(user, interview):
        return _gone(request, interview)
    if request.method == "POST":
        form = EditRequestForm(request.POST, interview=interview)
        if form.is_valid():
            try:
                workflow.request_edit(request_id=interview.pk, by=user, **form.workflow_kwargs())
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from error
            except InvalidTransition as error:
                return _gone(request, interview, error)
            except InvalidInput as error:
                add_workflow_error(form, error)
            else:
                messages.success(request, _("Saved; the owner is told what changed."))
                return redirect("request_detail", interview.pk)
        status = 400
    else:
        form = EditRequestForm(interview=interview)
        status = 200
    return render(
        request,
        "interviews/request_edit.html",
        {"interview": interview, "form": form},
        status=status,
    )


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    interview = visible_request(request, pk)
    if not permissions.can_comment(user, interview):
        raise PermissionDenied
    form: Form = CommentForm(request.POST)
    if not form.is_valid():
        return keep_failed_form(request, interview, "comment", form, refused=False)
    try:
        written = workflow.comment_add(
            request_id=interview.pk, by=user, body=form.cleaned_data["body"]
        )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except WorkflowError as error:
        add_workflow_error(form, error)
        return keep_failed_form(request, interview, "comment", form, refused=True)
    messages.success(request, _("Comment added; the other side is emailed."))
    return redirect(reverse("request_detail", args=[interview.pk]) + f"#c{written.pk}")
