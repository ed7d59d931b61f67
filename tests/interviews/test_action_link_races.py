"""On PostgreSQL: an owner's click racing the deadline job, and a double submit from the
email. Exactly one transition; the loser sees the current state; one email each."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from interviews import jobs
from interviews.models import EventKind, InterviewRequest, NotificationKind, RequestEvent, Status
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^/\s]+(/r/[^/\s]+/owner_go_ahead/)")


def overdue_with_link(file_request) -> tuple[InterviewRequest, str]:
    request = file_request(now=timezone.now() - dt.timedelta(days=20))
    jobs.process_deadlines(now=request.created_at)  # sends the new-request email only
    (message,) = [
        m for m in mail.outbox if m.extra_headers["X-Interview-Relay-Kind"] == "new_request"
    ]
    mail.outbox.clear()
    return request, LINK.search(message.body).group(1)


@pytest.mark.parametrize("attempt", range(4))
def test_a_click_racing_the_deadline_job_one_wins(file_request, attempt):
    request, link = overdue_with_link(file_request)
    click, job = run_together(lambda: Client().post(link, {}), lambda: jobs.process_deadlines())
    assert click[0] == "ok" and job[0] == "ok", (click, job)
    response = click[1]
    request.refresh_from_db()
    events = set(request.events.exclude(kind=EventKind.FILED).values_list("kind", flat=True))
    if response.status_code == 302:  # the owner won
        assert events == {EventKind.OWNER_GO_AHEAD} and not request.escalated
        expected = {NotificationKind.DECIDED}
    else:  # the deadline won: the owner is told the request moved on
        assert response.status_code == 409
        assert events == {EventKind.DEADLINE_PASSED} and request.escalated
        expected = {NotificationKind.SWITCHED_OWNER, NotificationKind.SWITCHED_MARKETER}
    assert request.status == Status.MARKETING_OUTREACH
    jobs.process_deadlines()
    kinds = [m.extra_headers["X-Interview-Relay-Kind"] for m in mail.outbox]
    assert sorted(kinds) == sorted(expected)


def test_a_double_submit_from_the_email_applies_once(file_request):
    request = file_request()
    jobs.process_deadlines()
    (message,) = mail.outbox
    link = LINK.search(message.body).group(1)
    results = run_together(*[lambda: Client().post(link, {"note": "go"})] * 3)
    codes = sorted(r[1].status_code for r in results)
    assert codes.count(302) == 1, codes
    assert RequestEvent.objects.filter(request=request, kind=EventKind.OWNER_GO_AHEAD).count() == 1
