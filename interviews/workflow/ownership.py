"""An account changed hands (in the CRM): its open requests follow the new owner."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews import permissions
from interviews.lifecycle import TRANSITIONS
from interviews.models import OPEN_STATUSES, EventKind, InterviewRequest, NotificationKind
from interviews.workflow.base import _lock, _notify, _now, _record, _require
from interviews.workflow.manager import request_reassign_owner


@transaction.atomic
def account_owner_changed(
    *, account_id: int, new_owner: User, by: User, reason: str, now: dt.datetime | None = None
) -> list[int]:
    """Move the account's open requests to `new_owner`. Requests still waiting for an answer
    start a fresh window with the new owner; those marketing already runs just change
    hands. Old and new owners are told. Returns the ids moved."""
    now = _now(now)
    _require(permissions.can_manage(by), _("Only managers can move requests to a new owner."))
    ids = list(
        InterviewRequest.objects.filter(account_id=account_id, status__in=OPEN_STATUSES)
        .exclude(owner=new_owner)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for request_id in ids:
        request = _lock(request_id)
        if request.status in TRANSITIONS["reassign_owner"]:
            request_reassign_owner(
                request_id=request_id, by=by, new_owner=new_owner, reason=str(reason), now=now
            )
            continue
        old_owner_id = request.owner_id
        event = _record(
            request,
            to=request.status,
            kind=EventKind.OWNER_REASSIGNED,
            actor=by,
            now=now,
            details={"from_owner": old_owner_id, "to_owner": new_owner.pk, "reason": str(reason)},
            owner=new_owner,
        )
        _notify(request, event, NotificationKind.REASSIGNED_FROM, [old_owner_id], now, exclude=by)
        _notify(request, event, NotificationKind.HANDED_OVER, [new_owner.pk], now, exclude=by)
    return ids
