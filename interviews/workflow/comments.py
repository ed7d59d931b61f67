"""Comments on a request: the marketer and the owner talk it through on the page."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews import permissions
from interviews.errors import InvalidInput, InvalidTransition
from interviews.models import Comment, InterviewRequest, Notification, NotificationKind
from interviews.workflow.base import _now, _queue, _require

COMMENT_MAX_LENGTH = 5000


@transaction.atomic
def comment_add(*, request_id: int, by: User, body: str, now: dt.datetime | None = None) -> Comment:
    """Write on a request; the other side (marketer or owner) is emailed.

    A comment changes nothing about the request, so the row is not locked and the
    version stays: the owner's email links keep working.
    """
    now = _now(now)
    request = (
        InterviewRequest.objects.select_related("owner", "requested_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise InvalidTransition(_("This interview request does not exist."), status=None)
    _require(permissions.can_comment(by, request))
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Please write something."), field="body")
    if len(body) > COMMENT_MAX_LENGTH:
        raise InvalidInput(
            _("Please keep this under %(limit)d characters.") % {"limit": COMMENT_MAX_LENGTH},
            field="body",
        )
    comment = Comment.objects.create(request=request, author=by, body=body, created_at=now)
    recipients = dict.fromkeys(
        pk for pk in (request.requested_by_id, request.owner_id) if pk != by.pk
    )
    _queue(
        Notification(
            kind=NotificationKind.COMMENT,
            recipient_id=recipient_id,
            request=request,
            payload={"comment_id": comment.pk},
            # Many comments share a request version: the comment names the email.
            unique_key=f"comment:{comment.pk}:{recipient_id}",
            next_attempt_at=now,
            created_at=now,
        )
        for recipient_id in recipients
    )
    return comment
