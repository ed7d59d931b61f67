"""A real Celery worker process is killed (SIGKILL) in the middle of the minute job; the
next run finishes the work: every overdue request switched once, every email sent once.

What makes this true is the database, not Celery:
- the deadline sweep switches a batch in ONE transaction, its rows claimed with
  SELECT … FOR UPDATE SKIP LOCKED: a worker killed inside it commits nothing, and the
  row locks die with its connection;
- the outbox claims emails with a lease (`sending` until `next_attempt_at`) and sends with
  no transaction open, recording each result on its own: a worker killed mid-batch leaves
  its unsent rows claimed until the lease expires, then any run takes them over; rows
  already recorded as sent are never sent again.
`acks_late` would also hand the killed task's message to another worker, but with Redis
only after the broker's visibility timeout (an hour by default); the minute job gets
there first, and the redelivered task then finds nothing left to do (shown below by
running the job again before the lease expires).

The kill lands at a known point without sleeping: in the sweep, the worker is made to
wait on a row lock the test holds; in the outbox, a test email backend
(tests/blocking_mail.py) stops after N messages and drops a marker file.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from config.celery import app
from interviews import jobs, tasks, workflow
from interviews.models import (
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    RequestEvent,
    Status,
)
from tests.blocking_mail import MARKER, delivered_files
from tests.factories import AccountFactory, CandidateFactory
from tests.reliability.conftest import needs_redis_server, wait_until
from tests.worker_process import WorkerProcess

pytestmark = [
    needs_redis_server,
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

OVERDUE = 12
BLOCK_AFTER = 5  # of the 24 switch emails (owner and marketer for each request)


class _Rollback(Exception):
    pass


def file_overdue(marketer, sales) -> list[int]:
    filed_at = timezone.now() - dt.timedelta(days=30)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the new-request emails go out at once, in-process
    try:
        ids = []
        for i in range(OVERDUE):
            account = AccountFactory(owner=sales, name=f"Killed Worker Customer {i:02d}")
            request = workflow.request_file(
                by=marketer,
                account=account,
                candidates=[CandidateFactory(account=account)],
                purpose="research",
                topic=f"Topic {i}",
                questions="Why us?",
                now=filed_at,
            )
            ids.append(request.pk)
    finally:
        app.conf.task_always_eager = previous
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == OVERDUE
    mail.outbox.clear()
    return ids


def backends_waiting_on_a_lock() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def hold_the_event_slot(request_id: int, version: int, held, release) -> None:
    """In a transaction of our own, take the (request, version) event slot the sweep is
    about to write, so the sweep's INSERT waits on us inside its open transaction."""
    try:
        with transaction.atomic():
            RequestEvent.objects.create(
                request_id=request_id,
                kind=EventKind.DEADLINE_PASSED,
                from_status=Status.AWAITING_OWNER,
                to_status=Status.MARKETING_OUTREACH,
                version=version,
                created_at=timezone.now(),
            )
            held.set()
            release.wait(60)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        connection.close()


