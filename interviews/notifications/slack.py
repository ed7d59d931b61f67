"""Team channels: a short message in Slack when one of a team's requests is filed,
switches to marketing or is completed.

A team is a manager and the people who report to them; the manager's
`slack_webhook_url` is the team's channel. Where the Slack app is installed and the
manager names a channel (`slack_channel_id`), the app's bot posts there instead, and the
webhook stays the fallback. Messages go through the outbox like email
(rows written with the change by `interviews.workflow.team_channels`, sent after commit,
retried with backoff), so a Slack outage never blocks or breaks the workflow and never
posts twice.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from interviews import library
from interviews.links import absolute_url, request_url
from interviews.models import Notification, NotificationKind
from interviews.notifications import slack_api

TIMEOUT_SECONDS = 5


class SlackRejected(Exception):
    """Slack said no for good (unknown or revoked webhook, bad payload)."""


# A batch of findings is summed up in this many lines; the link shows the rest.
FINDING_LINES = 5


def _context(notification: Notification) -> dict[str, Any]:
    request = notification.request
    context = {"request": request, "url": request_url(request), "site_url": settings.SITE_URL}
    if notification.kind == NotificationKind.FINDINGS_SHARED:
        found = library.by_ids(notification.payload.get("finding_ids", []))
        context["count"] = len(found)
        context["lines"] = [
            f"{f.get_kind_display()}: {Truncator(f.statement).chars(140)}"
            for f in found[:FINDING_LINES]
        ]
        context["url"] = absolute_url(reverse("findings") + f"?account={request.account_id}")
    return context


def message_text(notification: Notification) -> str:
    with (
        translation.override(notification.recipient.language),
        timezone.override(notification.recipient.time_zone),
    ):
        return " ".join(
            render_to_string(f"slack/{notification.kind}.txt", _context(notification)).split()
        )


def post(notification: Notification) -> None:
    """Send one message. Raises SlackRejected for a permanent refusal (4xx but 429);
    anything else (timeouts, 5xx, 429) is temporary and retried by the outbox."""
    channel = notification.recipient.slack_channel_id
    if channel and slack_api.is_installed():
        try:
            slack_api.call(
                "chat.postMessage",
                channel=channel,
                text=message_text(notification),
                unfurl_links=False,
            )
        except slack_api.SlackRejected as exc:
            raise SlackRejected(str(exc)) from None
        return
    body = json.dumps({"text": message_text(notification)}).encode()
    url = notification.recipient.slack_webhook_url
    if not url.startswith(("https://", "http://")):
        raise SlackRejected("The team webhook URL is not an http(s) URL.")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500 and error.code != 429:
            raise SlackRejected(f"Slack answered {error.code}: {error.reason}") from error
        raise
