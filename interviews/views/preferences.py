"""A person's own settings: where requests and reminders reach them (email, Slack, both),
and whether the Slack app found them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from interviews.forms.preferences import NotifyViaForm
from interviews.notifications import slack_api


@login_required
@require_http_methods(["GET", "POST"])
def preferences(http_request: HttpRequest) -> HttpResponse:
    user = http_request.user
    form = NotifyViaForm(http_request.POST or None, instance=user)
    if http_request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            http_request, _("Saved: %(choice)s.") % {"choice": user.get_notify_via_display()}
        )
        return redirect("preferences")
    return render(
        http_request,
        "accounts/preferences.html",
        {"form": form, "slack_installed": slack_api.is_installed()},
    )


@login_required
@require_POST
def slack_lookup(http_request: HttpRequest) -> HttpResponse:
    """Look the person up in Slack again now (a new Slack account, a changed address)."""
    if not slack_api.is_installed():
        return redirect("preferences")
    counts = slack_api.match_people([http_request.user])
    if counts["matched"]:
        messages.success(http_request, _("Found you in Slack: requests can reach you there."))
    elif counts["unmatched"]:
        messages.error(
            http_request,
            _("No Slack account uses %(email)s in this workspace; requests keep coming by email.")
            % {"email": http_request.user.email},
        )
    else:
        messages.error(http_request, _("Slack could not be reached; please try again later."))
    return redirect("preferences")