@pytest.fixture
def worker_factory(broker, redis_server, tmp_path):
    started: list[WorkerProcess] = []

    def start(name: str, **env) -> WorkerProcess:
        worker = WorkerProcess(
            broker_url=redis_server.url,
            queue=broker,
            mail_dir=tmp_path / "mail",
            log=tmp_path / f"{name}.log",
            env={k: str(v) for k, v in env.items()},
        ).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def test_a_worker_killed_mid_sweep_and_mid_email_batch_loses_and_repeats_nothing(
    worker_factory, marketer, sales, tmp_path
):
    ids = file_overdue(marketer, sales)
    mail_dir = tmp_path / "mail"

    # --- 1. Killed inside the sweep's transaction ---------------------------------------
    target = InterviewRequest.objects.get(pk=ids[-1])
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=hold_the_event_slot, args=(target.pk, target.version + 1, held, release)
    )
    holder.start()
    try:
        assert held.wait(10)
        first = worker_factory("first")
        tasks.process_deadlines.delay()
        wait_until(
            lambda: backends_waiting_on_a_lock() or not first.alive(),
            timeout=60,
            what="the worker to reach the sweep's INSERT",
        )
        assert first.alive(), first.logs()
        (stuck_backend,) = backends_waiting_on_a_lock()
        first.kill()
    finally:
        release.set()
        holder.join(10)
    # The orphaned database session gets its lock, finds its client gone and rolls back.
    wait_until(lambda: not backend_alive(stuck_backend), what="the dead worker's session to end")

    assert set(InterviewRequest.objects.values_list("status", flat=True)) == {Status.AWAITING_OWNER}
    assert not RequestEvent.objects.filter(kind=EventKind.DEADLINE_PASSED).exists()
    assert Notification.objects.count() == OVERDUE  # only the new-request emails
    assert not list(mail_dir.glob("*.json"))

    # --- 2. Killed in the middle of the email batch -------------------------------------
    second = worker_factory("second", RELIABILITY_BLOCK_AFTER=BLOCK_AFTER)
    tasks.process_deadlines.delay()
    wait_until(
        lambda: (mail_dir / MARKER).exists() or not second.alive(),
        timeout=60,
        what="the worker to block after 5 emails",
    )
    assert second.alive(), second.logs()
    second.kill()

    # The switch was committed before the emails; 5 went out, the rest are claimed.
    assert (
        InterviewRequest.objects.filter(pk__in=ids, status=Status.MARKETING_OUTREACH).count()
        == OVERDUE
    )
    switch = Notification.objects.filter(
        kind__in=[NotificationKind.SWITCHED_OWNER, NotificationKind.SWITCHED_MARKETER]
    )
    assert switch.count() == 2 * OVERDUE
    assert switch.filter(status=NotificationStatus.SENT).count() == BLOCK_AFTER
    assert switch.filter(status=NotificationStatus.SENDING).count() == 2 * OVERDUE - BLOCK_AFTER
    assert len(delivered_files(mail_dir)) == BLOCK_AFTER

    # A run right away (beat's next tick, or the killed task redelivered by acks_late)
    # leaves the claimed rows alone: their lease has not expired.
    run = jobs.process_deadlines()
    assert (run.switched, run.sent) == (0, 0)

    # Once the lease expires, the next run takes over and finishes the batch.
    lease = dt.timedelta(seconds=django_settings.NOTIFICATION_LEASE_SECONDS)
    run = jobs.process_deadlines(now=timezone.now() + lease + dt.timedelta(seconds=1))
    assert (run.switched, run.sent, run.failed) == (0, 2 * OVERDUE - BLOCK_AFTER, 0)
    assert jobs.process_deadlines(now=timezone.now() + 2 * lease).sent == 0

    # Every request switched exactly once; every email delivered exactly once.
    events = RequestEvent.objects.filter(kind=EventKind.DEADLINE_PASSED)
    assert sorted(events.values_list("request_id", flat=True)) == sorted(ids)
    assert set(switch.values_list("status", flat=True)) == {NotificationStatus.SENT}
    from_worker = [(f["to"][0], f["kind"], f["subject"]) for f in delivered_files(mail_dir)]
    from_job = [
        (m.to[0], m.extra_headers["X-Interview-Relay-Kind"], m.subject) for m in mail.outbox
    ]
    everything = from_worker + from_job
    assert len(everything) == len(set(everything)) == 2 * OVERDUE
    names = list(InterviewRequest.objects.values_list("account__name", flat=True))
    got = sorted(
        (to, kind, next(n for n in names if n in subject)) for to, kind, subject in everything
    )
    assert got == sorted(
        (person.email, kind, name)
        for name in names
        for person, kind in (
            (sales, NotificationKind.SWITCHED_OWNER),
            (marketer, NotificationKind.SWITCHED_MARKETER),
        )
    )
