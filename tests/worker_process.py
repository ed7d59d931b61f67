"""A real `celery worker` process against the test database, for tests that kill it.

Started with the virtualenv's own interpreter (`python -m celery`, the same program
`uv run celery` runs) so that the pid we hold is the worker itself: SIGKILL cannot be
forwarded by a wrapper. Solo pool, one process: killing it kills the worker outright.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

from django.db import connection

REPO = Path(__file__).resolve().parents[1]


def current_database_url() -> str:
    """The database this test runs on (pytest-django's test_… database), as a URL."""
    db = connection.settings_dict
    assert db["ENGINE"] == "django.db.backends.postgresql", "a worker process needs PostgreSQL"
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


class WorkerProcess:
    # The options tests used so far: one process, nothing but tasks on the connection.
    MINIMAL = (
        "--pool",
        "solo",
        "--concurrency",
        "1",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    )
    # What docker-compose.yml and the README run: prefork, two children as on a two-core
    # host (one busy with a task while the other waits on the broker: the state in which
    # kombu 5.7 killed the worker when Redis went away, see config/broker.py).
    AS_DEPLOYED = ("--concurrency", "2", "--without-gossip", "--without-mingle")

    def __init__(
        self,
        *,
        broker_url: str,
        queue: str,
        mail_dir: Path,
        log: Path,
        env: dict | None = None,
        options: tuple[str, ...] = MINIMAL,
    ) -> None:
        self.options = options
        self.broker_url = broker_url
        self.queue = queue
        self.mail_dir = mail_dir
        self.log = log
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> WorkerProcess:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": current_database_url(),
            "REDIS_URL": self.broker_url,
            "CELERY_BROKER_URL": self.broker_url,
            "RELIABILITY_QUEUE": self.queue,
            "RELIABILITY_MAIL_DIR": str(self.mail_dir),
            "VAR_DIR": str(self.mail_dir.parent / "var"),
            "LOG_FORMAT": "text",
            "CONN_MAX_AGE": "0",
            **self.extra_env,
        }
        self._log_file = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                *self.options,
                "-Q",
                self.queue,
                "-n",
                f"reliability-{uuid.uuid4().hex[:6]}@%h",
                "--loglevel",
                "INFO",
            ],
            cwd=REPO,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            # Its own process group: a kill takes a prefork worker's children with it.
            start_new_session=True,
        )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no acks, no rollback from the worker's side."""
        if self.alive():
            os.killpg(self.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(10)
        self._log_file.close()

    def logs(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
