"""Every state change of an interview request.

One function per transition (DESIGN.md, "The request lifecycle"). Each runs in one
transaction, locks the request row, checks the state and who acts, bumps `version`,
appends a `RequestEvent` and writes the notifications that follow. The system
transitions (deadline passed, deferral ended, reminders) are written once, for a batch
of rows; the per-request function is the same code applied to one id, so the minute job
and a manual call can never disagree about the rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OWNER_DEPARTMENTS, Account, User
from interviews import calendar, outbox, permissions
from interviews.errors import (
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    PolicyViolation,
    StaleVersion,
)
from interviews.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    WAITING_ON_OWNER_STATUSES,
    Candidate,
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    Outreach,
    Purpose,
    ReasonCategory,
    RequestEvent,
    Status,
)

REASON_MAX_LENGTH = 2000

# The allowed transitions, visible in one place; each function below checks its row.
TRANSITIONS: dict[str, tuple[Status, ...]] = {
    "owner_will_reach_out": (Status.AWAITING_OWNER,),
    "owner_go_ahead": (Status.AWAITING_OWNER,),
    "defer": (Status.AWAITING_OWNER,),
    "decline": (Status.AWAITING_OWNER,),
    "switch_overdue": WAITING_ON_OWNER_STATUSES,
    "wake": (Status.DEFERRED,),
    "schedule": (Status.OWNER_OUTREACH, Status.MARKETING_OUTREACH),
    "customer_declined": (Status.OWNER_OUTREACH, Status.MARKETING_OUTREACH),
    "complete": (Status.SCHEDULED,),
    "cancel": OPEN_STATUSES,
    "extend_deadline": WAITING_ON_OWNER_STATUSES,
    "reassign_owner": (Status.AWAITING_OWNER, Status.DEFERRED, Status.OWNER_OUTREACH),
    "force_switch": (Status.AWAITING_OWNER, Status.DEFERRED, Status.OWNER_OUTREACH),
}


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


CLEARED_DEADLINES: dict[str, Any] = {
    "response_due_at": None,
    "next_reminder_at": None,
    "deferred_until": None,
    "wake_at": None,
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
    notifications = list(notifications)
    if notifications:
        created = Notification.objects.bulk_create(notifications)
        outbox.send_after_commit([n.pk for n in created])


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
    return RequestEvent.objects.create(
        request=request,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to,
        version=request.version,
        details=details or {},
        created_at=now,
    )


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


# --- Filing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FilingPolicy:
    """What stands in the way of filing for an account now (shown before submitting)."""

    sensitive_until: dt.date | None
    sensitive_reason: str
    open_request_id: int | None
    last_interviewed_on: dt.date | None
    cooldown_ends_on: dt.date | None

    @property
    def blocked_by_open_request(self) -> bool:
        return self.open_request_id is not None

    @property
    def in_cooldown(self) -> bool:
        return self.cooldown_ends_on is not None


def filing_policy(account: Account, *, now: dt.datetime | None = None) -> FilingPolicy:
    now = _now(now)
    today = calendar.business_date(now)
    open_request_id = (
        InterviewRequest.objects.filter(account=account, status__in=OPEN_STATUSES)
        .values_list("pk", flat=True)
        .first()
    )
    last_completed = InterviewRequest.objects.filter(
        account=account, status=Status.COMPLETED
    ).aggregate(last=Max("interview_at"))["last"]
    last_candidate = Candidate.objects.filter(account=account).aggregate(
        last=Max("last_interviewed_on")
    )["last"]
    dates = [
        d
        for d in (
            last_candidate,
            calendar.business_date(last_completed) if last_completed else None,
        )
        if d
    ]
    last = max(dates) if dates else None
    cooldown_ends = None
    if last is not None and settings.ACCOUNT_COOLDOWN_DAYS:
        ends = last + dt.timedelta(days=settings.ACCOUNT_COOLDOWN_DAYS)
        cooldown_ends = ends if ends > today else None
    return FilingPolicy(
        sensitive_until=account.sensitive_until if account.is_sensitive(today) else None,
        sensitive_reason=account.sensitive_reason if account.is_sensitive(today) else "",
        open_request_id=open_request_id,
        last_interviewed_on=last,
        cooldown_ends_on=cooldown_ends,
    )


def response_deadline_preview(
    *, business_days: int | None = None, now: dt.datetime | None = None
) -> dt.datetime:
    """The exact deadline an owner would get if the request were filed now."""
    return calendar.deadline_after(
        _now(now), business_days or settings.RESPONSE_WINDOW_BUSINESS_DAYS
    )


def _open_request_error(account: Account, open_request_id: int | None) -> PolicyViolation:
    return PolicyViolation(
        _("%(account)s already has an open interview request; a customer is asked once at a time.")
        % {"account": account.name},
        code="open_request",
        open_request_id=open_request_id,
    )


@transaction.atomic
def request_file(
    *,
    by: User,
    account: Account,
    candidates: Sequence[Candidate],
    purpose: str,
    topic: str,
    questions: str,
    needed_by: dt.date | None = None,
    note_to_owner: str = "",
    response_window_days: int | None = None,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """A marketer asks the account's owner for an interview with these candidates."""
    now = _now(now)
    _require(
        permissions.can_file(by), _("Only marketers and managers can file interview requests.")
    )
    # Lock the account so two marketers filing at once are serialised; the partial
    # unique constraint on open requests is the backstop.
    account = Account.objects.select_for_update().select_related("owner").get(pk=account.pk)

    if purpose not in Purpose.values:
        raise InvalidInput(_("Please choose a purpose from the list."), field="purpose")
    topic = (topic or "").strip()
    questions = (questions or "").strip()
    if not topic:
        raise InvalidInput(_("Please say what the interview is about."), field="topic")
    if not questions:
        raise InvalidInput(_("Please list the questions you want answered."), field="questions")
    if not candidates:
        raise InvalidInput(_("Please choose at least one person to interview."), field="candidates")
    if any(c.account_id != account.pk for c in candidates):
        raise InvalidInput(
            _("Every candidate must work at %(account)s.") % {"account": account.name},
            field="candidates",
        )
    today = calendar.business_date(now)
    if needed_by is not None and needed_by < today:
        raise InvalidInput(
            _("The date the content is needed by is in the past."), field="needed_by"
        )

    window = response_window_days or settings.RESPONSE_WINDOW_BUSINESS_DAYS
    if window < settings.RESPONSE_WINDOW_BUSINESS_DAYS:
        raise InvalidInput(
            _("The owner gets at least %(days)d business days, as agreed.")
            % {"days": settings.RESPONSE_WINDOW_BUSINESS_DAYS},
            field="response_window_days",
        )
    if window > settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS:
        raise InvalidInput(
            _("The response window can be at most %(days)d business days.")
            % {"days": settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS},
            field="response_window_days",
        )

    owner = account.owner
    if not owner.is_active or owner.department not in OWNER_DEPARTMENTS:
        raise PolicyViolation(
            _(
                "%(account)s has no active sales or customer-success owner; ask an "
                "administrator to assign one."
            )
            % {"account": account.name},
            code="no_owner",
        )

    policy = filing_policy(account, now=now)
    if policy.blocked_by_open_request:
        raise _open_request_error(account, policy.open_request_id)
    override_reason = (override_reason or "").strip()
    overridden = []
    if policy.sensitive_until is not None:
        overridden.append("sensitive")
        if not (override_reason and permissions.can_override_policy(by)):
            raise PolicyViolation(
                _("%(account)s is marked sensitive until %(date)s: %(reason)s")
                % {
                    "account": account.name,
                    "date": policy.sensitive_until.isoformat(),
                    "reason": policy.sensitive_reason,
                },
                code="sensitive",
                until=policy.sensitive_until,
            )
    if policy.in_cooldown:
        overridden.append("cooldown")
        if not (override_reason and permissions.can_override_policy(by)):
            raise PolicyViolation(
                _(
                    "%(account)s was interviewed on %(date)s; the next request can be filed "
                    "from %(ends)s."
                )
                % {
                    "account": account.name,
                    "date": policy.last_interviewed_on.isoformat(),
                    "ends": policy.cooldown_ends_on.isoformat(),
                },
                code="cooldown",
                ends=policy.cooldown_ends_on,
            )

    request = InterviewRequest(
        account=account,
        requested_by=by,
        owner_at_filing=owner,
        owner=owner,
        purpose=purpose,
        topic=topic[:200],
        questions=questions,
        needed_by=needed_by,
        note_to_owner=(note_to_owner or "").strip(),
        status=Status.AWAITING_OWNER,
        response_window_days=window,
        cooldown_override_reason=override_reason if overridden else "",
        version=1,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
        **window_fields(now, window),
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:
        raise _open_request_error(account, None) from exc
    request.candidates.set(candidates)
    details: dict[str, Any] = {
        "response_due_at": request.response_due_at.isoformat(),
        "window_days": window,
    }
    if overridden:
        details.update({"overridden": overridden, "override_reason": override_reason})
    event = RequestEvent.objects.create(
        request=request,
        actor=by,
        kind=EventKind.FILED,
        from_status="",
        to_status=Status.AWAITING_OWNER,
        version=request.version,
        details=details,
        created_at=now,
    )
    _notify(request, event, NotificationKind.NEW_REQUEST, [owner.pk], now)
    return request


# --- The owner's answers -----------------------------------------------------------------


def _owner_answer(
    request_id: int, *, action: str, by: User, expected_version: int | None
) -> InterviewRequest:
    request = _lock(request_id)
    _require(permissions.can_decide(by, request))
    _check_version(request, expected_version)
    _require_state(request, action)
    return request


def _first_answer(request: InterviewRequest, now: dt.datetime) -> dt.datetime:
    return request.owner_responded_at or now


@transaction.atomic
def request_owner_will_reach_out(
    *,
    request_id: int,
    by: User,
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
        details={"follow_up_due_at": window["response_due_at"].isoformat()},
        outreach_by=Outreach.OWNER,
        owner_responded_at=_first_answer(request, now),
        **window,
    )
    _notify(request, event, NotificationKind.DECIDED, [request.requested_by_id], now, exclude=by)
    return request


@transaction.atomic
def request_owner_go_ahead(
    *,
    request_id: int,
    by: User,
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
        outreach_by=Outreach.MARKETING,
        owner_responded_at=_first_answer(request, now),
        **CLEARED_DEADLINES,
    )
    _notify(request, event, NotificationKind.DECIDED, [request.requested_by_id], now, exclude=by)
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
            % {"first": first.isoformat(), "last": last.isoformat()},
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
        details={"until": until.isoformat(), "reason_category": category, "reason": reason},
        owner_responded_at=_first_answer(request, now),
        deferral_count=request.deferral_count + 1,
        response_due_at=None,
        next_reminder_at=None,
        deferred_until=until,
        wake_at=calendar.wake_time(until),
    )
    _notify(request, event, NotificationKind.DECIDED, [request.requested_by_id], now, exclude=by)
    return request


