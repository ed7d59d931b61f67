"""Which team channels hear about a request: outbox rows for the Slack channel of the
marketer's and the owner's teams.

A team is a manager and the people who report to them; the manager's
`slack_webhook_url` is the team's channel, or, where the Slack app is installed, the
channel named by `slack_channel_id` (posted to by the app's bot). The rows are written
with the change, like email, and delivered by `interviews.notifications.slack`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q

from accounts.models import User
from interviews.models import Channel, Notification


def team_channels(user_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each person, the managers (theirs) whose team channel should hear about it."""
    ids = {i for i in user_ids if i}
    has_channel = ~Q(reports_to__slack_webhook_url="")
    if settings.SLACK_BOT_TOKEN:
        has_channel |= ~Q(reports_to__slack_channel_id="")
    rows = (
        User.objects.filter(pk__in=ids, reports_to__isnull=False)
        .filter(has_channel)
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
