"""The managers' dashboard, its CSV exports, and unsubscribing from the weekly digest."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from interviews import calendar, dashboard, permissions
from interviews.csv_export import csv_response
from interviews.forms.dashboard import DashboardFilterForm
from interviews.links import absolute_url
from interviews.notifications import digest
from interviews.templatetags.dashboard_format import days_value, percent


def _manager_only(request: HttpRequest) -> None:
    if not permissions.is_manager(request.user):
        raise PermissionDenied


def _scope(request: HttpRequest) -> tuple[DashboardFilterForm, dashboard.Scope]:
    form = DashboardFilterForm(request.GET, user=request.user)
    form.is_valid()
    return form, form.scope()


def _sort(request: HttpRequest) -> str:
    sort = request.GET.get("sort", dashboard.DEFAULT_SORT)
    return sort if sort in dashboard.SORTS else dashboard.DEFAULT_SORT


def _chart_data(board: dashboard.Dashboard) -> dict[str, Any]:
    """The numbers of the tables beside each chart, for static/js/dashboard.js."""
    return {
        "reasons": {
            "labels": [row.label for row in board.reasons],
            "series": [
                {"label": _("Deferred"), "data": [row.deferred for row in board.reasons]},
                {"label": _("Declined"), "data": [row.declined for row in board.reasons]},
            ],
        },
        "trend": {
            "labels": [
                formats.date_format(week.monday, "MONTH_DAY_FORMAT") for week in board.trend
            ],
            "series": [
                {"label": _("Filed"), "data": [week.filed for week in board.trend]},
                {"label": _("Completed"), "data": [week.completed for week in board.trend]},
            ],
        },
        "funnel": {
            "labels": [stage.label for stage in board.funnel],
            "series": [{"label": _("Requests"), "data": [s.count for s in board.funnel]}],
        },
    }


@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    form, scope = _scope(request)
    sort = _sort(request)
    board = dashboard.build(scope, sort=sort)
    query = request.GET.copy()
    query.pop("sort", None)
    without_owner = query.copy()
    without_owner.pop("owner", None)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "board": board,
            "sort": sort,
            "filter_query": query.urlencode(),
            "owner_query": without_owner.urlencode(),
            "charts": _chart_data(board),
            "rules": dashboard.RULES,
        },
    )


# --- CSV -----------------------------------------------------------------------------------


def _stalled_csv(scope: dashboard.Scope, sort: str) -> HttpResponse:
    response, writer = csv_response(f"stalled-requests-{scope.today.isoformat()}.csv")
    writer.writerow(
        [
            _("Request"),
            _("Account"),
            _("Topic"),
            _("Status"),
            _("Owner"),
            _("Requested by"),
            _("Why it is stalled"),
            _("Stalled since"),
            _("Business days"),
            _("Link"),
        ]
    )
    with dashboard.one_snapshot():
        stalled = list(dashboard.stalled_requests(scope, sort))
    rows = dashboard.stalled_rows(stalled, scope.now)
    tz = calendar.business_tz()
    for row in rows:
        r = row.request
        writer.writerow(
            [
                r.pk,
                r.account.name,
                r.topic,
                r.get_status_display(),
                r.owner.name,
                r.requested_by.name,
                " / ".join(str(rule.label) for rule in row.rules),
                row.since.astimezone(tz).date().isoformat(),
                row.business_days,
                absolute_url(reverse("request_detail", args=[r.pk])),
            ]
        )
    return response


def _owners_csv(scope: dashboard.Scope) -> HttpResponse:
    response, writer = csv_response(f"owners-{scope.today.isoformat()}.csv")
    writer.writerow(
        [
            _("Owner"),
            _("Department"),
            _("Team"),
            _("Pending"),
            _("Overdue"),
            _("Filed in the period"),
            _("Switched to marketing"),
            _("Median response time (business days)"),
            _("Answered within the window"),
            _("Deferrals"),
            _("Declines"),
        ]
    )
    with dashboard.one_snapshot():
        owners = dashboard.tables(scope).owners
    for row in owners:
        f = row.figures
        writer.writerow(
            [
                row.name,
                row.department,
                row.team,
                f.pending,
                f.overdue,
                f.filed,
                f.switched,
                days_value(f.median_response_days),
                percent(f.within_window_share),
                f.deferrals,
                f.declines,
            ]
        )
    return response


@login_required
@require_GET
def dashboard_export(request: HttpRequest, table: str) -> HttpResponse:
    _manager_only(request)
    if table not in ("stalled", "owners"):
        raise Http404
    _form, scope = _scope(request)
    if table == "stalled":
        return _stalled_csv(scope, _sort(request))
    return _owners_csv(scope)


# --- Unsubscribing from the digest ---------------------------------------------------------


def _one_click(request: HttpRequest) -> bool:
    """An RFC 8058 one-click unsubscribe: a mail client POSTs this exact body."""
    return request.POST.get("List-Unsubscribe") == "One-Click"


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (mail scanners open links); POST unsubscribes or subscribes again.

    Only the one-click POST a mail client sends (RFC 8058) skips the CSRF check: it can
    carry no CSRF token, and the signed token in the URL is what authorises it. The
    buttons on the page are ordinary CSRF-protected forms.
    """
    user = digest.read_unsubscribe_token(token)
    if user is None:
        return render(request, "dashboard/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        if not _one_click(request):
            rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if rejected is not None:
                return rejected
        subscribe = request.POST.get("subscribe") == "1" and not _one_click(request)
        digest.set_subscribed(user, subscribe)
        if _one_click(request):
            return HttpResponse(_("You will no longer get the weekly digest."))
        return render(
            request,
            "dashboard/unsubscribe.html",
            {"person": user, "done": True, "subscribed": subscribe},
        )
    return render(
        request,
        "dashboard/unsubscribe.html",
        {"person": user, "subscribed": user.weekly_digest},
    )
