"""Customer accounts and the people at them: who owns them, when they were contacted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from interviews import calendar, library, permissions, presenters, selectors, workflow
from interviews.views import htmx

PAGE_SIZE = 50
RESULTS = "results"


@login_required
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(selectors.account_list(request.user, q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"q": q, "page": page, "today": calendar.business_date()}
    if htmx.target(request) == RESULTS:
        return htmx.vary(render(request, "interviews/_account_results.html", context))
    return htmx.vary(render(request, "interviews/account_list.html", context))


@login_required
@require_GET
def account_search(request: HttpRequest) -> HttpResponse:
    """The account picker's options for what was typed (htmx swaps them into the select)."""
    q = (request.GET.get("account_q") or "").strip()[:100]
    accounts = selectors.account_search(request.user, q)
    return render(
        request,
        "interviews/_account_options.html",
        {"accounts": accounts, "selected": accounts[0].pk if len(accounts) == 1 and q else None},
    )


@login_required
@require_GET
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    account = get_object_or_404(selectors.accounts_visible_to(user), pk=pk)
    history = list(selectors.account_history(user, account))
    for row in history:
        row.next_step = presenters.next_step(row, viewer=user)
    context = {
        "account": account,
        "history": history,
        "candidates": list(selectors.account_candidates(account)),
        "policy": workflow.filing_policy(account),
        "can_file": permissions.can_file(user),
        "findings": library.for_account(account.pk) if permissions.can_read_findings(user) else [],
    }
    return render(request, "interviews/account_detail.html", context)


@login_required
@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    candidate = get_object_or_404(selectors.candidates_visible_to(user), pk=pk)
    history = list(selectors.candidate_history(user, candidate))
    for row in history:
        row.next_step = presenters.next_step(row, viewer=user)
    return render(
        request, "interviews/candidate_detail.html", {"candidate": candidate, "history": history}
    )
