"""`/healthz` (the process answers) and `/readyz` (it can do its job).

Ready means: the database answers and has every migration, the broker answers (when one
is configured), the oldest email still waiting is younger than NOTIFICATION_STALE_MINUTES,
and the minute job ran within JOB_STALE_MINUTES. Each check is reported; any failure
makes the answer 503 so a load balancer or orchestrator stops sending traffic.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from interviews import jobs
from interviews.notifications import outbox


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return False, f"{len(pending)} migration(s) not applied"
    return True, "reachable, migrations applied"


def _broker() -> tuple[bool, str]:
    from config.celery import app

    if app.conf.task_always_eager:
        return True, "none configured: tasks run in-process"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return True, "reachable"


def _outbox(now: dt.datetime) -> tuple[bool, str]:
    age = outbox.oldest_unsent_age(now)
    limit = dt.timedelta(minutes=settings.NOTIFICATION_STALE_MINUTES)
    if age is None:
        return True, "nothing waiting"
    minutes = int(age.total_seconds() // 60)
    return age <= limit, f"oldest unsent email waiting {minutes} min"


def _minute_job(now: dt.datetime) -> tuple[bool, str]:
    last = jobs.last_run()
    if last is None:
        return False, "has not run yet"
    age = now - last
    limit = dt.timedelta(minutes=settings.JOB_STALE_MINUTES)
    return age <= limit, f"last ran {int(age.total_seconds())} s ago"


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    checks = {}
    for name, check in (
        ("database", _database),
        ("broker", _broker),
        ("outbox", lambda: _outbox(now)),
        ("process_deadlines", lambda: _minute_job(now)),
    ):
        try:
            ok, detail = check()
        except Exception as exc:  # a check that cannot run has failed
            ok, detail = False, f"{type(exc).__name__}: {exc}"[:300]
        checks[name] = {"ok": ok, "detail": detail}
    ready = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )
