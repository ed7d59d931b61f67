"""Talking to Slack's Web API as the app's bot, through the official SDK (`slack_sdk`).

We use `slack_sdk` rather than Bolt: our Django views already do routing, CSRF
exemptions, sign-in and rendering, and our outbox already does retries and "never twice";
Bolt's Django adapter would bring a second request pipeline and its own installation
store. From the SDK we take `WebClient` (every call below) and `SignatureVerifier`
(`interviews.views.slack`).

Every method the code calls is listed in `SCOPES` with the bot scopes it needs; the app
manifest (`slack/manifest.yml`) must grant them all (a test checks).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from celery import current_app
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from accounts.models import User

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5

# Web API method → the bot scopes it needs. views.open needs none (a trigger id suffices).
SCOPES: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("chat:write",),
    "chat.update": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "users.lookupByEmail": ("users:read", "users:read.email"),
    "views.open": (),
}

# Slack's answers that retrying will not change (the outbox fails these at once).
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "channel_not_found",
        "invalid_auth",
        "invalid_blocks",
        "is_archived",
        "missing_scope",
        "msg_too_long",
        "no_permission",
        "not_authed",
        "not_in_channel",
        "token_revoked",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
    }
)


class SlackRejected(Exception):
    """Slack said no for good: retrying the same call will not help."""


class SlackUnavailable(OSError):
    """Slack is down, slow or rate-limiting us: the outbox retries later (an OSError, as
    a network failure is)."""


def is_installed() -> bool:
    return bool(settings.SLACK_BOT_TOKEN)


# Opening a modal happens while Slack waits for our acknowledgement (3 seconds).
MODAL_TIMEOUT_SECONDS = 2


def client(timeout: int = TIMEOUT_SECONDS) -> WebClient:
    return WebClient(
        token=settings.SLACK_BOT_TOKEN, base_url=settings.SLACK_API_URL, timeout=timeout
    )


def error_code(exc: SlackApiError) -> str:
    try:
        return str(exc.response.get("error") or "")
    except Exception:  # a response that is not JSON (a proxy's error page)
        return ""


def call(method: str, *, timeout: int = TIMEOUT_SECONDS, **kwargs) -> dict:
    """One Web API call. Raises SlackRejected for a permanent refusal; anything else
    (timeouts, 5xx, rate limits) propagates and the outbox retries it later."""
    try:
        response = client(timeout).api_call(method, json=kwargs)
    except SlackApiError as exc:
        code = error_code(exc)
        if code in PERMANENT_ERRORS:
            # The SDK's message quotes the whole response; the code is all we keep.
            raise SlackRejected(f"Slack refused {method}: {code}") from None
        raise SlackUnavailable(
            f"Slack {method} failed: {code or exc.response.status_code}"
        ) from None
    return response.data if isinstance(response.data, dict) else {}


EPHEMERAL_TASK = "interviews.tasks.slack_ephemeral"


def reply_later(*, channel: str, user: str, text: str) -> None:
    """An ephemeral reply (only `user` sees it), sent by a worker after we answered Slack:
    Slack wants its acknowledgement within 3 seconds. Never raises.

    With the broker down the reply is sent at once instead, with a short timeout: the
    person who clicked must learn that nothing changed."""
    try:
        # By name: the task module is an entry point above this one.
        current_app.tasks[EPHEMERAL_TASK].delay(channel, user, text)
    except Exception:
        log.warning("Could not enqueue a Slack reply; sending it now", exc_info=True)
        post_ephemeral(channel, user, text, timeout=MODAL_TIMEOUT_SECONDS)


def post_ephemeral(channel: str, user: str, text: str, *, timeout: int = TIMEOUT_SECONDS) -> None:
    try:
        call("chat.postEphemeral", timeout=timeout, channel=channel, user=user, text=text)
    except (SlackRejected, SlackUnavailable) as exc:
        log.info("Slack ephemeral reply not sent: %s", exc)


def lookup_user_id(email: str) -> str:
    """The Slack user with this email in the installed workspace, or "" if none."""
    try:
        response = client().users_lookupByEmail(email=email)
    except SlackApiError as exc:
        if error_code(exc) in ("users_not_found", "user_not_found"):
            return ""
        raise
    user = response.get("user") or {}
    if user.get("deleted") or user.get("is_bot"):
        return ""
    return str(user.get("id") or "")


def match_people(users: Iterable[User], *, now: dt.datetime | None = None) -> dict[str, int]:
    """Look each person up by email and cache the Slack user id on them.

    Returns counts: matched, unmatched, errors. A person whose lookup fails keeps what was
    cached and is tried again next time."""
    now = now or timezone.now()
    counts = {"matched": 0, "unmatched": 0, "errors": 0}
    if not is_installed():
        return counts
    for user in users:
        try:
            slack_id = lookup_user_id(user.email)
        except (SlackApiError, OSError) as exc:
            counts["errors"] += 1
            log.warning("Slack lookup failed for user %s: %s", user.pk, type(exc).__name__)
            continue
        counts["matched" if slack_id else "unmatched"] += 1
        User.objects.filter(pk=user.pk).update(slack_user_id=slack_id, slack_checked_at=now)
        user.slack_user_id, user.slack_checked_at = slack_id, now
    return counts


def people_due_for_lookup(now: dt.datetime | None = None):
    """Active people never looked up, or looked up longer ago than the setting allows."""
    now = now or timezone.now()
    stale = now - dt.timedelta(days=settings.SLACK_LOOKUP_MAX_AGE_DAYS)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(slack_checked_at__isnull=True) | Q(slack_checked_at__lt=stale))
        .order_by("pk")
    )
