"""Server-side page timings through Django's test client (no network, no browser):
median and p95 over repeated runs after warm-up, with the SQL query count of one run."""

from __future__ import annotations

import itertools

from django.test import Client
from django.urls import reverse

from accounts.models import User
from bench.stats import Timing, measure
from interviews import links
from interviews.models import InterviewRequest, Status


def _ok(response) -> None:
    assert response.status_code in (200, 302), response.status_code


def run(*, repeat: int) -> list[Timing]:
    marketer = User.objects.filter(department="marketing", is_manager=False).order_by("pk").first()
    busiest = (
        InterviewRequest.objects.filter(status=Status.COMPLETED).order_by("-version", "pk").first()
    )
    waiting = list(
        InterviewRequest.objects.filter(status=Status.AWAITING_OWNER)
        .select_related("owner")
        .order_by("-pk")[: repeat + 3]
    )
    browser = Client()
    browser.force_login(marketer)
    timings = [
        measure("Requests list", lambda: _ok(browser.get(reverse("home"))), runs=repeat),
        measure(
            "Requests list, filtered",
            lambda: _ok(
                browser.get(reverse("home"), {"status": "awaiting_owner", "purpose": "case_study"})
            ),
            runs=repeat,
        ),
        measure(
            "Request page",
            lambda: _ok(browser.get(reverse("request_detail", args=[busiest.pk]))),
            runs=repeat,
        ),
    ]
    owner_link = links.action_url(waiting[0], waiting[0].owner, "defer").split("://", 1)[1]
    path = owner_link[owner_link.index("/") :]
    anonymous = Client()
    timings.append(
        measure("Owner action page (GET)", lambda: _ok(anonymous.get(path)), runs=repeat)
    )

    # Each decision answers a different request: one POST per waiting request.
    pending = itertools.cycle(waiting[1:])

    def decide() -> None:
        request = next(pending)
        url = links.action_url(request, request.owner, "owner_go_ahead")
        _ok(anonymous.post(url[url.index("/r/") :], {"note": ""}))

    timings.append(measure("Decision (POST)", decide, runs=repeat, warmup=1))
    return timings
