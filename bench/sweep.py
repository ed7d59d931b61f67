"""The deadline sweep at scale: N overdue requests switched by the minute job's batches,
against one hand-written SQL statement doing the same writes set-based."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

from django.db import connection, transaction
from django.utils import timezone

from interviews import workflow
from interviews.models import InterviewRequest, Notification, RequestEvent, Status


@dataclasses.dataclass
class SweepResult:
    requests: int
    app_seconds: float
    sql_seconds: float

    @property
    def app_rate(self) -> float:
        return self.requests / self.app_seconds

    @property
    def sql_rate(self) -> float:
        return self.requests / self.sql_seconds

    @property
    def ratio(self) -> float:
        return self.app_seconds / self.sql_seconds


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


def _marks() -> tuple[int, int]:
    last_event = RequestEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_note = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return last_event, last_note


def run(count: int) -> SweepResult:
    now = timezone.now()
    ids = _make_overdue(count, now)
    if len(ids) < count:
        raise SystemExit(f"only {len(ids)} requests wait for an owner; seed more")
    event_mark, note_mark = _marks()

    started = time.perf_counter()
    switched = 0
    while done := workflow.switch_overdue_batch(now=now):
        switched += len(done)
    app_seconds = time.perf_counter() - started
    assert switched == count, (switched, count)
    assert Notification.objects.filter(pk__gt=note_mark).count() == 2 * count

    _restore(ids, now, event_mark, note_mark)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, {"now": now})
    sql_seconds = time.perf_counter() - started
    assert Notification.objects.filter(pk__gt=note_mark).count() == 2 * count

    _restore(ids, now, event_mark, note_mark)
    InterviewRequest.objects.filter(pk__in=ids).update(response_due_at=now + dt.timedelta(days=3))
    return SweepResult(count, app_seconds, sql_seconds)
