"""Fixtures for the fault tests: a Redis of the test's own, Celery pointed at it, a worker."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app
from interviews.models import Notification, NotificationStatus
from tests.redis_server import REDIS_SERVER, RedisServer

needs_redis_server = pytest.mark.skipif(
    REDIS_SERVER is None, reason="needs the redis-server program (apt-get install redis-server)"
)


def wait_until(condition: Callable[[], bool], timeout: float = 30, what: str = "it") -> None:
    """Poll for work another thread or process does (not a stand-in for moving the clock)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def reset_broker_pools() -> None:
    """Celery caches its connection and producer pools on the app, keyed by the URL it saw
    first: without this, a changed `broker_url` is silently ignored by `.delay()`."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def celery_broker(url: str) -> Iterator[str]:
    """Send tasks to `url`, on a queue of the test's own; restore everything after."""
    queue = f"reliability-{uuid.uuid4().hex[:8]}"
    saved = (app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.broker_url = url
    reset_broker_pools()
    try:
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url = saved
        reset_broker_pools()


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    if REDIS_SERVER is None:
        pytest.skip("needs the redis-server program")
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server) -> Iterator[str]:
    """The queue name; Celery publishes to the test's own Redis."""
    with celery_broker(redis_server.url) as queue:
        yield queue


@contextmanager
def in_process_worker(queue: str):
    """A real Celery worker in a thread of this process (so locmem mail is shared)."""
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20
    ) as worker:
        yield worker


def delivered() -> list[tuple[str, str, str]]:
    """Every email delivered so far, as (recipient, kind, subject)."""
    return [(m.to[0], m.extra_headers["X-Interview-Relay-Kind"], m.subject) for m in mail.outbox]


def assert_each_notification_delivered_once() -> None:
    """Every outbox row is settled: sent, or dropped because it stopped applying (an
    owner asked to answer a request that moved on). The mail backend saw each sent row
    exactly once and nothing else."""
    rows = list(Notification.objects.values_list("status", flat=True))
    assert rows and set(rows) <= {NotificationStatus.SENT, NotificationStatus.OBSOLETE}, rows
    got = delivered()
    assert len(got) == len(set(got)), f"duplicates: {sorted(got)}"
    assert len(got) == rows.count(NotificationStatus.SENT), (len(got), rows)
