"""The minute job's other sweeps at scale: N deferred requests waking on their date, and N
requests whose reminder is due, each swept by the app's batches, by one hand-written SQL
statement doing the same writes set-based, and by the ORM batches (model objects,
bulk_update, bulk_create: the sweeps before they became one statement per batch).

Fair in the same ways as the deadline sweep (bench/sweep.py): before every timed run the
same rows are made due again and the tables VACUUMed and ANALYZEd, the contenders run in a
rotated order, ROUNDS rounds each, every round reported; and each run must leave exactly
the same outbox rows and events as the others (kinds, recipients, unique keys, payloads),
checked after every run. The hand-written SQL gets the business calendar the way the app
does (computed in Python, once per window length or deadline), inside its timing.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from unittest import mock

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from bench.sweep import ROUNDS, SweepResult, _vacuum_analyze
from interviews import calendar, workflow
from interviews.models import InterviewRequest, Notification, RequestEvent, Status
from interviews.workflow import system
from interviews.workflow.base import window_fields

CONTENDERS = ("app", "sql", "orm")
_SAVED = (
    "status",
    "version",
    "response_due_at",
    "next_reminder_at",
    "reminders_sent",
    "window_started_at",
    "deferred_until",
    "wake_at",
    "updated_at",
    "status_changed_at",
)

WAKE_SQL = """
WITH w AS (
    SELECT * FROM unnest(%(days)s::int[], %(starts)s::timestamptz[], %(dues)s::timestamptz[],
                         %(nexts)s::timestamptz[], %(texts)s::text[])
        AS w(days, started_at, response_due_at, next_reminder_at, due_text)
), due AS (
    SELECT id, status, owner_id, deferred_until, response_window_days
    FROM interviews_interviewrequest
    WHERE status = 'deferred' AND wake_at <= %(now)s
    FOR UPDATE SKIP LOCKED
), woken AS (
    UPDATE interviews_interviewrequest r
    SET status = 'awaiting_owner', version = r.version + 1, deferred_until = NULL,
        wake_at = NULL, updated_at = %(now)s, status_changed_at = %(now)s,
        window_started_at = w.started_at, response_due_at = w.response_due_at,
        reminders_sent = 0, next_reminder_at = w.next_reminder_at
    FROM due JOIN w ON w.days = due.response_window_days
    WHERE r.id = due.id
    RETURNING r.id, r.version, due.owner_id, due.status AS was, due.deferred_until, w.due_text,
              nextval(pg_get_serial_sequence('interviews_requestevent', 'id')) AS event_id
), events AS (
    INSERT INTO interviews_requestevent
        (id, request_id, actor_id, kind, from_status, to_status, version, details, created_at)
    SELECT event_id, id, NULL, 'woke', was, 'awaiting_owner', version,
           jsonb_build_object('deferred_until', deferred_until, 'response_due_at', due_text),
           %(now)s
    FROM woken
)
INSERT INTO interviews_notification
    (recipient_id, kind, channel, request_id, event_id, payload, unique_key, status, attempts,
     next_attempt_at, last_error, created_at)
SELECT owner_id, 'woke', 'email', id, event_id, '{}'::jsonb,
       'woke:' || id || ':' || version || ':' || owner_id, 'pending', 0, %(now)s, '', %(now)s
