"""The marketer changes what they asked for while the owner has not answered yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews import permissions
from interviews.models import (
    Candidate,
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    RequestEvent,
)
from interviews.workflow.base import _begin, _now, _queue
from interviews.workflow.filing import clean_content

# What an edit may change. The account, the owner and the deadline stay: the owner's
# window is an agreement, and a different account is a different request.
EDITABLE_FIELDS = ("purpose", "topic", "questions", "needed_by", "note_to_owner")


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def request_edit(
    *,
    request_id: int,
    by: User,
    purpose: str,
    topic: str,
    questions: str,
    candidates: Sequence[Candidate],
    needed_by: dt.date | None = None,
    note_to_owner: str = "",
    now: dt.datetime | None = None,
) -> InterviewRequest:
    """Change the content of a request that waits for its owner, and tell the owner.

    The version is not bumped: the owner's email links name the version, and a fixed
    typo must not make them stale. The edit is recorded as an event in that version
    (outside the one-event-per-version constraint) and the owner is emailed what changed.
    """
    now = _now(now)
    request = _begin(
        request_id,
        action="edit",
        by=by,
        allowed=permissions.can_edit,
        expected_version=None,
        message=_("Only the marketer who filed this request can edit it."),
    )
    topic, questions = clean_content(
        account=request.account,
        candidates=candidates,
        purpose=purpose,
        topic=topic,
        questions=questions,
        needed_by=needed_by,
        now=now,
    )
    wanted = {
        "purpose": purpose,
        "topic": topic,
        "questions": questions,
        "needed_by": needed_by,
        "note_to_owner": (note_to_owner or "").strip(),
    }
    before = {
        name: _shown(getattr(request, name))
        for name, value in wanted.items()
        if getattr(request, name) != value
    }
    old_people = list(request.candidates.order_by("pk"))
    new_ids = sorted({c.pk for c in candidates})
    if [c.pk for c in old_people] != new_ids:
        before["candidates"] = [c.name for c in old_people]
    if not before:
        return request

    for name in EDITABLE_FIELDS:
        setattr(request, name, wanted[name])
    request.updated_at = now
    request.save(update_fields=[*EDITABLE_FIELDS, "updated_at"])
    if "candidates" in before:
        request.candidates.set(new_ids)
    event = RequestEvent.objects.create(
        request=request,
        actor=by,
        kind=EventKind.EDITED,
        from_status=request.status,
        to_status=request.status,
        version=request.version,
        details={"changed": list(before), "before": before},
        created_at=now,
    )
    if request.owner_id != by.pk:
        _queue(
            [
                Notification(
                    kind=NotificationKind.EDITED,
                    recipient_id=request.owner_id,
                    request=request,
                    event=event,
                    # Edits share a version, so the event names the email.
                    unique_key=f"edited:event:{event.pk}:{request.owner_id}",
                    next_attempt_at=now,
                    created_at=now,
                )
            ]
        )
    return request
