"""The deadline sweep at scale: N overdue requests switched by the minute job's batches,
against one hand-written SQL statement doing the same writes set-based, and against the
ORM batches the sweep used before (the "before" of the before/after).

Fair by construction: after an untimed pass of each contender, before every timed run the
same rows are made overdue again and the tables VACUUMed and ANALYZEd (changing 10,000 of
100,000 rows stays under autovacuum's analyze threshold, and with stale statistics the
planner believed one row was due and chose a nested loop that made the SQL look four
times slower than it is); the contenders run in a rotated order, ROUNDS rounds each, and
every round is reported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from interviews import workflow
from interviews.models import InterviewRequest, Notification, RequestEvent, Status
from interviews.workflow import system

ROUNDS = 3
CONTENDERS = ("app", "sql", "orm")


@dataclasses.dataclass
class SweepResult:
    requests: int
    rounds: dict[str, list[float]]  # contender -> seconds per round, in the order run
    order: list[list[str]]  # the order of each round

    def best(self, contender: str) -> float:
        return min(self.rounds[contender])

    def median(self, contender: str) -> float:
        return statistics.median(self.rounds[contender])

    @property
    def app_seconds(self) -> float:
        return self.best("app")

    @property
    def sql_seconds(self) -> float:
        return self.best("sql")

    @property
    def app_rate(self) -> float:
        return self.requests / self.app_seconds

    @property
    def sql_rate(self) -> float:
        return self.requests / self.sql_seconds

    @property
    def ratio(self) -> float:
        """Best app round over best SQL round."""
        return self.app_seconds / self.sql_seconds

    @property
    def ratio_before(self) -> float:
        """The ORM batches (the sweep before it became one statement) over the best SQL."""
        return self.best("orm") / self.sql_seconds


BASELINE_SQL = """
WITH due AS (
    SELECT id, status, owner_id, requested_by_id, response_due_at
    FROM interviews_interviewrequest
    WHERE status IN ('awaiting_owner', 'owner_outreach') AND response_due_at <= %(now)s
    FOR UPDATE SKIP LOCKED
), switched AS (
    UPDATE interviews_interviewrequest r
    SET status = 'marketing_outreach', outreach_by = 'marketing', escalated = TRUE,
        version = r.version + 1, updated_at = %(now)s, status_changed_at = %(now)s,
        response_due_at = NULL, next_reminder_at = NULL, deferred_until = NULL, wake_at = NULL
    FROM due WHERE r.id = due.id
    RETURNING r.id, r.version, due.status AS was, due.owner_id, due.requested_by_id,
              due.response_due_at
), events AS (
    INSERT INTO interviews_requestevent
        (request_id, actor_id, kind, from_status, to_status, version, details, created_at)
    SELECT id, NULL, 'deadline_passed', was, 'marketing_outreach', version,
           jsonb_build_object('was', was, 'deadline', response_due_at), %(now)s
    FROM switched
    RETURNING id, request_id
)
INSERT INTO interviews_notification
    (recipient_id, kind, channel, request_id, event_id, payload, unique_key, status, attempts,
     next_attempt_at, last_error, created_at)
SELECT who.recipient_id, who.kind, 'email', s.id, e.id, jsonb_build_object('was', s.was),
       who.kind || ':' || s.id || ':' || s.version || ':' || who.recipient_id,
       'pending', 0, %(now)s, '', %(now)s
FROM switched s
JOIN events e ON e.request_id = s.id
CROSS JOIN LATERAL (VALUES ('switched_owner', s.owner_id),
                           ('switched_marketer', s.requested_by_id)) AS who(kind, recipient_id)
"""


def _make_overdue(count: int, now: dt.datetime) -> list[int]:
    ids = list(
        InterviewRequest.objects.filter(status=Status.AWAITING_OWNER)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    InterviewRequest.objects.filter(pk__in=ids).update(
        response_due_at=now - dt.timedelta(minutes=1), next_reminder_at=None
    )
    return ids


def _restore(ids: list[int], now: dt.datetime, event_mark: int, note_mark: int) -> None:
    """Put the switched requests back as they were, so each run starts from the same state."""
    with transaction.atomic():
        Notification.objects.filter(pk__gt=note_mark).delete()
        RequestEvent.objects.filter(pk__gt=event_mark).delete()
        InterviewRequest.objects.filter(pk__in=ids).update(
            status=Status.AWAITING_OWNER,
            outreach_by="",
            escalated=False,
            version=1,
            response_due_at=now - dt.timedelta(minutes=1),
        )


def _vacuum_analyze() -> None:
    """Fresh statistics, and no dead rows left by the previous contender's restore."""
    tables = [m._meta.db_table for m in (InterviewRequest, RequestEvent, Notification)]
    with connection.cursor() as cursor:
        for name in tables:
            cursor.execute(f"VACUUM (ANALYZE) {name}")


def _marks() -> tuple[int, int]:
    last_event = RequestEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_note = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return last_event, last_note


def _app(now: dt.datetime) -> int:
    switched = 0
    while done := workflow.switch_overdue_batch(now=now):
        switched += len(done)
    return switched


def _orm(now: dt.datetime) -> int:
    switched = 0
    while True:
        with transaction.atomic():
            done = system.switch_with_orm(now=now, limit=settings.JOB_BATCH_SIZE, ids=None)
        if not done:
            return switched
        switched += len(done)


def _sql(now: dt.datetime) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, {"now": now})
    return -1


_RUN = {"app": _app, "sql": _sql, "orm": _orm}


def run(count: int, rounds: int = ROUNDS) -> SweepResult:
    now = timezone.now()
    ids = _make_overdue(count, now)
    if len(ids) < count:
        raise SystemExit(f"only {len(ids)} requests wait for an owner; seed more")
    event_mark, note_mark = _marks()
    times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    orders = []
    try:
        # One untimed pass of each first: the first contender of round 1 would otherwise
        # pay for cold caches alone.
        for name in CONTENDERS:
            _restore(ids, now, event_mark, note_mark)
            _RUN[name](now)
        for index in range(rounds):
            # Rotate who goes first: caches and autovacuum favour no one.
            order = list(CONTENDERS[index % 3 :] + CONTENDERS[: index % 3])
            orders.append(order)
            for name in order:
                _restore(ids, now, event_mark, note_mark)
                _vacuum_analyze()
                started = time.perf_counter()
                switched = _RUN[name](now)
                times[name].append(time.perf_counter() - started)
                assert switched in (count, -1), (name, switched, count)
                emails = Notification.objects.filter(pk__gt=note_mark).count()
                assert emails == 2 * count, (name, emails)
    finally:
        _restore(ids, now, event_mark, note_mark)
        InterviewRequest.objects.filter(pk__in=ids).update(
            response_due_at=now + dt.timedelta(days=3)
        )
    return SweepResult(count, times, orders)
