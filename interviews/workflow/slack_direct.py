"""Which notifications also go to people as Slack direct messages, and the rows that
bring every Slack message about a request up to date after it changed.

Domain only: rows are written with the change (same transaction, same outbox, same
retries and unique keys as email); `interviews.notifications.slack_dm` renders and sends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db.models import Q

from accounts.models import NotifyVia, User
from interviews.models import (
    Channel,
    Notification,
    NotificationKind,
    NotificationStatus,
    SlackMessage,
)

# What reaches an owner in Slack: the asks (with the four answers as buttons), reminders,
# the courtesy notice when marketing goes direct, the outcome, and each batch of findings
# (to the owner and the owner's manager, each as they chose).
DIRECT_MESSAGE_KINDS = frozenset(
    {
        NotificationKind.NEW_REQUEST,
        NotificationKind.WOKE,
        NotificationKind.HANDED_OVER,
        NotificationKind.REMINDER,
        NotificationKind.SWITCHED_OWNER,
        NotificationKind.OUTCOME_SHARED,
        NotificationKind.FINDINGS_SHARED,
    }
)


def with_direct_messages(notifications: list[Notification]) -> list[Notification]:
    """Add a Slack twin to each email a matched person wants in Slack; drop the email
    for those who chose Slack only. One query for the whole batch."""
    if not settings.SLACK_BOT_TOKEN:
        return notifications
    candidates = {
        n.recipient_id
        for n in notifications
        if n.channel == Channel.EMAIL and n.kind in DIRECT_MESSAGE_KINDS
    }
    if not candidates:
        return notifications
    preferences = dict(
        User.objects.filter(pk__in=candidates, is_active=True)
        .exclude(slack_user_id="")
        .exclude(notify_via=NotifyVia.EMAIL)
        .values_list("pk", "notify_via")
    )
    result = []
    for n in notifications:
        via = preferences.get(n.recipient_id)
        if n.channel != Channel.EMAIL or n.kind not in DIRECT_MESSAGE_KINDS or via is None:
            result.append(n)
            continue
        if via == NotifyVia.BOTH:
            result.append(n)
        result.append(
            Notification(
                kind=n.kind,
                channel=Channel.SLACK_DM,
                recipient_id=n.recipient_id,
                request_id=n.request_id,
                event=n.event,
                payload=n.payload,
                unique_key=f"dm:{n.unique_key}"[:200],
                next_attempt_at=n.next_attempt_at,
                created_at=n.created_at,
            )
        )
    return result


def refresh_rows(
    requests: Iterable[tuple[int, int, int]], *, now: dt.datetime
) -> list[Notification]:
    """After a change, one row per request that has (or is about to have) Slack messages:
    its delivery re-renders each of them in place with the request as it is then.

    `requests` holds (request_id, version, owner_id); the version makes the key unique, so
    a retried transition or sweep queues one refresh per change."""
    requests = list(requests)
    if not requests or not settings.SLACK_BOT_TOKEN:
        return []
    ids = [request_id for request_id, _, _ in requests]
    with_messages = _requests_with_messages(ids)
    return [
        Notification(
            kind=NotificationKind.SLACK_REFRESH,
            channel=Channel.SLACK_DM,
            recipient_id=owner_id,
            request_id=request_id,
            unique_key=f"slack_refresh:{request_id}:{version}",
            next_attempt_at=now,
            created_at=now,
        )
        for request_id, version, owner_id in requests
        if request_id in with_messages
    ]


def _requests_with_messages(ids: Sequence[int]) -> set[int]:
    posted = set(
        SlackMessage.objects.filter(request_id__in=ids).values_list("request_id", flat=True)
    )
    # A direct message still on its way will be rendered from the new state anyway, but
    # one being posted right now may have been rendered from the old one.
    in_flight = set(
        Notification.objects.filter(
            Q(request_id__in=ids),
            channel=Channel.SLACK_DM,
            status__in=(NotificationStatus.PENDING, NotificationStatus.SENDING),
        )
        .exclude(kind=NotificationKind.SLACK_REFRESH)
        .values_list("request_id", flat=True)
    )
    return posted | in_flight
