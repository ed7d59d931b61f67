"""The findings library (`/findings/`), its CSV export, and adding and correcting findings
on a request's page. Each view checks who may read or write, then reads the library or
calls the workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interviews import library, permissions, workflow
from interviews.csv_export import csv_response
from interviews.errors import InvalidInput, InvalidTransition, NotAllowed
from interviews.forms.common import add_workflow_error, plain_number
from interviews.forms.findings import (
    FindingBatch,
    FindingFilterForm,
    FindingForm,
    SalesContextForm,
)
from interviews.links import absolute_url
from interviews.models import Finding
from interviews.views import htmx
from interviews.views.requests import render_detail, visible_request

PAGE_SIZE = 25
RESULTS = "results"
# A search that finds more than this is counted as "more than …" and paged up to it:
# counting every match of a common word costs more than the page, and nobody reads past
# a thousand findings without narrowing the search.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """The library's findings, counted up to COUNT_CAP + 1; a page is its ids (planned
    from the count, see `library.page_ids`) and then those rows.

    `wanted`: the page asked for. On PostgreSQL, when the count is not capped, the
    count's query also returns that page's ids (the matches are already read and at
    most COUNT_CAP: sorting them costs less than finding them again).
    """

    def __init__(self, filters: library.FindingFilters, per_page: int, wanted: object = None):
        super().__init__(library.findings(filters), per_page)
        self.filters = filters
        number = plain_number(wanted or 1, max_digits=6)
        low = (number - 1) * per_page if number else 0
        # Past the cap there is no page (the paginator shows the last one instead).
        self._wanted_low = low if 0 <= low <= COUNT_CAP else 0
        self._ids_at: dict[int, list[int]] = {}

    @cached_property
    def count(self) -> int:
        count, ids = library.capped_count(
            self.object_list, cap=COUNT_CAP, page_size=self.per_page, offset=self._wanted_low
        )
        if ids is not None:
            self._ids_at[self._wanted_low] = ids
        return count

    def _get_page(self, object_list, *args, **kwargs):
        # The page's ids first, from the findings alone, then those rows with what they
        # show: the database joins 25 rows to their account, request and speaker, not
        # every match before sorting them.
        if isinstance(object_list, QuerySet) and object_list.query.is_sliced:
            low, high = object_list.query.low_mark, object_list.query.high_mark
        else:
            low = high = 0
        if high > low:  # an empty page costs no query, as before
            ids = self._ids_at.get(low)
            if ids is not None:
                ids = ids[: high - low]
            else:
                ids = library.page_ids(self.filters, low, high, many=self.capped)
            object_list = library.page_rows(ids)
        return super()._get_page(object_list, *args, **kwargs)

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


# A download is a working copy, not a backup: past this, narrow the filters.
EXPORT_MAX_ROWS = 20_000


def _findings_of(request_id: int) -> str:
    return reverse("request_detail", args=[request_id]) + "#findings"


def _require_reader(request: HttpRequest) -> None:
    if not permissions.can_read_findings(request.user):
        raise PermissionDenied


@login_required
@require_GET
def library_page(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    user = request.user
    form = FindingFilterForm(request.GET)
    wanted = request.GET.get("page")
    page = CappedPaginator(form.filters(), PAGE_SIZE, wanted).get_page(wanted)
    rows = list(page.object_list)
    # Sales may read every finding but open only the requests and accounts of their own.
    sees_all = permissions.is_marketer(user) or permissions.is_manager(user)
    for row in rows:
        row.can_open_request = permissions.can_view(user, row.request)
        row.can_open_account = sees_all or user.pk in (
            row.account.owner_id,
            row.request.owner_id,
            row.request.owner_at_filing_id,
        )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "export_query": request.GET.urlencode(),
        "count_cap": COUNT_CAP,
    }
    if htmx.target(request) == RESULTS:
        return htmx.vary(render(request, "findings/_results.html", context))
    return htmx.vary(render(request, "findings/library.html", context))


@login_required
@require_GET
def library_export(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    rows = library.findings(FindingFilterForm(request.GET).filters())[:EXPORT_MAX_ROWS]
    stamp = timezone.localtime().strftime("%Y%m%d")
    response, writer = csv_response(f"findings-{stamp}.csv")
    writer.writerow(
        [
            _("Added"),
            _("Kind"),
            _("Finding"),
            _("Verbatim quote"),
            _("Said by"),
            _("May be quoted externally"),
            _("Account"),
            _("Industry"),
            _("Purpose"),
            _("Request"),
        ]
    )
    for f in rows.iterator(chunk_size=1000):
        writer.writerow(
            [
                timezone.localtime(f.created_at).strftime("%Y-%m-%d %H:%M"),
                f.get_kind_display(),
                f.statement,
                f.quote,
                f.speaker.name if f.speaker else "",
                _("yes") if f.quotable else _("no"),
                f.account.name,
                f.account.industry,
                f.request.get_purpose_display(),
                absolute_url(reverse("request_detail", args=[f.request_id])),
            ]
        )
    return response


@login_required
@require_POST
def findings_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    interview = visible_request(request, pk)
    if not permissions.can_write_findings(user, interview):
        raise PermissionDenied
    batch = FindingBatch(interview, request.POST)
    if batch.is_valid():
        try:
            added = workflow.findings_add(
                request_id=interview.pk, by=user, items=batch.items(), batch_key=batch.key
            )
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except InvalidTransition as error:
            messages.warning(request, str(error))
            return redirect("request_detail", interview.pk)
        except InvalidInput as error:
            batch.add_workflow_error(error.field, str(error))
        else:
            messages.success(
                request,
                _("%(n)d finding(s) added; the account's owner and their manager are emailed.")
                % {"n": len(added)},
            )
            return redirect(_findings_of(interview.pk))
    return render_detail(request, interview, bound={"findings": batch}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    finding = get_object_or_404(Finding.objects.select_related("request", "account"), pk=pk)
    if not permissions.can_write_findings(user, finding.request):
        raise PermissionDenied
    if request.method == "POST":
        form = FindingForm(request.POST, request=finding.request, prefix="finding")
        if form.is_valid():
            try:
                workflow.finding_edit(finding_id=finding.pk, by=user, item=form.item())
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from error
            except InvalidInput as error:
                add_workflow_error(form, error)
            else:
                messages.success(request, _("The finding is saved."))
                return redirect(_findings_of(finding.request_id))
        status = 400
    else:
        form = FindingForm(
            initial=FindingForm.initial_for(finding), request=finding.request, prefix="finding"
        )
        status = 200
    return render(request, "findings/edit.html", {"form": form, "finding": finding}, status=status)


@login_required
@require_POST
def sales_context_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner shares what sales already has; the decision stays as it is."""
    user = request.user
    interview = visible_request(request, pk)
    if not permissions.can_share_context(user, interview):
        raise PermissionDenied
    form = SalesContextForm(request.POST)
    if form.is_valid():
        try:
            workflow.sales_context_add(request_id=interview.pk, by=user, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except InvalidInput as error:
            add_workflow_error(form, error)
        else:
            messages.success(request, _("Shared: marketing sees it on this page."))
            return redirect(reverse("request_detail", args=[interview.pk]) + "#sales-context")
    return render_detail(request, interview, bound={"context": form}, status=400)
