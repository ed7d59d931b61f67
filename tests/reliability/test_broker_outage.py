"""Redis goes away: the web keeps working, nothing is lost, nothing is sent twice.

Each test runs a redis-server of its own on a free port (never the one on 6379) and kills
it outright. Changes are made through the Django test client, so the whole web path runs:
the view, the workflow's transaction, the outbox rows, the publish after commit.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from interviews import jobs, tasks
from interviews.models import (
    InterviewRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    Status,
)
from tests.factories import AccountFactory, CandidateFactory
from tests.reliability.conftest import (
    assert_each_notification_delivered_once,
    delivered,
    in_process_worker,
    needs_redis_server,
    wait_until,
)

# PostgreSQL: the worker thread writes while the web writes, and SQLite's shared in-memory
# test database refuses a second writer outright ("table is locked") instead of waiting.
pytestmark = [needs_redis_server, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The publish retry policy (settings.CELERY_TASK_PUBLISH_RETRY_POLICY) gives up in well
# under a second; a web request during an outage must never take longer than this.
MAX_SECONDS_PER_REQUEST = 3.0
LINK = re.compile(r"https?://[^/\s]+(/r/[^/\s]+/owner_go_ahead/)")


def file_through_the_web(client: Client, index: int, sales) -> InterviewRequest:
    account = AccountFactory(owner=sales, name=f"Outage Customer {index}")
    candidate = CandidateFactory(account=account)
    response = client.post(
        reverse("request_new"),
        {
            "_action": "file",
            "account": account.pk,
            "previewed_account": account.pk,
            "candidates": [candidate.pk],
            "purpose": "case_study",
            "topic": f"Topic {index}",
            "questions": "What changed?",
            "response_window_days": "5",
        },
    )
    assert response.status_code == 302, response.content[:500]
    return InterviewRequest.objects.get(account=account)


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.fixture
def web(marketer, sales):
    marketer_client, owner_client = Client(), Client()
    marketer_client.force_login(marketer)
    owner_client.force_login(sales)
    return marketer_client, owner_client


def test_changes_made_while_redis_is_down_are_delivered_once_when_it_returns(
    broker, redis_server, web, marketer, sales
):
    marketer_web, owner_web = web
    with in_process_worker(broker):
        # Redis up: the worker sends the new-request email right after commit.
        before = file_through_the_web(marketer_web, 0, sales)
        wait_until(
            lambda: Notification.objects.filter(status=NotificationStatus.SENT).count() == 1,
            what="the first email",
        )
        link = LINK.search(mail.outbox[0].body).group(1)

        redis_server.stop()

        # Redis down: filing, answering from the email link and answering on the site all
        # succeed at once; their emails wait in the outbox.
        durations = []
        filed = []
        for index in range(1, 5):
            request, seconds = timed(lambda i=index: file_through_the_web(marketer_web, i, sales))
            filed.append(request)
            durations.append(seconds)
        response, seconds = timed(lambda: Client().post(link, {"note": "go"}))
        assert response.status_code == 302
        durations.append(seconds)
        response, seconds = timed(
            lambda: owner_web.post(
                reverse("answer", args=[filed[0].pk, "owner_will_reach_out"]),
                {"version": filed[0].version},
            )
        )
        assert response.status_code == 302
        durations.append(seconds)
        response, seconds = timed(
            lambda: owner_web.post(
                reverse("answer", args=[filed[1].pk, "decline"]),
                {"version": 1, "reason_category": "open_issue", "reason": "Escalation open"},
            )
        )
        assert response.status_code == 302
        durations.append(seconds)
        assert max(durations) < MAX_SECONDS_PER_REQUEST, durations

        before.refresh_from_db()
        assert before.status == Status.MARKETING_OUTREACH and not before.escalated
        assert [InterviewRequest.objects.get(pk=r.pk).status for r in filed] == [
            Status.OWNER_OUTREACH,
            Status.DECLINED,
            Status.AWAITING_OWNER,
            Status.AWAITING_OWNER,
        ]
        waiting = Notification.objects.filter(status=NotificationStatus.PENDING)
        # 4 new requests, and the marketer told of each of the 3 answers.
        assert waiting.count() == 7
        assert len(mail.outbox) == 1

        # Redis back (empty: it kept nothing). Beat's next tick sends what was never
        # enqueued; the worker reconnects on its own.
        redis_server.start()
        deadline = time.monotonic() + 30
        while Notification.objects.filter(status=NotificationStatus.PENDING).exists():
            tasks.process_deadlines.delay()
            assert time.monotonic() < deadline, "the outbox did not drain after Redis returned"
            time.sleep(0.5)
        wait_until(
            lambda: not Notification.objects.filter(status=NotificationStatus.SENDING).exists(),
            what="every email to be sent",
        )
        # The two owners who answered on the site are not asked again to answer.
        assert set(
            Notification.objects.filter(status=NotificationStatus.OBSOLETE).values_list(
                "kind", "request_id"
            )
        ) == {
            (NotificationKind.NEW_REQUEST, filed[0].pk),
            (NotificationKind.NEW_REQUEST, filed[1].pk),
        }

        # And the publish-after-commit path works again without the minute job.
        response = owner_web.post(
            reverse("answer", args=[filed[2].pk, "owner_go_ahead"]), {"version": 1}
        )
        assert response.status_code == 302
        wait_until(
            lambda: (
                not Notification.objects.filter(
                    status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING]
                ).exists()
            ),
            what="the email of an answer made after Redis returned",
        )

    assert_each_notification_delivered_once()
    kinds = sorted(kind for _, kind, _ in delivered())
    # New requests: the one before the outage and the two still unanswered; the marketer
    # told of each of the four answers.
    assert kinds.count(NotificationKind.NEW_REQUEST) == 3
    assert kinds.count(NotificationKind.DECIDED) == 4
    assert len(kinds) == 7


def test_tasks_lost_in_a_redis_restart_or_delivered_late_send_nothing_twice(
    broker, redis_server, web, sales
):
    marketer_web, _ = web
    # No worker yet: the task for the first request waits in Redis…
    lost = file_through_the_web(marketer_web, 1, sales)
    assert redis_server.queue_length(broker) == 1
    # …and dies with it (no persistence).
    redis_server.stop()
    redis_server.start()
    assert redis_server.queue_length(broker) == 0
    late = file_through_the_web(marketer_web, 2, sales)
    assert redis_server.queue_length(broker) == 1

    # The minute job sends both, one of them ahead of its still-queued task.
    run = jobs.process_deadlines()
    assert run.sent == 2 and len(mail.outbox) == 2

    # A worker that finally gets the queued task finds nothing left to send.
    with in_process_worker(broker):
        wait_until(
            lambda: (
                redis_server.queue_length(broker) == 0 and not redis_server.client().hlen("unacked")
            ),
            what="the worker to consume the late task",
        )
    assert_each_notification_delivered_once()
    # One request email per request (the subject ends with the account's name).
    assert sorted(m.subject.rsplit("Interview request for ", 1)[1] for m in mail.outbox) == sorted(
        r.account.name for r in (lost, late)
    )
