"""A real Celery worker consuming from Redis runs our tasks: the outbox task enqueued on
commit, and the minute job as beat would send it."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app
from interviews import tasks
from interviews.models import InterviewRequest, Notification, NotificationStatus, Status
from tests.conftest import TOKYO

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    """Poll for work a worker does in another thread (not a stand-in for moving the clock)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the worker did not finish in time")
        time.sleep(0.05)


@pytest.fixture
def worker(settings):
    # A queue of our own, so nothing else on this Redis takes our tasks (or we theirs).
    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = (app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.broker_url = settings.CELERY_BROKER_URL
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20
    ):
        yield
    app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url = previous


def test_notifications_are_sent_by_the_worker_after_commit(worker, file_request, sales):
    request = file_request(now=dt.datetime.now(tz=TOKYO))
    note = Notification.objects.get(request=request)
    wait_until(lambda: Notification.objects.get(pk=note.pk).status == NotificationStatus.SENT)
    assert [m.to for m in mail.outbox] == [[sales.email]]


def test_the_minute_job_runs_on_the_worker(worker, file_request, sales, marketer):
    filed = dt.datetime.now(tz=TOKYO) - dt.timedelta(days=30)
    request = file_request(now=filed)
    assert request.response_due_at < dt.datetime.now(tz=TOKYO)

    tasks.process_deadlines.delay()
    wait_until(
        lambda: InterviewRequest.objects.get(pk=request.pk).status == Status.MARKETING_OUTREACH
    )
    wait_until(
        lambda: (
            not Notification.objects.filter(
                status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING]
            ).exists()
        )
    )
    kinds = sorted((m.to[0], m.extra_headers["X-Interview-Relay-Kind"]) for m in mail.outbox)
    # The courtesy notice and the go-ahead, each exactly once. The new-request email went out
    # first if its task ran before the job; otherwise the job found it moot and skipped it.
    assert [k for k in kinds if k[1] != "new_request"] == sorted(
        [(sales.email, "switched_owner"), (marketer.email, "switched_marketer")]
    )
    assert kinds.count((sales.email, "new_request")) <= 1
    assert not Notification.objects.exclude(status__in=["sent", "obsolete"]).exists()
