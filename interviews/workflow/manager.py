"""Manager overrides: extend a deadline, reassign the owner, force the switch."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import OWNER_DEPARTMENTS, User
from interviews import calendar, permissions
from interviews.errors import InvalidInput
from interviews.lifecycle import CLEARED_DEADLINES
from interviews.models import (
    EventKind,
    InterviewRequest,
    NotificationKind,
    Outreach,
    Status,
)
from interviews.workflow.base import (
    _begin,
    _clean_reason,
    _notify,
    _now,
    _record,
    _team_channels,
    window_fields,
)


def _managed(
    request_id: int, *, action: str, by: User, expected_version: int | None
) -> InterviewRequest:
    return _begin(
        request_id,
        action=action,
        by=by,
        allowed=lambda user, _request: permissions.can_manage(user),
        expected_version=expected_version,
        message=_("Only managers can do this."),
    )


@transaction.atomic
def request_extend_deadline(
    *,
    request_id: int,
    by: User,
    extra_business_days: int,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    now = _now(now)
    request = _managed(
        request_id, action="extend_deadline", by=by, expected_version=expected_version
    )
    if (
        not isinstance(extra_business_days, int)
        or not 1 <= extra_business_days <= settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS
    ):
        raise InvalidInput(
            _("Extend by 1 to %(max)d business days.")
            % {"max": settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS},
            field="extra_business_days",
        )
    reason = _clean_reason(reason)
    old_due = request.response_due_at
    # Extending an already-passed deadline counts from today, not from the old date.
    base_day = max(calendar.business_date(old_due), calendar.effective_start_day(now))
    new_due = calendar.close_of_business(calendar.add_business_days(base_day, extra_business_days))
    event = _record(
        request,
        to=request.status,
        kind=EventKind.DEADLINE_EXTENDED,
        actor=by,
        now=now,
        details={"from": old_due.isoformat(), "to": new_due.isoformat(), "reason": reason},
        response_due_at=new_due,
        next_reminder_at=calendar.next_reminder_after(
            request.window_started_at or now, new_due, now
        ),
    )
    _notify(request, event, NotificationKind.DEADLINE_EXTENDED, [request.owner_id], now, exclude=by)
    return request


@transaction.atomic
def request_reassign_owner(
    *,
    request_id: int,
    by: User,
    new_owner: User,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """Ask someone else: the new owner gets the request with a fresh window."""
    now = _now(now)
    request = _managed(
        request_id, action="reassign_owner", by=by, expected_version=expected_version
    )
    if not new_owner.is_active or new_owner.department not in OWNER_DEPARTMENTS:
        raise InvalidInput(
            _("The new owner must be an active sales or customer-success user."), field="new_owner"
        )
    if new_owner.pk == request.owner_id:
        raise InvalidInput(_("This person already owns the request."), field="new_owner")
    reason = _clean_reason(reason)
    old_owner_id = request.owner_id
    event = _record(
        request,
        to=Status.AWAITING_OWNER,
        kind=EventKind.OWNER_REASSIGNED,
        actor=by,
        now=now,
        details={"from_owner": old_owner_id, "to_owner": new_owner.pk, "reason": reason},
        owner=new_owner,
        outreach_by="",
        deferred_until=None,
        wake_at=None,
        **window_fields(now, request.response_window_days),
    )
    _notify(
        request,
        event,
        NotificationKind.NEW_REQUEST,
        [new_owner.pk],
        now,
        payload={"reassigned": True},
    )
    _notify(request, event, NotificationKind.REASSIGNED_FROM, [old_owner_id], now, exclude=by)
    return request


@transaction.atomic
def request_force_switch(
    *,
    request_id: int,
    by: User,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """A manager lets marketing go direct before the window ends."""
    now = _now(now)
    request = _managed(request_id, action="force_switch", by=by, expected_version=expected_version)
    reason = _clean_reason(reason)
    was = request.status
    event = _record(
        request,
        to=Status.MARKETING_OUTREACH,
        kind=EventKind.FORCED_SWITCH,
        actor=by,
        now=now,
        details={"was": was, "reason": reason},
        outreach_by=Outreach.MARKETING,
        escalated=True,
        **CLEARED_DEADLINES,
    )
    payload = {"was": was, "forced": True, "reason": reason}
    _notify(
        request,
        event,
        NotificationKind.SWITCHED_OWNER,
        [request.owner_id],
        now,
        exclude=by,
        payload=payload,
    )
    _notify(
        request,
        event,
        NotificationKind.SWITCHED_MARKETER,
        [request.requested_by_id],
        now,
        exclude=by,
        payload=payload,
    )
    _team_channels(NotificationKind.SWITCHED_MARKETER, request, event, now)
    return request
