"""A manager's overrides on a request: extend the deadline, reassign the owner, force the
switch. Each takes a reason, which the workflow records and sends to those affected."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from interviews import permissions
from interviews.errors import InvalidInput, WorkflowError
from interviews.forms.manager import MANAGER_FORMS, MANAGER_FUNCTIONS
from interviews.models import InterviewRequest
from interviews.views.owner import timeline_views


@login_required
@require_http_methods(["GET", "POST"])
def manage(http_request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in MANAGER_FORMS:
        raise Http404
    if not permissions.can_manage(http_request.user):
        raise PermissionDenied
    interview = (
        InterviewRequest.objects.select_related("account", "owner", "requested_by")
        .prefetch_related("candidates")
        .filter(pk=pk)
        .first()
    )
    if interview is None:
        raise Http404
    if action not in permissions.allowed_actions(http_request.user, interview):
        messages.warning(
            http_request,
            _("This is no longer possible: the request is now “%(status)s”.")
            % {"status": interview.get_status_display()},
        )
        return redirect("request_detail", pk=pk)
    form_class = MANAGER_FORMS[action]
    try:
        version = int(http_request.POST.get("version", interview.version))
    except (TypeError, ValueError):
        version = -1
    form = form_class(http_request.POST or None, interview=interview)
    if http_request.method == "POST" and form.is_valid():
        try:
            MANAGER_FUNCTIONS[action](
                request_id=pk,
                by=http_request.user,
                expected_version=version,
                **form.workflow_kwargs(),
            )
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        except WorkflowError as error:
            messages.warning(http_request, str(error))
            return redirect("request_detail", pk=pk)
        else:
            messages.success(http_request, _("Done. The people affected have been told."))
            return redirect("request_detail", pk=pk)
    return render(
        http_request,
        "manager/action.html",
        {
            "interview": interview,
            "action": action,
            "form": form,
            "version": version,
            "events": timeline_views(interview),
        },
    )
