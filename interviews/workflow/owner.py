"""The owner's four answers: ask them myself, go ahead, not now, decline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from interviews import calendar, dates, permissions
from interviews.errors import InvalidInput
from interviews.lifecycle import CLEARED_DEADLINES
from interviews.models import (
    EventKind,
    InterviewRequest,
    NotificationKind,
    Outreach,
    Status,
)
from interviews.workflow.accounts import account_mark_sensitive
from interviews.workflow.base import (
    _begin,
    _clean_category,
    _clean_reason,
    _notify,
    _now,
    _record,
    window_fields,
)


def _owner_answer(
    request_id: int, *, action: str, by: User, expected_version: int | None
) -> InterviewRequest:
    return _begin(
        request_id,
        action=action,
        by=by,
        allowed=permissions.can_decide,
        expected_version=expected_version,
    )


def _lock_account_of(request_id: int) -> None:
    """Lock the request's account (a request never changes account)."""
    account_id = (
        InterviewRequest.objects.filter(pk=request_id).values_list("account_id", flat=True).first()
    )
    if account_id is not None:
        list(Account.objects.select_for_update().filter(pk=account_id).values_list("pk"))


def _notify_decided(request: InterviewRequest, event, by: User, now: dt.datetime) -> None:
    # The marketer learns the answer; so does the owner when a manager answered for them.
    _notify(
        request,
        event,
        NotificationKind.DECIDED,
        [request.requested_by_id, request.owner_id],
        now,
        exclude=by,
    )


def _note(note: str) -> dict[str, str]:
    note = _clean_reason(note, field="note", required=False)
    return {"note": note} if note else {}


def _on_behalf(request: InterviewRequest, by: User) -> dict[str, int]:
    """A manager answering for the owner: the timeline and the emails say so."""
    return {} if by.pk == request.owner_id else {"on_behalf_of": request.owner_id}


def _first_answer(request: InterviewRequest, now: dt.datetime) -> dt.datetime:
    return request.owner_responded_at or now


@transaction.atomic
def request_owner_will_reach_out(
    *,
    request_id: int,
    by: User,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """“I'll ask them myself”: a promise with its own follow-up deadline."""
    now = _now(now)
    request = _owner_answer(
        request_id, action="owner_will_reach_out", by=by, expected_version=expected_version
    )
    window = window_fields(now, settings.OWNER_OUTREACH_BUSINESS_DAYS)
    event = _record(
        request,
        to=Status.OWNER_OUTREACH,
        kind=EventKind.OWNER_WILL_REACH_OUT,
        actor=by,
        now=now,
        details={
            "follow_up_due_at": window["response_due_at"].isoformat(),
            **_note(note),
            **_on_behalf(request, by),
        },
        outreach_by=Outreach.OWNER,
        owner_responded_at=_first_answer(request, now),
        **window,
    )
    _notify_decided(request, event, by, now)
    return request


@transaction.atomic
def request_owner_go_ahead(
    *,
    request_id: int,
    by: User,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """“Go ahead, contact them directly.”"""
    now = _now(now)
    request = _owner_answer(
        request_id, action="owner_go_ahead", by=by, expected_version=expected_version
    )
    event = _record(
        request,
        to=Status.MARKETING_OUTREACH,
        kind=EventKind.OWNER_GO_AHEAD,
        actor=by,
        now=now,
        details={**_note(note), **_on_behalf(request, by)},
        outreach_by=Outreach.MARKETING,
        owner_responded_at=_first_answer(request, now),
        **CLEARED_DEADLINES,
    )
    _notify_decided(request, event, by, now)
    return request


def deferral_range(now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """The first and last date an owner may defer to, today."""
    today = calendar.business_date(_now(now))
    return today + dt.timedelta(days=1), today + dt.timedelta(days=settings.MAX_DEFERRAL_DAYS)


@transaction.atomic
def request_defer(
    *,
    request_id: int,
    by: User,
    until: dt.date,
    reason_category: str,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """“Not now”: back to the owner on `until`, with a fresh window."""
    now = _now(now)
    request = _owner_answer(request_id, action="defer", by=by, expected_version=expected_version)
    if request.deferral_count >= settings.MAX_DEFERRALS:
        raise InvalidInput(
            _(
                "This request has already been deferred %(count)d times, the agreed limit. "
                "Please ask the customer, let marketing go ahead, or decline."
            )
            % {"count": request.deferral_count},
            field="until",
        )
    first, last = deferral_range(now)
    if not isinstance(until, dt.date) or isinstance(until, dt.datetime):
        raise InvalidInput(_("Please give a date."), field="until")
    if until < first or until > last:
        raise InvalidInput(
            _("Please choose a date between %(first)s and %(last)s.")
            % {"first": dates.day(first), "last": dates.day(last)},
            field="until",
        )
    category = _clean_category(reason_category)
    reason = _clean_reason(reason)
    event = _record(
        request,
        to=Status.DEFERRED,
        kind=EventKind.DEFERRED,
        actor=by,
        now=now,
        details={
            "until": until.isoformat(),
            "reason_category": category,
            "reason": reason,
            **_on_behalf(request, by),
        },
        owner_responded_at=_first_answer(request, now),
        deferral_count=request.deferral_count + 1,
        response_due_at=None,
        next_reminder_at=None,
        deferred_until=until,
        wake_at=calendar.wake_time(until),
    )
    _notify_decided(request, event, by, now)
    return request


@transaction.atomic
def request_decline(
    *,
    request_id: int,
    by: User,
    reason_category: str,
    reason: str,
    pause_account_until: dt.date | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """“Decline”, optionally pausing every request for the account until a date."""
    now = _now(now)
    if pause_account_until is not None:
        # Lock order: the account, then the request, as filing and a CRM owner change do.
        # Taking the request first deadlocks against an import moving this account.
        _lock_account_of(request_id)
    request = _owner_answer(request_id, action="decline", by=by, expected_version=expected_version)
    category = _clean_category(reason_category)
    reason = _clean_reason(reason)
    details = {"reason_category": category, "reason": reason, **_on_behalf(request, by)}
    if pause_account_until is not None:
        account_mark_sensitive(
            account_id=request.account_id, by=by, until=pause_account_until, reason=reason, now=now
        )
        details["paused_account_until"] = pause_account_until.isoformat()
    event = _record(
        request,
        to=Status.DECLINED,
        kind=EventKind.DECLINED,
        actor=by,
        now=now,
        details=details,
        owner_responded_at=_first_answer(request, now),
    )
    _notify_decided(request, event, by, now)
    return request