FROM woken
"""

# One email per owner per batch of the app (the app groups an owner's due reminders within
# a batch of JOB_BATCH_SIZE rows taken in (next_reminder_at, id) order): the same rows.
REMIND_SQL = """
WITH c AS (
    SELECT * FROM unnest(%(deadlines)s::timestamptz[], %(times)s::timestamptz[])
        AS c(deadline, at)
), locked AS (
    SELECT id, status, version, owner_id, reminders_sent, response_due_at, window_started_at,
           next_reminder_at
    FROM interviews_interviewrequest
    WHERE status IN ('awaiting_owner', 'owner_outreach') AND next_reminder_at <= %(now)s
    FOR UPDATE SKIP LOCKED
), planned AS (
    SELECT l.*,
           (row_number() OVER (ORDER BY next_reminder_at, id) - 1) / %(batch)s AS batch,
           (SELECT min(c.at) FROM c
            WHERE c.deadline = l.response_due_at AND c.at > l.window_started_at
                  AND c.at > %(now)s) AS following
    FROM locked l
), reminded AS (
    UPDATE interviews_interviewrequest r
    SET next_reminder_at = p.following, reminders_sent = r.reminders_sent + 1
    FROM planned p WHERE r.id = p.id
), events AS (
    INSERT INTO interviews_requestevent
        (request_id, actor_id, kind, from_status, to_status, version, details, created_at)
    SELECT id, NULL, 'reminder_sent', status, status, version,
           jsonb_build_object('reminder', reminders_sent + 1, 'deadline',
               to_char(response_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
               || CASE WHEN mod(date_part('microseconds', response_due_at)::int, 1000000) <> 0
                  THEN to_char(response_due_at AT TIME ZONE 'UTC', '.US') ELSE '' END
               || '+00:00'),
           %(now)s
    FROM planned
)
INSERT INTO interviews_notification
    (recipient_id, kind, channel, request_id, event_id, payload, unique_key, status, attempts,
     next_attempt_at, last_error, created_at)
SELECT owner_id, 'reminder', 'email', CASE WHEN count(*) = 1 THEN min(id) END, NULL,
       jsonb_build_object(
           'request_ids', jsonb_agg(id ORDER BY response_due_at, next_reminder_at, id),
           'cc_manager', %(cc)s AND bool_or(following IS NULL)),
       'reminder:' || owner_id || ':' || left(encode(sha256(convert_to(
           string_agg(id || '.' || version || '.' || reminders_sent, ','
                      ORDER BY response_due_at, next_reminder_at, id), 'UTF8')), 'hex'), 32),
       'pending', 0, %(now)s, '', %(now)s
FROM planned
GROUP BY owner_id, batch
"""


def _wake_sql(now: dt.datetime) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT response_window_days FROM interviews_interviewrequest "
            "WHERE status = 'deferred' AND wake_at <= %s",
            [now],
        )
        days = [row[0] for row in cursor.fetchall()]
        windows = [window_fields(now, d) for d in days]
        cursor.execute(
            WAKE_SQL,
            {
                "now": now,
                "days": days,
                "starts": [w["window_started_at"] for w in windows],
                "dues": [w["response_due_at"] for w in windows],
                "nexts": [w["next_reminder_at"] for w in windows],
                "texts": [w["response_due_at"].isoformat() for w in windows],
            },
        )


def _remind_sql(now: dt.datetime) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT response_due_at FROM interviews_interviewrequest "
            "WHERE status IN ('awaiting_owner', 'owner_outreach') AND next_reminder_at <= %s",
            [now],
        )
        pairs = [
            (deadline, at)
            for (deadline,) in cursor.fetchall()
            for at in calendar.reminder_candidates(deadline)
        ]
        cursor.execute(
            REMIND_SQL,
            {
                "now": now,
                "deadlines": [d for d, _ in pairs],
                "times": [t for _, t in pairs],
                "batch": settings.JOB_BATCH_SIZE,
                "cc": settings.REMINDER_CC_MANAGER,
            },
        )


def _drain(batch):
    def run(now: dt.datetime) -> None:
        while batch(now=now):
            pass

    return run


def _orm(batch):
    def run(now: dt.datetime) -> None:
        with mock.patch.object(system, "_set_based", lambda: False):
            _drain(batch)(now)

    return run


SWEEPS = {
    "wake": {
        "app": _drain(workflow.wake_batch),
        "sql": _wake_sql,
        "orm": _orm(workflow.wake_batch),
    },
    "reminders": {
        "app": _drain(workflow.send_reminders_batch),
        "sql": _remind_sql,
        "orm": _orm(workflow.send_reminders_batch),
    },
}


def _make_due(kind: str, ids: list[int], now: dt.datetime) -> None:
    rows = InterviewRequest.objects.filter(pk__in=ids)
    if kind == "wake":
        rows.update(
            status=Status.DEFERRED,
            deferred_until=(now - dt.timedelta(days=1)).date(),
            wake_at=now - dt.timedelta(minutes=1),
            response_due_at=None,
            next_reminder_at=None,
        )
    else:
        rows.update(next_reminder_at=now - dt.timedelta(minutes=1))


def _put_back(saved: str) -> None:
    columns = ", ".join(f"{name} = s.{name}" for name in _SAVED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE interviews_interviewrequest r SET {columns} "  # noqa: S608 (our column names)
            "FROM jsonb_populate_recordset(NULL::interviews_interviewrequest, %s::jsonb) s "
            "WHERE r.id = s.id",
            [saved],
        )


def _restore(kind, ids, now, saved, event_mark, note_mark) -> None:
    with transaction.atomic():
        Notification.objects.filter(pk__gt=note_mark).delete()
        RequestEvent.objects.filter(pk__gt=event_mark).delete()
        _put_back(saved)
        _make_due(kind, ids, now)


def _written(event_mark: int, note_mark: int) -> tuple[list, list]:
    """What a run left: its outbox rows and events, comparable across contenders."""
    notes = sorted(
        Notification.objects.filter(pk__gt=note_mark).values_list(
            "kind", "channel", "recipient_id", "request_id", "unique_key", "payload"
        ),
        key=lambda row: row[4],
    )
    events = sorted(
        RequestEvent.objects.filter(pk__gt=event_mark).values_list(
            "request_id", "kind", "from_status", "to_status", "version", "details"
        ),
        key=lambda row: (row[0], row[1]),
    )
    return [json.dumps(n, sort_keys=True, default=str) for n in notes], [
        json.dumps(e, sort_keys=True, default=str) for e in events
    ]


def run(kind: str, count: int, rounds: int = ROUNDS) -> SweepResult:
    now = timezone.now()
    ids = list(
        InterviewRequest.objects.filter(status=Status.AWAITING_OWNER)
        .order_by("-pk")
        .values_list("pk", flat=True)[:count]
    )
    if len(ids) < count:
        raise SystemExit(f"only {len(ids)} requests wait for an owner; seed more")
    saved = json.dumps(
        list(InterviewRequest.objects.filter(pk__in=ids).values("id", *_SAVED)),
        cls=DjangoJSONEncoder,
    )
    event_mark = RequestEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    note_mark = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    contenders = SWEEPS[kind]
    times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    orders = []
    expected = None
    try:
        for name in CONTENDERS:  # untimed: warm caches, and the rows each must write
            _restore(kind, ids, now, saved, event_mark, note_mark)
            contenders[name](now)
            written = _written(event_mark, note_mark)
            expected = expected or written
            assert written == expected, f"{kind}: {name} wrote other rows than {CONTENDERS[0]}"
        for index in range(rounds):
            order = list(CONTENDERS[index % 3 :] + CONTENDERS[: index % 3])
            orders.append(order)
            for name in order:
                _restore(kind, ids, now, saved, event_mark, note_mark)
                _vacuum_analyze()
                started = time.perf_counter()
                contenders[name](now)
                times[name].append(time.perf_counter() - started)
                notes = Notification.objects.filter(pk__gt=note_mark).count()
                assert notes == len(expected[0]), (kind, name, notes)
    finally:
        with transaction.atomic():
            Notification.objects.filter(pk__gt=note_mark).delete()
            RequestEvent.objects.filter(pk__gt=event_mark).delete()
            _put_back(saved)
    return SweepResult(count, times, orders)
