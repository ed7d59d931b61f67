"""Findings: what an interview taught, added by the marketer when recording the outcome
and later, corrected when needed; and the owner's batch email that follows.

Findings are knowledge, not state: adding or editing one records an event in the
request's current version (outside the one-event-per-version rule) and never bumps the
version, so the owner's email links keep working.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews import permissions, text_search
from interviews.errors import InvalidInput, InvalidTransition, NotAllowed
from interviews.models import (
    Channel,
    EventKind,
    Finding,
    FindingKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    RequestEvent,
    Status,
)
from interviews.workflow.base import _lock, _now, _queue
from interviews.workflow.team_channels import team_channels

STATEMENT_MAX_LENGTH = 1000
QUOTE_MAX_LENGTH = 2000
# One batch is what a marketer writes after one interview; more is a mistake or a script.
BATCH_MAX = 30
# Findings belong to interviews that took place.
FINDING_STATUSES = (Status.COMPLETED,)
EDITABLE = ("kind", "statement", "quote", "speaker_id", "quotable")
# Derived from the fields above: kept in step, never shown as a change.
SEARCH_FIELDS = ("search_text", "search_grams")


@dataclass(frozen=True)
class FindingInput:
    kind: str
    statement: str
    quote: str = ""
    speaker_id: int | None = None
    quotable: bool = False


def _require_writer(by: User, request: InterviewRequest) -> None:
    if not permissions.can_write_findings(by, request):
        raise NotAllowed(_("Only marketing and managers can add or change findings."))


def _cleaned(item: FindingInput, request: InterviewRequest, prefix: str = "") -> dict[str, Any]:
    """The fields to store for one finding, or InvalidInput naming the field."""
    if item.kind not in FindingKind.values:
        raise InvalidInput(_("Please choose what kind of finding this is."), field=prefix + "kind")
    statement = (item.statement or "").strip()
    quote = (item.quote or "").strip()
    if not statement:
        raise InvalidInput(_("Please write the finding."), field=prefix + "statement")
    for value, limit, field in (
        (statement, STATEMENT_MAX_LENGTH, "statement"),
        (quote, QUOTE_MAX_LENGTH, "quote"),
    ):
        if len(value) > limit:
            raise InvalidInput(
                _("Please keep this under %(limit)d characters.") % {"limit": limit},
                field=prefix + field,
            )
        if "\x00" in value:
            raise InvalidInput(_("This text contains a NUL character."), field=prefix + field)
    speaker = None
    if item.speaker_id is not None:
        speaker = request.candidates.filter(pk=item.speaker_id).first()
        if speaker is None:
            raise InvalidInput(
                _("The speaker must be one of the people interviewed."), field=prefix + "speaker"
            )
    if quote and speaker is None:
        raise InvalidInput(
            _("Say who said this: choose one of the people interviewed."),
            field=prefix + "speaker",
        )
    search_text = text_search.normalize(
        " ".join(filter(None, (statement, quote, speaker.name if speaker else "")))
    )
    return {
        "kind": item.kind,
        "statement": statement,
        "quote": quote,
        "speaker": speaker,
        "quotable": bool(item.quotable),
        "search_text": search_text,
        "search_grams": text_search.grams(search_text),
    }


@transaction.atomic
def findings_add(
    *,
    request_id: int,
    by: User,
    items: Sequence[FindingInput],
    batch_key: str = "",
    now: dt.datetime | None = None,
) -> list[Finding]:
    """Add a batch of findings to a completed interview; the account's owner and the
    owner's manager get one email (and their team channel one message) for the batch.

    `batch_key` (the form's one-time key) makes a resubmitted form add nothing twice.
    """
    now = _now(now)
    request = _lock(request_id)
    _require_writer(by, request)
    if request.status not in FINDING_STATUSES:
        raise InvalidTransition(
            _("Findings can be added once the interview is completed."),
            status=request.status,
            request_id=request.pk,
        )
    batch_key = (batch_key or "")[:64]
    if batch_key:
        done = RequestEvent.objects.filter(
            request=request, kind=EventKind.FINDINGS_ADDED, details__batch=batch_key
        ).first()
        if done is not None:
            return list(Finding.objects.filter(pk__in=done.details.get("finding_ids", [])))
    items = list(items)
    if not items:
        raise InvalidInput(_("Please write at least one finding."), field="statement")
    if len(items) > BATCH_MAX:
        raise InvalidInput(
            _("Please add at most %(limit)d findings at once.") % {"limit": BATCH_MAX},
            field="statement",
        )
    rows = [
        Finding(
            request=request,
            account_id=request.account_id,
            purpose=request.purpose,
            created_by=by,
            created_at=now,
            updated_at=now,
            **_cleaned(item, request, prefix=f"{i}-" if len(items) > 1 else ""),
        )
        for i, item in enumerate(items)
    ]
    findings = Finding.objects.bulk_create(rows)
    ids = [f.pk for f in findings]
    event = RequestEvent.objects.create(
        request=request,
        actor=by,
        kind=EventKind.FINDINGS_ADDED,
        from_status=request.status,
        to_status=request.status,
        version=request.version,
        details={"finding_ids": ids, "count": len(ids), "batch": batch_key},
        created_at=now,
    )
    _queue(_batch_notifications(request, event, ids, by=by, now=now))
    return findings


def _batch_notifications(
    request: InterviewRequest, event: RequestEvent, ids: list[int], *, by: User, now: dt.datetime
) -> list[Notification]:
    """One email to the account's owner and one to the owner's manager; one message in the
    owner's team channel, if it has one."""
    owner = User.objects.select_related("reports_to").get(pk=request.account.owner_id)
    manager = owner.reports_to
    recipients = [owner.pk]
    if manager is not None and manager.is_active:
        recipients.append(manager.pk)
    rows = [
        Notification(
            kind=NotificationKind.FINDINGS_SHARED,
            recipient_id=recipient_id,
            request=request,
            event=event,
            payload={"finding_ids": ids},
            # Many batches share a request version: the event names the email.
            unique_key=f"findings:{event.pk}:{recipient_id}",
            next_attempt_at=now,
            created_at=now,
        )
        for recipient_id in dict.fromkeys(recipients)
        if recipient_id != by.pk
    ]
    for channel_id in team_channels([owner.pk]).get(owner.pk, []):
        rows.append(
            Notification(
                kind=NotificationKind.FINDINGS_SHARED,
                channel=Channel.SLACK,
                recipient_id=channel_id,
                request=request,
                event=event,
                payload={"finding_ids": ids},
                unique_key=f"slack:findings:{event.pk}:{channel_id}",
                next_attempt_at=now,
                created_at=now,
            )
        )
    return rows


@transaction.atomic
def finding_edit(
    *,
    finding_id: int,
    by: User,
    item: FindingInput,
    now: dt.datetime | None = None,
) -> Finding:
    """Correct a finding; the request's timeline records what it said before."""
    now = _now(now)
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("request", "speaker")
        .filter(pk=finding_id)
        .first()
    )
    if finding is None:
        raise InvalidTransition(_("This finding does not exist."), status=None)
    request = finding.request
    _require_writer(by, request)
    fields = _cleaned(item, request)
    before: dict[str, Any] = {}
    for name, value in fields.items():
        old = getattr(finding, name)
        if name not in SEARCH_FIELDS and old != value:
            before[name] = old.name if name == "speaker" and old is not None else old
        setattr(finding, name, value)
    if not before:
        return finding
    finding.updated_at = now
    finding.save()
    RequestEvent.objects.create(
        request=request,
        actor=by,
        kind=EventKind.FINDING_EDITED,
        from_status=request.status,
        to_status=request.status,
        version=request.version,
        details={"finding_id": finding.pk, "changed": list(before), "before": before},
        created_at=now,
    )
    return finding
