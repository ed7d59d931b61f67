"""Filing a request: pick the account, see who will be asked and by when, then file.

Without JavaScript the page is one form whose secondary buttons (search, show owner)
re-render it with everything typed kept; with htmx the same view answers with the
account panel alone as the marketer picks an account or changes the window.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Account
from interviews import dates, permissions, selectors, workflow
from interviews.errors import NotAllowed, PolicyViolation, WorkflowError
from interviews.forms.common import add_workflow_error
from interviews.forms.filing import FilingForm, initial_from
from interviews.views import htmx

PANEL = "account-panel"
ACCOUNT_OPTIONS = 50


def panel_context(form: FilingForm) -> dict[str, Any]:
    """Who will be asked, the exact deadline they will get, and what stands in the way."""
    account = form.account
    if account is None:
        return {"account": None}
    policy = workflow.filing_policy(account)
    days = form.window_days
    user = form.user
    overridable = (
        policy.sensitive_until is not None or policy.in_cooldown
    ) and not policy.blocked_by_open_request
    can_override = permissions.can_override_policy(user)
    return {
        "account": account,
        "owner": account.owner,
        "window_days": days,
        "deadline": workflow.response_deadline_preview(business_days=days),
        "policy": policy,
        "overridable": overridable,
        "can_override": can_override,
        # Nothing this person can do here would be accepted: say so, and turn the button off.
        "filing_blocked": policy.blocked_by_open_request or (overridable and not can_override),
    }


def _account_options(form: FilingForm) -> list[Account]:
    """The select's options: what the search found (or the first accounts), and always
    the chosen one, so that a re-rendered page still shows it selected."""
    q = (form["account_q"].value() or "").strip()
    options = selectors.account_search(form.user, q, limit=20 if q else ACCOUNT_OPTIONS)
    if form.account is not None and form.account not in options:
        options.insert(0, form.account)
    return options


def _page(
    request: HttpRequest,
    form: FilingForm,
    *,
    notice: str = "",
    error: WorkflowError | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "account_options": _account_options(form),
        "notice": notice,
        "policy_error": error if isinstance(error, PolicyViolation) else None,
        **panel_context(form),
    }
    return htmx.vary(render(request, "interviews/request_new.html", context, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_file(user):
        raise PermissionDenied
    if request.method == "GET":
        form = FilingForm(user=user, initial=initial_from(request.GET))
        if htmx.target(request) == PANEL:
            context = {"form": form, "oob": True, **panel_context(form)}
            return htmx.vary(render(request, "interviews/_filing_panel.html", context))
        return _page(request, form)

    action = request.POST.get("_action", "file")
    if action != "file":
        # Search for the account or show its owner: keep what was typed, judge nothing yet.
        initial = initial_from(request.POST)
        if action == "search" and (initial.get("account_q") or "").strip():
            found = selectors.account_search(user, initial["account_q"], limit=2)
            if len(found) == 1:  # one match: take it, and show its owner straight away
                initial["account"] = found[0].pk
        return _page(request, FilingForm(user=user, initial=initial))

    form = FilingForm(request.POST, user=user)
    if not form.is_valid():
        return _page(request, form, status=400)
    if str(request.POST.get("previewed_account")) != str(form.cleaned_data["account"].pk):
        # The marketer must see who will be asked and by when before the request goes out.
        form = FilingForm(user=user, initial=initial_from(request.POST))
        notice = _("Check who will be asked and their deadline below, then file the request.")
        return _page(request, form, notice=notice)
    try:
        interview = workflow.request_file(by=user, **form.workflow_kwargs())
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except WorkflowError as error:
        add_workflow_error(form, error)
        return _page(request, form, error=error, status=400)
    messages.success(
        request,
        _("Request filed. %(owner)s is asked to answer by %(due)s.")
        % {"owner": interview.owner.name, "due": dates.moment(interview.response_due_at)},
    )
    return redirect("request_detail", interview.pk)
