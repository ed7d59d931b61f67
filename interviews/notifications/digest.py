"""The managers' weekly digest: the dashboard's headline, stalled list and the owners with
the most overdue requests, by email every Monday morning.

`send_weekly_digest` queues one `Notification` per manager per ISO week; its unique key
(`weekly_digest:<manager id>:<ISO year>-W<week>`) makes a second run, or two at once,
queue nothing more. The figures are computed when the email is rendered (see
`email_context`, called by `interviews.notifications.emails`), so a digest that waited in
the outbox is still current. Every digest carries a signed one-click unsubscribe link and the
`List-Unsubscribe` headers (RFC 2369, RFC 8058).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from interviews import calendar, dashboard, library
from interviews.dashboard.scope import DEFAULT_PERIOD_DAYS
from interviews.links import absolute_url, request_url
from interviews.models import Notification, NotificationKind, NotificationStatus
from interviews.workflow.queueing import send_after_commit

UNSUBSCRIBE_SALT = "interviews.digest-unsubscribe.v1"
STALLED_IN_DIGEST = 10
OWNERS_IN_DIGEST = 5


# --- Unsubscribing ---------------------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    # No expiry: an unsubscribe link in an old email must keep working.
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=False)


def read_unsubscribe_token(token: str) -> User | None:
    """The user a genuine token names, or None for a tampered or unknown one."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id = int(payload["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=user_id).first()


def unsubscribe_url(user: User) -> str:
    return absolute_url(reverse("digest_unsubscribe", args=[unsubscribe_token(user)]))


def set_subscribed(user: User, subscribed: bool) -> bool:
    """Returns whether anything changed."""
    changed = (
        User.objects.filter(pk=user.pk)
        .exclude(weekly_digest=subscribed)
        .update(weekly_digest=subscribed)
    )
    user.weekly_digest = subscribed
    return bool(changed)


# --- Queueing --------------------------------------------------------------------------


def recipients() -> QuerySet[User]:
    """Managers who get the digest: active, with an email, not unsubscribed."""
    return (
        User.objects.filter(is_active=True, is_manager=True, weekly_digest=True)
        .exclude(email="")
        .annotate(has_reports=Exists(User.objects.filter(reports_to=OuterRef("pk"))))
    )


def digest_key(manager_id: int, day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"weekly_digest:{manager_id}:{year}-W{week:02d}"


def digest_period(day: dt.date) -> tuple[dt.date, dt.date]:
    """The dashboard's default span, ending on the Sunday before `day`'s week."""
    end = day - dt.timedelta(days=day.weekday() + 1)
    return end - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), end


def digest_team(manager: User) -> int | None:
    """A manager with a team gets their team's digest; one without, everybody's."""
    if manager.has_reports or dashboard.team_scoping_enabled():
        return manager.pk
    return None


@transaction.atomic
def send_weekly_digest(*, now: dt.datetime | None = None) -> list[int]:
    """Queue this week's digest for every manager who has not had it; returns the new ids.

    Safe to run any number of times, also in parallel: the unique key per manager and ISO
    week (in the business time zone) lets one row in, and the outbox sends it once.
    """
    now = now or timezone.now()
    today = calendar.business_date(now)
    start, end = digest_period(today)
    week = today.isocalendar()
    payload_base = {
        "week": f"{week.year}-W{week.week:02d}",
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    managers = {digest_key(m.pk, today): m for m in recipients()}
    existing = set(
        Notification.objects.filter(unique_key__in=list(managers)).values_list(
            "unique_key", flat=True
        )
    )
    new = [
        Notification(
            kind=NotificationKind.WEEKLY_DIGEST,
            recipient_id=manager.pk,
            payload={**payload_base, "team": digest_team(manager)},
            unique_key=key,
            next_attempt_at=now,
            created_at=now,
        )
        for key, manager in managers.items()
        if key not in existing
    ]
    if not new:
        return []
    # Another run may have inserted the same keys since we looked: the constraint decides.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    ids = list(
        Notification.objects.filter(
            unique_key__in=[n.unique_key for n in new], status=NotificationStatus.PENDING
        ).values_list("pk", flat=True)
    )
    send_after_commit(ids)
    return ids


# --- Rendering -------------------------------------------------------------------------


@dataclasses.dataclass
class Digest:
    scope: dashboard.Scope
    team_name: str
    total: dashboard.Figures
    stalled: list[dashboard.StalledRow]
    stalled_count: int
    owners: list[dashboard.PersonRow]
    dashboard_url: str

    @property
    def more_stalled(self) -> int:
        return max(self.stalled_count - len(self.stalled), 0)


def build_digest(
    recipient: User, payload: dict[str, Any], *, now: dt.datetime | None = None
) -> Digest:
    """The digest's content, computed now for the period and team it was queued for."""
    now = now or timezone.now()
    try:
        start = dt.date.fromisoformat(payload["start"])
        end = dt.date.fromisoformat(payload["end"])
    except (KeyError, TypeError, ValueError):
        start, end = digest_period(calendar.business_date(now))
    team_id = payload.get("team")
    scope = dashboard.Scope(start=start, end=end, now=now, team_id=team_id)
    with dashboard.one_snapshot():
        stalled, count = dashboard.stalled_page(scope, limit=STALLED_IN_DIGEST)
        people = dashboard.tables(scope)
    team_name = ""
    if team_id is not None:
        team_name = (
            recipient.name
            if team_id == recipient.pk
            else str(User.objects.filter(pk=team_id).values_list("name", flat=True).first() or "")
        )
    return Digest(
        scope=scope,
        team_name=team_name,
        total=people.total,
        stalled=dashboard.stalled_rows(stalled, now),
        stalled_count=count,
        owners=[row for row in people.owners if row.figures.overdue][:OWNERS_IN_DIGEST],
        dashboard_url=absolute_url(reverse("dashboard") + "?" + urlencode(scope.query_params())),
    )


def email_context(notification: Notification) -> dict[str, Any]:
    """What `templates/emails/weekly_digest/` needs, and the unsubscribe headers."""

    digest = build_digest(notification.recipient, notification.payload)
    url = unsubscribe_url(notification.recipient)
    end = digest.scope.end
    return {
        "digest": digest,
        # The week before the digest: what the interviews taught (shared knowledge, so
        # every manager sees all of it, not only their team's).
        "learned": library.learned_between(end - dt.timedelta(days=6), end),
        "findings_url": absolute_url(reverse("findings")),
        "stalled_links": [(row, request_url(row.request)) for row in digest.stalled],
        "unsubscribe_url": url,
        "email_headers": {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }
