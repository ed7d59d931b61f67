"""On PostgreSQL: a click in Slack racing the deadline job, and a double click. Exactly one
transition; the loser is told the request moved on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from interviews import jobs
from interviews.models import EventKind, Status
from tests.concurrency import run_together
from tests.slack_app.payloads import click, post_signed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def overdue(file_request):
    request = file_request(now=timezone.now() - dt.timedelta(days=20))
    jobs.process_deadlines(now=request.created_at)  # the direct message goes out
    return request


@pytest.mark.parametrize("attempt", range(4))
def test_a_slack_click_racing_the_deadline_job_one_wins(slack, file_request, attempt):
    request = overdue(file_request)
    assert len(slack.of("chat.postMessage")) == 1
    body = click(request, "owner_go_ahead")
    clicked, job = run_together(lambda: post_signed(body), lambda: jobs.process_deadlines())
    assert clicked == ("ok", clicked[1]) and clicked[1].status_code == 200, clicked
    assert job[0] == "ok", job
    request.refresh_from_db()
    kinds = set(request.events.exclude(kind=EventKind.FILED).values_list("kind", flat=True))
    assert request.status == Status.MARKETING_OUTREACH
    assert kinds in ({EventKind.OWNER_GO_AHEAD}, {EventKind.DEADLINE_PASSED})
    replies = slack.of("chat.postEphemeral")
    if kinds == {EventKind.DEADLINE_PASSED}:  # the deadline won: the owner is told
        (reply,) = replies
        assert "Nothing was changed" in reply["text"]
    else:
        assert replies == [] and not request.escalated
    jobs.process_deadlines()
    # The direct message now shows whichever answer won, without buttons.
    updates = [u for u in slack.of("chat.update") if u["ts"] == "1700000000.000001"]
    last = updates[-1]["blocks"] if updates else []
    assert updates and not [b for b in last if b.get("block_id", "").startswith("answers:")]


def test_a_double_click_applies_once(slack, file_request):
    request = file_request()
    jobs.process_deadlines()
    bodies = [click(request, "owner_go_ahead", action_ts=f"1764464400.00010{i}") for i in range(3)]
    results = run_together(*[lambda b=b: post_signed(b) for b in bodies])
    assert all(r[0] == "ok" and r[1].status_code == 200 for r in results), results
    request.refresh_from_db()
    kinds = list(request.events.exclude(kind=EventKind.FILED).values_list("kind", flat=True))
    assert kinds == [EventKind.OWNER_GO_AHEAD]
    assert len(slack.of("chat.postEphemeral")) == 2  # the two later clicks are told why
