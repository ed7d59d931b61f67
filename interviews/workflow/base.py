"""What every transition shares: the rules the sweeps apply to batches, locking and the
checks, and writing events and notifications (the table itself is `interviews.lifecycle`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews import calendar
from interviews.errors import (
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    StaleVersion,
)
from interviews.lifecycle import CLEARED_DEADLINES, TRANSITIONS
from interviews.models import (
    CLOSED_STATUSES,
    WAITING_ON_OWNER_STATUSES,
    InterviewRequest,
    Notification,
    ReasonCategory,
    RequestEvent,
    Status,
)
from interviews.workflow import slack_direct, team_channels
from interviews.workflow.queueing import queue_notifications

REASON_MAX_LENGTH = 2000

# --- Rules shared by the per-request functions and the sweeps ----------------------------


def overdue_q(now: dt.datetime) -> Q:
    """Requests whose owner let the window pass."""
    return Q(status__in=WAITING_ON_OWNER_STATUSES, response_due_at__lte=now)


def wake_due_q(now: dt.datetime) -> Q:
    """Deferred requests whose date has come."""
    return Q(status=Status.DEFERRED, wake_at__lte=now)


def reminder_due_q(now: dt.datetime) -> Q:
    return Q(status__in=WAITING_ON_OWNER_STATUSES, next_reminder_at__lte=now)


def window_fields(start: dt.datetime, business_days: int) -> dict[str, Any]:
    """The fields that open a new window for the owner at `start`."""
    due = calendar.deadline_after(start, business_days)
    return {
        "window_started_at": start,
        "response_due_at": due,
        "reminders_sent": 0,
        "next_reminder_at": calendar.next_reminder_after(start, due, start),
    }


# --- Small helpers ---------------------------------------------------------------------


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _lock(request_id: int) -> InterviewRequest:
    try:
        return (
            InterviewRequest.objects.select_for_update(of=("self",))
            .select_related("account", "owner", "requested_by")
            .get(pk=request_id)
        )
    except InterviewRequest.DoesNotExist:
        raise InvalidTransition(_("This interview request does not exist."), status=None) from None


def _require_state(request: InterviewRequest, action: str) -> None:
    if request.status not in TRANSITIONS[action]:
        raise InvalidTransition(
            _("This can no longer be done: the request is now “%(status)s”.")
            % {"status": request.get_status_display()},
            status=request.status,
            request_id=request.pk,
        )


def _require(allowed: bool, message: Any = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("You are not allowed to do this for this request."))


def _begin(
    request_id: int,
    *,
    action: str,
    by: User,
    allowed: Callable[[User, InterviewRequest], bool],
    expected_version: int | None,
    message: Any = None,
) -> InterviewRequest:
    """Lock the row, then check in order: who acts, which version they saw, the state."""
    request = _lock(request_id)
    _require(allowed(by, request), message)
    _check_version(request, expected_version)
    _require_state(request, action)
    return request


def _check_version(request: InterviewRequest, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != request.version:
        raise StaleVersion(
            _(
                "The request changed since this was sent to you; it is now “%(status)s”. "
                "Nothing was changed."
            )
            % {"status": request.get_status_display()},
            status=request.status,
            request_id=request.pk,
        )


def _clean_reason(text: str, *, field: str = "reason", required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput(_("Please give a reason."), field=field)
    if len(text) > REASON_MAX_LENGTH:
        raise InvalidInput(
            _("Please keep this under %(limit)d characters.") % {"limit": REASON_MAX_LENGTH},
            field=field,
        )
    return text


def _clean_category(category: str) -> str:
    if category not in ReasonCategory.values:
        raise InvalidInput(_("Please choose a reason from the list."), field="reason_category")
    return category


def _notification(
    *,
    kind: str,
    recipient_id: int,
    request_id: int | None,
    version: int,
    now: dt.datetime,
    event: RequestEvent | None = None,
    payload: dict[str, Any] | None = None,
) -> Notification:
    return Notification(
        kind=kind,
        recipient_id=recipient_id,
        request_id=request_id,
        event=event,
        payload=payload or {},
        # One email of a kind per recipient per request version: a retried transition
        # cannot queue it twice.
        unique_key=f"{kind}:{request_id}:{version}:{recipient_id}",
        next_attempt_at=now,
        created_at=now,
    )


def _queue(notifications: Iterable[Notification]) -> None:
    queue_notifications(notifications)


def _team_channels(
    kind: str, request: InterviewRequest, event: RequestEvent, now: dt.datetime
) -> None:
    """Tell the teams of the marketer and the owner in their Slack channels, if they have one."""
    _queue(
        team_channels.notifications_for(
            kind=kind,
            requests=[
                (request.pk, request.version, request.requested_by_id, request.owner_id, event.pk)
            ],
            now=now,
        )
    )


def _record(
    request: InterviewRequest,
    *,
    to: str,
    kind: str,
    actor: User | None,
    now: dt.datetime,
    details: dict[str, Any] | None = None,
    **fields: Any,
) -> RequestEvent:
    """Apply a transition to a locked row and append its event."""
    from_status = request.status
    request.status = to
    for name, value in fields.items():
        setattr(request, name, value)
    request.version += 1
    request.updated_at = now
    if to != from_status:
        request.status_changed_at = now
    if to in CLOSED_STATUSES:
        request.closed_at = now
        for name, value in CLEARED_DEADLINES.items():
            setattr(request, name, value)
    request.save()
    event = RequestEvent.objects.create(
        request=request,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to,
        version=request.version,
        details=details or {},
        created_at=now,
    )
    # Every Slack message about the request shows the change, wherever it came from.
    _queue(slack_direct.refresh_rows([(request.pk, request.version, request.owner_id)], now=now))
    return event


def _notify(
    request: InterviewRequest,
    event: RequestEvent,
    kind: str,
    recipients: Iterable[int | None],
    now: dt.datetime,
    *,
    exclude: User | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    seen: set[int] = set()
    notifications = []
    for recipient_id in recipients:
        if recipient_id is None or recipient_id in seen:
            continue
        if exclude is not None and recipient_id == exclude.pk:
            continue
        seen.add(recipient_id)
        notifications.append(
            _notification(
                kind=kind,
                recipient_id=recipient_id,
                request_id=request.pk,
                version=request.version,
                now=now,
                event=event,
                payload=payload,
            )
        )
    _queue(notifications)
