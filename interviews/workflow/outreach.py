"""Outreach, the interview and its outcome, and cancelling."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews import calendar, dates, permissions
from interviews.errors import InvalidInput
from interviews.lifecycle import CLEARED_DEADLINES
from interviews.models import (
    EventKind,
    InterviewRequest,
    NotificationKind,
    Status,
)
from interviews.workflow.base import (
    _begin,
    _clean_reason,
    _notify,
    _now,
    _record,
    _team_channels,
)


@transaction.atomic
def request_schedule(
    *,
    request_id: int,
    by: User,
    interview_at: dt.datetime,
    location: str = "",
    participants: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """The customer agreed: an interview date (and place or call link, who takes part)."""
    now = _now(now)
    request = _begin(
        request_id,
        action="schedule",
        by=by,
        allowed=permissions.can_report_outreach,
        expected_version=expected_version,
    )
    if not isinstance(interview_at, dt.datetime) or timezone.is_naive(interview_at):
        raise InvalidInput(_("Please give the interview date and time."), field="interview_at")
    location = _clean_reason(location, field="location", required=False)[:300]
    participants = _clean_reason(participants, field="participants", required=False)
    event = _record(
        request,
        to=Status.SCHEDULED,
        kind=EventKind.SCHEDULED,
        actor=by,
        now=now,
        details={
            "interview_at": interview_at.isoformat(),
            "location": location,
            "participants": participants,
        },
        interview_at=interview_at,
        interview_location=location,
        interview_participants=participants,
        **CLEARED_DEADLINES,
    )
    _notify(
        request,
        event,
        NotificationKind.SCHEDULED,
        [request.owner_id, request.requested_by_id],
        now,
        exclude=by,
    )
    return request


@transaction.atomic
def request_customer_declined(
    *,
    request_id: int,
    by: User,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    now = _now(now)
    request = _begin(
        request_id,
        action="customer_declined",
        by=by,
        allowed=permissions.can_report_outreach,
        expected_version=expected_version,
    )
    reason = _clean_reason(reason, required=False)
    event = _record(
        request,
        to=Status.CUSTOMER_DECLINED,
        kind=EventKind.CUSTOMER_DECLINED,
        actor=by,
        now=now,
        details={"reason": reason},
    )
    _notify(
        request,
        event,
        NotificationKind.CUSTOMER_DECLINED,
        [request.owner_id, request.requested_by_id],
        now,
        exclude=by,
    )
    return request


@transaction.atomic
def request_complete(
    *,
    request_id: int,
    by: User,
    outcome_summary: str,
    published_url: str = "",
    learnings: str = "",
    quotes: str = "",
    early_reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """The interview was held: record what we learned and share it with the owner.

    Not before the scheduled start (an outcome then is a slip of the finger, and the owner
    would be told of an interview that has not happened) unless a manager says why; the
    reason goes into the timeline."""
    now = _now(now)
    request = _begin(
        request_id,
        action="complete",
        by=by,
        allowed=permissions.can_complete,
        expected_version=expected_version,
    )
    early = request.interview_at is not None and request.interview_at > now
    if early and not permissions.is_manager(by):
        raise InvalidInput(
            _(
                "The interview is scheduled for %(when)s: its outcome can be recorded once "
                "it has taken place. A manager can record it earlier, with a reason."
            )
            % {"when": dates.moment(request.interview_at)},
            code="too_early",
        )
    early_reason = _clean_reason(early_reason, field="early_reason") if early else ""
    outcome_summary = _clean_reason(outcome_summary, field="outcome_summary")
    learnings = _clean_reason(learnings, field="outcome_learnings", required=False)
    quotes = _clean_reason(quotes, field="outcome_quotes", required=False)
    published_url = (published_url or "").strip()
    if published_url and not published_url.startswith(("http://", "https://")):
        raise InvalidInput(
            _("The link must start with http:// or https://."), field="published_url"
        )
    event = _record(
        request,
        to=Status.COMPLETED,
        kind=EventKind.COMPLETED,
        actor=by,
        now=now,
        details={"published_url": published_url}
        | ({"early_reason": early_reason} if early_reason else {}),
        outcome_summary=outcome_summary,
        outcome_learnings=learnings,
        outcome_quotes=quotes,
        published_url=published_url[:500],
    )
    interviewed_on = calendar.business_date(min(request.interview_at or now, now))
    request.candidates.update(last_interviewed_on=interviewed_on)
    _notify(
        request,
        event,
        NotificationKind.OUTCOME_SHARED,
        [request.owner_id, request.owner_at_filing_id],
        now,
        exclude=by,
    )
    _team_channels(NotificationKind.OUTCOME_SHARED, request, event, now)
    return request


@transaction.atomic
def request_cancel(
    *,
    request_id: int,
    by: User,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    now = _now(now)
    request = _begin(
        request_id,
        action="cancel",
        by=by,
        allowed=permissions.can_cancel,
        expected_version=expected_version,
        message=_("Only the marketer who filed this request or a manager can cancel it."),
    )
    reason = _clean_reason(reason)
    event = _record(
        request,
        to=Status.CANCELLED,
        kind=EventKind.CANCELLED,
        actor=by,
        now=now,
        details={"reason": reason},
    )
    _notify(
        request,
        event,
        NotificationKind.CANCELLED,
        [request.owner_id, request.requested_by_id],
        now,
        exclude=by,
    )
    return request
