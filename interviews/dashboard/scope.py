"""What a dashboard (or a digest) looks at: which requests, over which period, at what time.

The scope filters requests by team, owner and purpose; the period is a range of dates in
the business time zone. Figures about "right now" (open, stalled, pending) ignore the
period; figures about flow (filed, switched, response times, the funnel) look at the
requests filed in the period; the reasons count the deferrals and declines given in it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from interviews import calendar

# The default period: the last twelve weeks, the same span as the trend chart.
DEFAULT_PERIOD_DAYS = 12 * 7


def team_scoping_enabled() -> bool:
    """With DASHBOARD_TEAM_SCOPE on, a manager sees only their own team (admins see all)."""
    return bool(getattr(settings, "DASHBOARD_TEAM_SCOPE", False))


def team_members(manager_id: int) -> QuerySet[User]:
    """A manager's team: the manager and the people who report to them (a subquery)."""
    return User.objects.filter(Q(pk=manager_id) | Q(reports_to_id=manager_id)).values("pk")


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the business time zone."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=calendar.business_tz())


@dataclasses.dataclass(frozen=True)
class Scope:
    start: dt.date  # first day of the period (business time zone), inclusive
    end: dt.date  # last day of the period, inclusive
    now: dt.datetime
    team_id: int | None = None  # a manager: requests their team owns or filed
    owner_id: int | None = None
    purpose: str = ""

    @classmethod
    def default(cls, now: dt.datetime | None = None, **filters) -> Scope:
        now = now or timezone.now()
        start, end = default_period(calendar.business_date(now))
        return cls(start=start, end=end, now=now, **filters)

    @functools.cached_property
    def team_member_ids(self) -> list[int]:
        """The team's people, looked up once: the planner estimates a list of ids well
        (indexes on owner and requester), where a subquery made it scan every request."""
        if self.team_id is None:
            return []
        return list(team_members(self.team_id).values_list("pk", flat=True))

    @property
    def today(self) -> dt.date:
        return calendar.business_date(self.now)

    @property
    def start_at(self) -> dt.datetime:
        return day_start(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """Midnight after the last day: periods are half-open [start_at, end_at)."""
        return day_start(self.end + dt.timedelta(days=1))

    def requests_q(self, prefix: str = "") -> Q:
        """The scope as a filter on InterviewRequest (or, with a prefix, on a relation)."""
        q = Q()
        if self.team_id is not None:
            members = self.team_member_ids
            # A sales or CS manager's team owns requests; a marketing lead's team files them.
            q &= Q(**{f"{prefix}owner__in": members}) | Q(**{f"{prefix}requested_by__in": members})
        if self.owner_id is not None:
            q &= Q(**{f"{prefix}owner_id": self.owner_id})
        if self.purpose:
            q &= Q(**{f"{prefix}purpose": self.purpose})
        return q

    def filed_in_period_q(self, prefix: str = "") -> Q:
        return Q(
            **{f"{prefix}created_at__gte": self.start_at, f"{prefix}created_at__lt": self.end_at}
        )

    def quarter_days(self) -> tuple[dt.date, dt.date]:
        """The calendar quarter `now` falls in: its first day and the first day after it."""
        today = self.today
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = dt.date(today.year, first_month, 1)
        end = dt.date(today.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
        return start, end

    def quarter_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The calendar quarter `now` falls in, as business-time-zone midnights."""
        start, end = self.quarter_days()
        return day_start(start), day_start(end)

    def query_params(self) -> dict[str, str]:
        """The scope as the dashboard's GET parameters (for links from the digest)."""
        params = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.team_id is not None:
            params["team"] = str(self.team_id)
        if self.owner_id is not None:
            params["owner"] = str(self.owner_id)
        if self.purpose:
            params["purpose"] = self.purpose
        return params
