"""System transitions (deadline passed, deferral ended, reminders), written once for a
batch of rows; the per-request form is the same code applied to one id."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from interviews import calendar
from interviews.errors import InvalidTransition
from interviews.lifecycle import CLEARED_DEADLINES, TRANSITIONS
from interviews.models import (
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    Outreach,
    RequestEvent,
    Status,
)
from interviews.workflow import slack_direct, sweep_sql, team_channels
from interviews.workflow.base import (
    _notification,
    _now,
    _queue,
    _require_state,
    overdue_q,
    reminder_due_q,
    wake_due_q,
    window_fields,
)
from interviews.workflow.queueing import send_after_commit

# --- System transitions, written once for a batch ---------------------------------------------


_SYSTEM_ROW_FIELDS = (
    "id",
    "status",
    "version",
    "owner_id",
    "requested_by_id",
    "response_due_at",
    "response_window_days",
    "window_started_at",
    "wake_at",
    "deferred_until",
    "next_reminder_at",
    "reminders_sent",
)


def _claim(
    condition: Q, order_by: str, *, limit: int, ids: Sequence[int] | None
) -> list[dict[str, Any]]:
    """Lock up to `limit` due rows that no other worker holds."""
    return list(_claim_query(condition, order_by, limit=limit, ids=ids).values(*_SYSTEM_ROW_FIELDS))


def _claim_query(condition: Q, order_by: str, *, limit: int, ids: Sequence[int] | None):
    qs = InterviewRequest.objects.filter(condition)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.select_for_update(skip_locked=True).order_by(order_by, "pk")[:limit]


def _bulk_events(
    rows: Sequence[dict[str, Any]], *, kind: str, to: str, now: dt.datetime, details
) -> list[RequestEvent]:
    return RequestEvent.objects.bulk_create(
        RequestEvent(
            request_id=row["id"],
            actor=None,
            kind=kind,
            from_status=row["status"],
            to_status=to,
            version=row["version"] + 1,
            details=details(row),
            created_at=now,
        )
        for row in rows
    )


def _set_based() -> bool:
    """Whether the sweeps write each batch in one statement (`sweep_sql`): PostgreSQL."""
    return connection.vendor == "postgresql"


@transaction.atomic
def switch_overdue_batch(
    *, now: dt.datetime | None = None, limit: int | None = None, ids: Sequence[int] | None = None
) -> list[int]:
    """The owner's window passed: marketing may contact the customer directly.

    Returns the ids switched. The owner gets a courtesy notice, the marketer the go-ahead.
    """
    now = _now(now)
    limit = limit or settings.JOB_BATCH_SIZE
    if _set_based():
        return _switch_in_one_statement(now=now, limit=limit, ids=ids)
    return switch_with_orm(now=now, limit=limit, ids=ids)


def switch_with_orm(*, now: dt.datetime, limit: int, ids: Sequence[int] | None) -> list[int]:
    """The same switch through the ORM, for databases without data-modifying WITH (and for
    the benchmark's before/after on PostgreSQL). Call inside a transaction."""
    rows = _claim(overdue_q(now), "response_due_at", limit=limit, ids=ids)
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    InterviewRequest.objects.filter(pk__in=ids).update(
        status=Status.MARKETING_OUTREACH,
        outreach_by=Outreach.MARKETING,
        escalated=True,
        version=F("version") + 1,
        updated_at=now,
        status_changed_at=now,
        **CLEARED_DEADLINES,
    )
    events = _bulk_events(
        rows,
        kind=EventKind.DEADLINE_PASSED,
        to=Status.MARKETING_OUTREACH,
        now=now,
        details=lambda row: {"was": row["status"], "deadline": row["response_due_at"].isoformat()},
    )
    notifications = []
    for row, event in zip(rows, events, strict=True):
        for kind, recipient in (
            (NotificationKind.SWITCHED_OWNER, row["owner_id"]),
            (NotificationKind.SWITCHED_MARKETER, row["requested_by_id"]),
        ):
            notifications.append(
                _notification(
                    kind=kind,
                    recipient_id=recipient,
                    request_id=row["id"],
                    version=event.version,
                    now=now,
                    event=event,
                    payload={"was": row["status"]},
                )
            )
    notifications += team_channels.notifications_for(
        kind=NotificationKind.SWITCHED_MARKETER,
        requests=[
            (row["id"], event.version, row["requested_by_id"], row["owner_id"], event.pk)
            for row, event in zip(rows, events, strict=True)
        ],
        now=now,
    )
    notifications += slack_direct.refresh_rows(
        [
            (row["id"], event.version, row["owner_id"])
            for row, event in zip(rows, events, strict=True)
        ],
        now=now,
    )
    _queue(notifications)
    return ids


def _switch_in_one_statement(
    *, now: dt.datetime, limit: int, ids: Sequence[int] | None
) -> list[int]:
    claim = _claim_query(overdue_q(now), "response_due_at", limit=limit, ids=ids).values(
        "id", "status", "owner_id", "requested_by_id", "response_due_at"
    )
    # The emails, their Slack twins, the team channels' posts and the Slack refreshes,
    # all written by the statement.
    switched, outbox_ids = sweep_sql.switch_batch(*claim.query.sql_with_params(), now=now)
    send_after_commit(outbox_ids)
    return [row[0] for row in switched]


def _windows(
    rows: Sequence[dict[str, Any]], now: dt.datetime
) -> tuple[list[int], list[dict[str, Any]]]:
    """The new window of each row waking at `now`, computed once per window length:
    (each row's index into the windows, the windows)."""
    index: dict[int, int] = {}
    windows: list[dict[str, Any]] = []
    window_of = []
    for row in rows:
        days = row["response_window_days"]
        if days not in index:
            index[days] = len(windows)
            windows.append(window_fields(now, days))
        window_of.append(index[days])
    return window_of, windows


@transaction.atomic
def wake_batch(
    *, now: dt.datetime | None = None, limit: int | None = None, ids: Sequence[int] | None = None
) -> list[int]:
    """Deferrals whose date came: back to the owner with a fresh window."""
    now = _now(now)
    limit = limit or settings.JOB_BATCH_SIZE
    if _set_based():
        # Only what the calendar needs comes to Python: the statement reads the rest.
        rows = list(
            _claim_query(wake_due_q(now), "wake_at", limit=limit, ids=ids).values(
                "id", "response_window_days"
            )
        )
        if not rows:
            return []
        window_of, windows = _windows(rows, now)
        woken = [row["id"] for row in rows]
        send_after_commit(sweep_sql.wake_batch(woken, window_of, windows, now=now))
        return woken
    rows = _claim(wake_due_q(now), "wake_at", limit=limit, ids=ids)
    if not rows:
        return []
    window_of, windows = _windows(rows, now)
    _wake_with_orm(rows, [windows[i] for i in window_of], now)
    return [row["id"] for row in rows]


def _wake_with_orm(
    rows: Sequence[dict[str, Any]], windows: Sequence[dict[str, Any]], now: dt.datetime
) -> None:
    objs = []
    for row, window in zip(rows, windows, strict=True):
        obj = InterviewRequest(
            pk=row["id"], status=Status.AWAITING_OWNER, version=row["version"] + 1
        )
        for name, value in window.items():
            setattr(obj, name, value)
        obj.deferred_until = None
        obj.wake_at = None
        obj.updated_at = now
        obj.status_changed_at = now
        objs.append(obj)
    # One UPDATE for the batch: each row gets its own deadline through CASE WHEN.
    InterviewRequest.objects.bulk_update(
        objs,
        [
            "status",
            "version",
            "deferred_until",
            "wake_at",
            "updated_at",
            "status_changed_at",
            *windows[0].keys(),
        ],
        batch_size=len(objs),
    )
    deadline = {row["id"]: w["response_due_at"] for row, w in zip(rows, windows, strict=True)}
    events = _bulk_events(
        rows,
        kind=EventKind.WOKE,
        to=Status.AWAITING_OWNER,
        now=now,
        details=lambda row: {
            "deferred_until": row["deferred_until"].isoformat() if row["deferred_until"] else None,
            "response_due_at": deadline[row["id"]].isoformat(),
        },
    )
    _queue(
        slack_direct.refresh_rows(
            [(row["id"], e.version, row["owner_id"]) for row, e in zip(rows, events, strict=True)],
            now=now,
        )
    )
    _queue(
        _notification(
            kind=NotificationKind.WOKE,
            recipient_id=row["owner_id"],
            request_id=row["id"],
            version=event.version,
            now=now,
            event=event,
        )
        for row, event in zip(rows, events, strict=True)
    )


def _reminder_plan(
    rows: Sequence[dict[str, Any]], now: dt.datetime
) -> tuple[dict[int, dt.datetime | None], list[tuple[int, int | None, dict[str, Any], str]]]:
    """Each row's next reminder time, and the emails: one per owner listing all their due
    requests, soonest deadline first, as (owner id, the request id if only one, payload,
    unique key)."""
    following: dict[int, dt.datetime | None] = {}
    by_owner: dict[int, list[dict[str, Any]]] = defaultdict(list)
    # `calendar.next_reminder_after` for each row, the calendar consulted once per deadline.
    candidates: dict[dt.datetime, list[dt.datetime]] = {}
    for row in rows:
        deadline = row["response_due_at"]
        if deadline not in candidates:
            candidates[deadline] = calendar.reminder_candidates(deadline)
        start = max(row["window_started_at"], now)
        following[row["id"]] = next((t for t in candidates[deadline] if t > start), None)
        by_owner[row["owner_id"]].append(row)
    emails = []
    for owner_id, owner_rows in by_owner.items():
        owner_rows.sort(key=lambda r: r["response_due_at"])
        marks = ",".join(f"{r['id']}.{r['version']}.{r['reminders_sent']}" for r in owner_rows)
        digest = hashlib.sha256(marks.encode()).hexdigest()[:32]
        payload = {
            "request_ids": [r["id"] for r in owner_rows],
            "cc_manager": settings.REMINDER_CC_MANAGER
            and any(following[r["id"]] is None for r in owner_rows),
        }
        single = owner_rows[0]["id"] if len(owner_rows) == 1 else None
        emails.append((owner_id, single, payload, f"reminder:{owner_id}:{digest}"))
    return following, emails


@transaction.atomic
def send_reminders_batch(
    *, now: dt.datetime | None = None, limit: int | None = None, ids: Sequence[int] | None = None
) -> list[int]:
    """Remind owners of answers due soon: one email per owner listing all their due requests.

    Each request's reminder stage is advanced on its locked row, so a reminder is sent once
    however often or wherever the job runs.
    """
    now = _now(now)
    limit = limit or settings.JOB_BATCH_SIZE
    if _set_based():
        # Only what the calendar needs comes to Python (the deadlines, a handful per
        # batch); the statement plans the rest as `_reminder_plan` does.
        claimed = list(
            _claim_query(reminder_due_q(now), "next_reminder_at", limit=limit, ids=ids).values_list(
                "id", "response_due_at"
            )
        )
        if not claimed:
            return []
        candidates = {
            deadline: calendar.reminder_candidates(deadline)
            for deadline in {deadline for _, deadline in claimed}
        }
        reminded = [request_id for request_id, _ in claimed]
        send_after_commit(sweep_sql.remind_batch(reminded, candidates, now=now))
        return reminded
    rows = _claim(reminder_due_q(now), "next_reminder_at", limit=limit, ids=ids)
    if not rows:
        return []
    following, emails = _reminder_plan(rows, now)
    _remind_with_orm(rows, following, emails, now)
    return [row["id"] for row in rows]


def _remind_with_orm(
    rows: Sequence[dict[str, Any]],
    following: dict[int, dt.datetime | None],
    emails: Sequence[tuple[int, int | None, dict[str, Any], str]],
    now: dt.datetime,
) -> None:
    InterviewRequest.objects.bulk_update(
        [
            InterviewRequest(
                pk=row["id"],
                next_reminder_at=following[row["id"]],
                reminders_sent=row["reminders_sent"] + 1,
            )
            for row in rows
        ],
        ["next_reminder_at", "reminders_sent"],
        batch_size=len(rows),
    )
    RequestEvent.objects.bulk_create(
        RequestEvent(
            request_id=row["id"],
            actor=None,
            kind=EventKind.REMINDER_SENT,
            from_status=row["status"],
            to_status=row["status"],
            version=row["version"],
            details={
                "reminder": row["reminders_sent"] + 1,
                "deadline": row["response_due_at"].isoformat(),
            },
            created_at=now,
        )
        for row in rows
    )
    _queue(
        Notification(
            kind=NotificationKind.REMINDER,
            recipient_id=owner_id,
            request_id=single,
            payload=payload,
            unique_key=key,
            next_attempt_at=now,
            created_at=now,
        )
        for owner_id, single, payload, key in emails
    )


def _system_single(
    batch, request_id: int, action: str, now: dt.datetime | None
) -> InterviewRequest:
    if not batch(now=now, ids=[request_id]):
        request = InterviewRequest.objects.filter(pk=request_id).first()
        if request is None:
            raise InvalidTransition(_("This interview request does not exist."), status=None)
        if request.status in TRANSITIONS[action]:
            raise InvalidTransition(
                _("It is not time for this yet, or another worker is doing it right now."),
                status=request.status,
                request_id=request_id,
            )
        _require_state(request, action)
    return InterviewRequest.objects.get(pk=request_id)


def request_switch_overdue(*, request_id: int, now: dt.datetime | None = None) -> InterviewRequest:
    """The per-request form of the deadline switch (same rule as the minute job)."""
    return _system_single(switch_overdue_batch, request_id, "switch_overdue", now)


def request_wake(*, request_id: int, now: dt.datetime | None = None) -> InterviewRequest:
    return _system_single(wake_batch, request_id, "wake", now)
