"""What sales already has: the owner attaches call-note excerpts and links to recordings
or CRM notes, so the marketer reads them before contacting the customer.

Sharing changes nothing about the request or the owner's answer: no lock, no version
bump (the owner's email links keep working). The timeline records it and the marketer is
emailed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews import permissions
from interviews.errors import InvalidInput, InvalidTransition
from interviews.models import EventKind, InterviewRequest, RequestEvent, SalesContext
from interviews.workflow.base import _now, _require

EXCERPT_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 500
MAX_LINKS = 10
_URL = URLValidator(schemes=["http", "https"])


def _clean_links(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise InvalidInput(
            _("Please give at most %(limit)d links.") % {"limit": MAX_LINKS}, field="links"
        )
    for line in lines:
        try:
            _URL(line)
        except ValidationError:
            raise InvalidInput(
                _("“%(link)s” is not a web address (one per line, starting with https://).")
                % {"link": line[:80]},
                field="links",
            ) from None
    return "\n".join(lines)


def _clean_text(text: str, limit: int, field: str) -> str:
    text = (text or "").strip()
    if "\x00" in text:
        raise InvalidInput(_("This text contains a NUL character."), field=field)
    if len(text) > limit:
        raise InvalidInput(
            _("Please keep this under %(limit)d characters.") % {"limit": limit}, field=field
        )
    return text


@transaction.atomic
def sales_context_add(
    *,
    request_id: int,
    by: User,
    excerpt: str = "",
    links: str = "",
    comment: str = "",
    now: dt.datetime | None = None,
) -> SalesContext:
    now = _now(now)
    request = InterviewRequest.objects.filter(pk=request_id).first()
    if request is None:
        raise InvalidTransition(_("This interview request does not exist."), status=None)
    _require(
        permissions.can_share_context(by, request),
        _("Only the account's owner or a manager can share notes here."),
    )
    excerpt = _clean_text(excerpt, EXCERPT_MAX_LENGTH, "excerpt")
    links = _clean_links(links)
    comment = _clean_text(comment, COMMENT_MAX_LENGTH, "comment")
    if not (excerpt or links or comment):
        raise InvalidInput(
            _("Please paste a note excerpt, give a link or write a comment."), field="excerpt"
        )
    context = SalesContext.objects.create(
        request=request, author=by, excerpt=excerpt, links=links, comment=comment, created_at=now
    )
    RequestEvent.objects.create(
        request=request,
        actor=by,
        kind=EventKind.CONTEXT_SHARED,
        from_status=request.status,
        to_status=request.status,
        version=request.version,
        details={"context_id": context.pk, "links": len(links.splitlines()) if links else 0},
        created_at=now,
    )
    return context
