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
from interviews.workflow import slack_direct, switch_sql, team_channels
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


@transaction.atomic
def switch_overdue_batch(
    *, now: dt.datetime | None = None, limit: int | None = None, ids: Sequence[int] | None = None
) -> list[int]:
    """The owner's window passed: marketing may contact the customer directly.

    Returns the ids switched. The owner gets a courtesy notice, the marketer the go-ahead.
    """
    now = _now(now)
    limit = limit or settings.JOB_BATCH_SIZE
    # With Slack direct messages on, each email may get a Slack twin or give way to one
    # (`slack_direct.with_direct_messages`, per person): not in the statement yet, so those
    # installations take the ORM path.
    if connection.vendor == "postgresql" and not settings.SLACK_BOT_TOKEN:
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
    switched, email_ids = switch_sql.switch_batch(*claim.query.sql_with_params(), now=now)
    if not switched:
        return []
    # Team channels are rare (a manager with a Slack webhook), and so are owners on Slack:
    # their rows are written the ordinary way.
    slack = Notification.objects.bulk_create(
        team_channels.notifications_for(
            kind=NotificationKind.SWITCHED_MARKETER, requests=switched, now=now
        )
        + slack_direct.refresh_rows(
            [(request_id, version, owner_id) for request_id, version, _, owner_id, _ in switched],
            now=now,
        )
    )
    send_after_commit(email_ids + [n.pk for n in slack])
    return [row[0] for row in switched]


@transaction.atomic
def wake_batch(
    *, now: dt.datetime | None = None, limit: int | None = None, ids: Sequence[int] | None = None
) -> list[int]:
    """Deferrals whose date came: back to the owner with a fresh window."""
    now = _now(now)
    rows = _claim(wake_due_q(now), "wake_at", limit=limit or settings.JOB_BATCH_SIZE, ids=ids)
    if not rows:
        return []
    windows = {row["id"]: window_fields(now, row["response_window_days"]) for row in rows}
    objs = []
    for row in rows:
        obj = InterviewRequest(
            pk=row["id"], status=Status.AWAITING_OWNER, version=row["version"] + 1
        )
        for name, value in windows[row["id"]].items():
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
            *windows[rows[0]["id"]].keys(),
        ],
        batch_size=len(objs),
    )
    events = _bulk_events(
        rows,
        kind=EventKind.WOKE,
        to=Status.AWAITING_OWNER,
        now=now,
        details=lambda row: {
            "deferred_until": row["deferred_until"].isoformat() if row["deferred_until"] else None,
            "response_due_at": windows[row["id"]]["response_due_at"].isoformat(),
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
    return [row["id"] for row in rows]


@transaction.atomic
def send_reminders_batch(
    *, now: dt.datetime | None = None, limit: int | None = None, ids: Sequence[int] | None = None
) -> list[int]:
    """Remind owners of answers due soon: one email per owner listing all their due requests.

    Each request's reminder stage is advanced on its locked row, so a reminder is sent once
    however often or wherever the job runs.
    """
    now = _now(now)
    rows = _claim(
        reminder_due_q(now), "next_reminder_at", limit=limit or settings.JOB_BATCH_SIZE, ids=ids
    )
    if not rows:
        return []
    objs = []
    by_owner: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        following = calendar.next_reminder_after(
            row["window_started_at"], row["response_due_at"], now
        )
        row["final"] = following is None
        objs.append(
            InterviewRequest(
                pk=row["id"], next_reminder_at=following, reminders_sent=row["reminders_sent"] + 1
            )
        )
        by_owner[row["owner_id"]].append(row)
    InterviewRequest.objects.bulk_update(
        objs, ["next_reminder_at", "reminders_sent"], batch_size=len(objs)
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
    notifications = []
    for owner_id, owner_rows in by_owner.items():
        owner_rows.sort(key=lambda r: r["response_due_at"])
        marks = ",".join(f"{r['id']}.{r['version']}.{r['reminders_sent']}" for r in owner_rows)
        digest = hashlib.sha256(marks.encode()).hexdigest()[:32]
        notifications.append(
            Notification(
                kind=NotificationKind.REMINDER,
                recipient_id=owner_id,
                request_id=owner_rows[0]["id"] if len(owner_rows) == 1 else None,
                payload={
                    "request_ids": [r["id"] for r in owner_rows],
                    "cc_manager": settings.REMINDER_CC_MANAGER
                    and any(r["final"] for r in owner_rows),
                },
                unique_key=f"reminder:{owner_id}:{digest}",
                next_attempt_at=now,
                created_at=now,
            )
        )
    _queue(notifications)
    return [row["id"] for row in rows]


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