@transaction.atomic
def request_decline(
    *,
    request_id: int,
    by: User,
    reason_category: str,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    now = _now(now)
    request = _owner_answer(request_id, action="decline", by=by, expected_version=expected_version)
    category = _clean_category(reason_category)
    reason = _clean_reason(reason)
    event = _record(
        request,
        to=Status.DECLINED,
        kind=EventKind.DECLINED,
        actor=by,
        now=now,
        details={"reason_category": category, "reason": reason},
        owner_responded_at=_first_answer(request, now),
    )
    _notify(request, event, NotificationKind.DECIDED, [request.requested_by_id], now, exclude=by)
    return request


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
    qs = InterviewRequest.objects.filter(condition)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return list(
        qs.select_for_update(skip_locked=True)
        .order_by(order_by, "pk")
        .values(*_SYSTEM_ROW_FIELDS)[:limit]
    )


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
    rows = _claim(
        overdue_q(now), "response_due_at", limit=limit or settings.JOB_BATCH_SIZE, ids=ids
    )
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
    _queue(notifications)
    return ids


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


# --- Outreach and the interview -------------------------------------------------------------


@transaction.atomic
def request_schedule(
    *,
    request_id: int,
    by: User,
    interview_at: dt.datetime,
    location: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """The customer agreed: an interview date (and place or call link)."""
    now = _now(now)
    request = _lock(request_id)
    _require(permissions.can_report_outreach(by, request))
    _check_version(request, expected_version)
    _require_state(request, "schedule")
    if not isinstance(interview_at, dt.datetime) or timezone.is_naive(interview_at):
        raise InvalidInput(_("Please give the interview date and time."), field="interview_at")
    location = _clean_reason(location, field="location", required=False)[:300]
    event = _record(
        request,
        to=Status.SCHEDULED,
        kind=EventKind.SCHEDULED,
        actor=by,
        now=now,
        details={"interview_at": interview_at.isoformat(), "location": location},
        interview_at=interview_at,
        interview_location=location,
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
    request = _lock(request_id)
    _require(permissions.can_report_outreach(by, request))
    _check_version(request, expected_version)
    _require_state(request, "customer_declined")
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
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """The interview was held: record what we learned and share it with the owner."""
    now = _now(now)
    request = _lock(request_id)
    _require(permissions.can_complete(by, request))
    _check_version(request, expected_version)
    _require_state(request, "complete")
    outcome_summary = _clean_reason(outcome_summary, field="outcome_summary")
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
        details={"published_url": published_url},
        outcome_summary=outcome_summary,
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
    request = _lock(request_id)
    _require(
        permissions.can_cancel(by, request),
        _("Only the marketer who filed this request or a manager can cancel it."),
    )
    _check_version(request, expected_version)
    _require_state(request, "cancel")
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


# --- Manager overrides -----------------------------------------------------------------------


def _managed(
    request_id: int, *, action: str, by: User, expected_version: int | None
) -> InterviewRequest:
    request = _lock(request_id)
    _require(permissions.can_manage(by), _("Only managers can do this."))
    _check_version(request, expected_version)
    _require_state(request, action)
    return request


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
    return request
