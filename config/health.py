"""`/healthz` (the process answers) and `/readyz` (it can do its job).

Ready means: the database answers and has every migration, the oldest email still waiting
is younger than NOTIFICATION_STALE_MINUTES, and the minute job ran within JOB_STALE_MINUTES.
Each check is reported; any of these failing makes the answer 503 so a load balancer or
orchestrator stops sending traffic.

Redis (the broker and the cache) being down is reported as `degraded`, not as a failure:
this process still records every answer and sign-in (rate limits fail open, counted under
`cache`; emails wait in the outbox), so taking every web process out of service for it
would lose the answers the outage is not losing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.cache import cache_status
from interviews import jobs
from interviews.notifications import outbox

logger = logging.getLogger(__name__)


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


class _CannotTell(Exception):
    """The check's evidence lives in Redis, which is down: degraded, not failed."""


def _minute_job(now: dt.datetime) -> tuple[bool, str]:
    last = jobs.last_run()
    if last is None:
        reachable, _ = cache_status(caches["default"])
        if not reachable:
            raise _CannotTell("last run unknown: its heartbeat is in the cache, unreachable")
        return False, "has not run yet"
    age = now - last
    limit = dt.timedelta(minutes=settings.JOB_STALE_MINUTES)
    return age <= limit, f"last ran {int(age.total_seconds())} s ago"


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    checks = {}
    degraded = []
    for name, check, required in (
        ("database", _database, True),
        ("broker", _broker, False),
        ("cache", lambda: cache_status(caches["default"]), False),
        ("outbox", lambda: _outbox(now), True),
        ("process_deadlines", lambda: _minute_job(now), True),
    ):
        try:
            ok, detail = check()
        except _CannotTell as exc:
            ok, detail, required = False, str(exc), False
        except Exception as exc:  # a check that cannot run has failed
            # Anyone can ask /readyz: the error's message names hosts, ports and database
            # users, so it goes to the log and the answer names only the kind of error.
            logger.warning("readyz: the %s check failed", name, exc_info=True)
            ok, detail = False, f"{type(exc).__name__} (details in the log)"
        checks[name] = {"ok": ok, "detail": detail}
        if not ok and not required:
            degraded.append(name)
    ready = all(c["ok"] for name, c in checks.items() if name not in degraded)
    status = "not ready" if not ready else "degraded" if degraded else "ready"
    return JsonResponse(
        {"status": status, "checks": checks, "degraded": degraded},
        status=200 if ready else 503,
    )
