"""The minute job: reminders, the deadline switch, wake-ups and the outbox.

Each step works in batches until nothing is due. Any number of copies may run at once
(beat, a cron `manage.py process_deadlines`, an operator): rows are claimed with
SKIP LOCKED and every change is recorded under unique constraints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.core.cache import cache
from django.utils import timezone

from interviews import workflow
from interviews.notifications import outbox

log = logging.getLogger(__name__)

# The last completed run, for /readyz: in the shared cache, so any process can read it.
LAST_RUN_KEY = "interviews:process_deadlines:last_run"


@dataclasses.dataclass
class DeadlineRun:
    reminded: int = 0
    switched: int = 0
    woken: int = 0
    sent: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def _drain(batch, now: dt.datetime) -> int:
    total = 0
    while done := batch(now=now):
        total += len(done)
    return total


def process_deadlines(*, now: dt.datetime | None = None) -> DeadlineRun:
    now = now or timezone.now()
    run = DeadlineRun()
    # Wake first: a deferral ending today opens a window whose reminders are not due yet.
    run.woken = _drain(workflow.wake_batch, now)
    # Switch before reminding, so nobody is reminded of a deadline that already passed.
    run.switched = _drain(workflow.switch_overdue_batch, now)
    run.reminded = _drain(workflow.send_reminders_batch, now)
    run.sent, run.failed = outbox.send_pending(now=now)
    cache.set(LAST_RUN_KEY, timezone.now().isoformat(), timeout=None)
    if any(run.as_dict().values()):
        log.info("process_deadlines: %s", run.as_dict())
    return run


def last_run() -> dt.datetime | None:
    value = cache.get(LAST_RUN_KEY)
    return dt.datetime.fromisoformat(value) if value else None
