"""Filing a request, and the policy that may stand in its way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from accounts.models import OWNER_DEPARTMENTS, Account, User
from interviews import calendar, dates, permissions
from interviews.errors import (
    InvalidInput,
    PolicyViolation,
)
from interviews.models import (
    OPEN_STATUSES,
    Candidate,
    EventKind,
    InterviewRequest,
    NotificationKind,
    Purpose,
    RequestEvent,
    Status,
)
from interviews.workflow.base import (
    _notify,
    _now,
    _require,
    _team_channels,
    window_fields,
)


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


@dataclass(frozen=True)
class NewCandidate:
    """Someone at the account who is not on file yet, added while filing."""

    name: str
    email: str = ""
    title: str = ""


def clean_content(
    *,
    account: Account,
    candidates: Sequence[Candidate | NewCandidate],
    purpose: str,
    topic: str,
    questions: str,
    needed_by: dt.date | None,
    now: dt.datetime,
) -> tuple[str, str]:
    """Check what a request asks for (filing and editing); return topic and questions."""
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
    if any(isinstance(c, Candidate) and c.account_id != account.pk for c in candidates):
        raise InvalidInput(
            _("Every candidate must work at %(account)s.") % {"account": account.name},
            field="candidates",
        )
    if needed_by is not None and needed_by < calendar.business_date(now):
        raise InvalidInput(
            _("The date the content is needed by is in the past."), field="needed_by"
        )
    return topic[:200], questions


def _clean_new_candidate(account: Account, person: NewCandidate) -> NewCandidate:
    name = (person.name or "").strip()
    email = (person.email or "").strip().lower()
    title = (person.title or "").strip()
    if not name:
        raise InvalidInput(_("Please give the new person's name."), field="new_candidate_name")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                _("Please give a valid email address."), field="new_candidate_email"
            ) from None
        if Candidate.objects.filter(account=account, email__iexact=email).exists():
            raise InvalidInput(
                _("Someone with this email is already listed at %(account)s: choose them above.")
                % {"account": account.name},
                field="new_candidate_email",
            )
    return NewCandidate(name=name[:150], email=email, title=title[:150])


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
    new_candidates: Sequence[NewCandidate] = (),
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """A marketer asks the account's owner for an interview with these candidates.

    People not on file yet (`new_candidates`) are created in the same transaction, so a
    refused request leaves no half-added contacts behind.
    """
    now = _now(now)
    _require(
        permissions.can_file(by), _("Only marketers and managers can file interview requests.")
    )
    # Lock the account so two marketers filing at once are serialised; the partial
    # unique constraint on open requests is the backstop.
    account = Account.objects.select_for_update().select_related("owner").get(pk=account.pk)

    topic, questions = clean_content(
        account=account,
        candidates=[*candidates, *new_candidates],
        purpose=purpose,
        topic=topic,
        questions=questions,
        needed_by=needed_by,
        now=now,
    )
    new_candidates = [_clean_new_candidate(account, person) for person in new_candidates]

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
                    "date": dates.day(policy.sensitive_until),
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
                    "date": dates.day(policy.last_interviewed_on),
                    "ends": dates.day(policy.cooldown_ends_on),
                },
                code="cooldown",
                ends=policy.cooldown_ends_on,
            )

    candidates = [
        *candidates,
        *(
            Candidate.objects.create(
                account=account, name=person.name, email=person.email, title=person.title
            )
            for person in new_candidates
        ),
    ]
    request = InterviewRequest(
        account=account,
        requested_by=by,
        owner_at_filing=owner,
        owner=owner,
        purpose=purpose,
        topic=topic,
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
    _team_channels(NotificationKind.NEW_REQUEST, request, event, now)
    return request
