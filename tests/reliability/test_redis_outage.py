"""Redis (broker and cache) goes away under a real worker process and the web: owners keep
answering, the worker stays up, and every email arrives once soon after Redis returns,
with no process restarted and no job run by hand.

The worker is a `celery worker` process as deployed (prefork, the options of
docker-compose.yml), on the test database and a redis-server of the test's own that the
test kills outright. The web is the Django test client on the same Redis (cache and
broker), so the whole answer path runs: rate limits, the view, the workflow's transaction,
the outbox rows, the publish after commit.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from interviews import links, workflow
from interviews.models import InterviewRequest, Notification, NotificationStatus, Status
from tests.blocking_mail import MARKER, RELEASE, delivered_files
from tests.factories import AccountFactory, CandidateFactory
from tests.reliability.conftest import needs_redis_server, wait_until
from tests.worker_process import WorkerProcess

pytestmark = [
    needs_redis_server,
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

# The promise: delivered within a minute of Redis coming back.
DRAIN_SECONDS = 60
OWNERS = 6


@pytest.fixture
def shared_redis(settings, redis_server, broker):
    """The web's cache on the test's Redis, as the broker is (rate limits count there)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        },
    }
    return redis_server


@pytest.fixture
def deployed_worker(broker, redis_server, tmp_path):
    started: list[WorkerProcess] = []

    def start(**env) -> WorkerProcess:
        worker = WorkerProcess(
            broker_url=redis_server.url,
            queue=broker,
            mail_dir=tmp_path / "mail",
            log=tmp_path / "worker.log",
            env={k: str(v) for k, v in env.items()},
            options=WorkerProcess.AS_DEPLOYED,
        ).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def file_requests(marketer, sales, count: int, first: int = 0) -> list[InterviewRequest]:
    requests = []
    for i in range(first, first + count):
        account = AccountFactory(owner=sales, name=f"Outage Customer {i:02d}")
        requests.append(
            workflow.request_file(
                by=marketer,
                account=account,
                candidates=[CandidateFactory(account=account)],
                purpose="research",
                topic=f"Topic {i}",
                questions="Why us?",
            )
        )
    return requests


def assert_delivered_once(mail_dir, expected: int) -> None:
    got = [(m["to"][0], m["kind"], m["subject"]) for m in delivered_files(mail_dir)]
    assert len(got) == len(set(got)), f"duplicates: {sorted(got)}"
    assert len(got) == expected, sorted(got)


def test_a_worker_with_a_task_in_flight_rides_out_redis_going_away(
    deployed_worker, redis_server, marketer, sales, tmp_path
):
    """kombu 5.7 killed the worker here: closing the lost connection with a message still
    unacknowledged (acks_late) raised AttributeError in `_connparams` (config/broker.py)."""
    mail_dir = tmp_path / "mail"
    worker = deployed_worker(RELIABILITY_BLOCK_AFTER=0)  # holds the first email mid-send
    file_requests(marketer, sales, 1)
    wait_until(
        lambda: (mail_dir / MARKER).exists() or not worker.alive(),
        timeout=60,
        what="the worker to start sending",
    )

    redis_server.stop()
    wait_until(
        lambda: "Connection to broker lost" in worker.logs() or not worker.alive(),
        what="the worker to notice",
    )
    redis_server.start()
    (mail_dir / RELEASE).touch()

    wait_until(
        lambda: Notification.objects.filter(status=NotificationStatus.SENT).count() == 1,
        what="the held email to be recorded",
    )
    # Still the same process, and it takes new work from the broker again.
    file_requests(marketer, sales, 1, first=1)
    wait_until(
        lambda: (
            Notification.objects.filter(status=NotificationStatus.SENT).count() == 2
            or not worker.alive()
        ),
        timeout=DRAIN_SECONDS,
        what="an email of a change made after Redis returned",
    )
    assert worker.alive(), worker.logs()[-3000:]
    assert "Unrecoverable error" not in worker.logs()
    assert_delivered_once(mail_dir, 2)


def test_owners_answer_through_a_redis_outage_and_every_email_arrives_once(
    deployed_worker, shared_redis, marketer, sales, tmp_path, settings
):
    settings.ACTION_LINK_RATE_PER_LINK_PER_MINUTE = 2  # a counted GET + POST + GET would be 3
    mail_dir = tmp_path / "mail"
    worker = deployed_worker()
    requests = file_requests(marketer, sales, OWNERS)
    wait_until(
        lambda: len(delivered_files(mail_dir)) == OWNERS,
        timeout=60,
        what="the request emails, with Redis up",
    )

    shared_redis.stop()

    # Every owner opens the link, answers, and lands on the answered page; the marketer
    # signs in. Nothing waits on Redis for long.
    slowest = 0.0
    for request in requests:
        path = reverse("action_link", args=[links.make_token(request, sales), "owner_go_ahead"])
        owner = Client()
        started = time.monotonic()
        assert owner.get(path).status_code == 200
        answered = owner.post(path, {"note": "Go ahead"}, follow=True)
        slowest = max(slowest, time.monotonic() - started)
        assert answered.status_code == 200
        assert "your answer is recorded" in answered.content.decode()
    signed_in = Client().post(reverse("login"), {"username": marketer.email, "password": "pw"})
    assert signed_in.status_code == 302
    assert slowest < 5, slowest

    assert set(InterviewRequest.objects.values_list("status", flat=True)) == {
        Status.MARKETING_OUTREACH
    }
    waiting = Notification.objects.filter(status=NotificationStatus.PENDING)
    assert waiting.count() == OWNERS  # the marketer told of each answer, held in the outbox
    assert worker.alive()

    # Redis returns, empty. No one restarts anything or runs the minute job.
    shared_redis.start()
    back_at = time.monotonic()
    wait_until(
        lambda: len(delivered_files(mail_dir)) >= 2 * OWNERS,
        timeout=DRAIN_SECONDS,
        what="every answer's email after Redis returned",
    )
    drained_in = time.monotonic() - back_at
    assert worker.alive(), worker.logs()[-3000:]
    assert drained_in <= DRAIN_SECONDS
    wait_until(
        lambda: not Notification.objects.exclude(status=NotificationStatus.SENT).exists(),
        what="every row recorded as sent",
    )
    assert_delivered_once(mail_dir, 2 * OWNERS)
    assert django_settings.RATELIMIT_FAIL_OPEN
