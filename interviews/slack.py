"""Team channels: a short message in Slack when one of a team's requests is filed,
switches to marketing or is completed.

A team is a manager and the people who report to them; the manager's
`slack_webhook_url` is the team's channel. Messages go through the outbox like email
(rows written with the change, sent after commit, retried with backoff), so a Slack
outage never blocks or breaks the workflow and never posts twice.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from interviews.models import Channel, Notification

TIMEOUT_SECONDS = 5


class SlackRejected(Exception):
    """Slack said no for good (unknown or revoked webhook, bad payload)."""


def team_channels(user_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each person, the managers (theirs) whose team channel should hear about it."""
    ids = {i for i in user_ids if i}
    rows = (
        User.objects.filter(pk__in=ids, reports_to__isnull=False)
        .exclude(reports_to__slack_webhook_url="")
        .filter(reports_to__is_active=True)
        .values_list("pk", "reports_to_id")
    )
    channels: dict[int, list[int]] = {}
    for user_id, manager_id in rows:
        channels.setdefault(user_id, []).append(manager_id)
    return channels


def notifications_for(
    *,
    kind: str,
    requests: Iterable[tuple[int, int, int, int, int | None]],
    now: dt.datetime,
) -> list[Notification]:
    """Outbox rows for the team channels of each request's marketer and owner.

    `requests` holds (request_id, version, marketer_id, owner_id, event_id) tuples."""
    requests = list(requests)
    channels = team_channels(
        [marketer for _, _, marketer, _, _ in requests] + [owner for _, _, _, owner, _ in requests]
    )
    rows = []
    for request_id, version, marketer_id, owner_id, event_id in requests:
        managers = dict.fromkeys(channels.get(marketer_id, []) + channels.get(owner_id, []))
        for manager_id in managers:
            rows.append(
                Notification(
                    kind=kind,
                    channel=Channel.SLACK,
                    recipient_id=manager_id,
                    request_id=request_id,
                    event_id=event_id,
                    unique_key=f"slack:{kind}:{request_id}:{version}:{manager_id}",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    return rows


def message_text(notification: Notification) -> str:
    from interviews.emails import request_url

    request = notification.request
    with (
        translation.override(notification.recipient.language),
        timezone.override(notification.recipient.time_zone),
    ):
        return " ".join(
            render_to_string(
                f"slack/{notification.kind}.txt",
                {"request": request, "url": request_url(request), "site_url": settings.SITE_URL},
            ).split()
        )


def post(notification: Notification) -> None:
    """Send one message. Raises SlackRejected for a permanent refusal (4xx but 429);
    anything else (timeouts, 5xx, 429) is temporary and retried by the outbox."""
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
