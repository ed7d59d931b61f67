"""Signed links that let an owner answer from an email without signing in.

A token names the request, the recipient and the request version the email showed, and
expires. The action is part of the URL, not the token: the recipient may take any answer
the request allows, and the version check stops a decision made on stale information.
Opening a link (GET) never changes anything, because mail scanners open every link.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import User
from interviews.models import NON_VERSIONED_EVENT_KINDS, InterviewRequest

SALT = "interviews.action-link.v1"
OWNER_ACTIONS = ("owner_will_reach_out", "owner_go_ahead", "defer", "decline")


class LinkProblem(enum.Enum):
    MALFORMED = "malformed"  # tampered with, truncated, or not ours
    EXPIRED = "expired"
    UNKNOWN_REQUEST = "unknown_request"
    NOT_OWNER_ANYMORE = "not_owner_anymore"  # a manager passed the request to someone else
    ALREADY_ANSWERED = "already_answered"  # this recipient's answer moved the request on
    OUT_OF_DATE = "out_of_date"  # someone or something else moved it on


@dataclasses.dataclass(frozen=True)
class ActionLink:
    request_id: int
    recipient_id: int
    version: int


def absolute_url(path: str) -> str:
    """A path of ours as a full URL, for places outside the browser (email, Slack)."""
    return f"{settings.SITE_URL}{path}"


def request_url(request: InterviewRequest) -> str:
    return absolute_url(reverse("request_detail", args=[request.pk]))


def make_token(request: InterviewRequest, recipient: User) -> str:
    payload = {"r": request.pk, "u": recipient.pk, "v": request.version}
    return signing.dumps(payload, salt=SALT, compress=False)


def action_url(
    request: InterviewRequest, recipient: User, action: str, *, token: str | None = None
) -> str:
    token = token or make_token(request, recipient)
    return absolute_url(reverse("action_link", args=[token, action]))


def action_urls(request: InterviewRequest, recipient: User) -> dict[str, str]:
    """One signed URL per owner answer, for an email."""
    token = make_token(request, recipient)
    return {action: action_url(request, recipient, action, token=token) for action in OWNER_ACTIONS}


def max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.ACTION_LINK_MAX_AGE_DAYS)


def read_token(token: str) -> ActionLink | LinkProblem:
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        return LinkProblem.EXPIRED
    except signing.BadSignature:
        return LinkProblem.MALFORMED
    try:
        return ActionLink(int(payload["r"]), int(payload["u"]), int(payload["v"]))
    except (KeyError, TypeError, ValueError, OverflowError):  # int(1e400) overflows
        return LinkProblem.MALFORMED


def read_expired_token(token: str) -> ActionLink | None:
    """What an expired (but genuine) link named, to show the request's current state."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=None)
        return ActionLink(int(payload["r"]), int(payload["u"]), int(payload["v"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None


def staleness(link: ActionLink, request: InterviewRequest) -> LinkProblem | None:
    """Why a well-signed link can no longer be used as it is, if it cannot."""
    if request.owner_id != link.recipient_id:
        return LinkProblem.NOT_OWNER_ANYMORE
    if request.version == link.version:
        return None
    next_event = (
        request.events.filter(version=link.version + 1)
        .exclude(kind__in=NON_VERSIONED_EVENT_KINDS)
        .first()
    )
    if next_event is not None and next_event.actor_id == link.recipient_id:
        return LinkProblem.ALREADY_ANSWERED
    return LinkProblem.OUT_OF_DATE
