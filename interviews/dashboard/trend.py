"""The trend (filed and completed per week) and the funnel of the period's requests."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from interviews import calendar
from interviews.dashboard.figures import Figures
from interviews.dashboard.scope import Scope, day_start
from interviews.models import InterviewRequest, Status

TREND_WEEKS = 12


@dataclasses.dataclass(frozen=True)
class Week:
    monday: dt.date
    filed: int
    completed: int


@dataclasses.dataclass(frozen=True)
class Trend:
    weeks: list[Week]
    completed_quarter: int  # interviews completed in the calendar quarter of today


def _per_day(qs, moment: str) -> dict[dt.date, int]:
    """How many rows fall on each day (business time zone) of `moment`."""
    return dict(
        qs.annotate(day=TruncDate(moment, tzinfo=calendar.business_tz()))
        .values_list("day")
        .annotate(n=Count("*"))  # not the primary key: the index alone can answer
        .order_by()
    )


def trend(scope: Scope, weeks: int = TREND_WEEKS) -> Trend:
    """Requests filed and interviews completed per week (Monday to Sunday, business time
    zone), for the `weeks` weeks up to the one the period ends in, and the interviews
    completed this quarter. Two queries, each counting per day (a few dozen rows), added
    up into weeks here: weeks and quarters start at midnight, so days fall wholly in one."""
    last_monday = scope.end - dt.timedelta(days=scope.end.weekday())
    mondays = [last_monday - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    first, last = day_start(mondays[0]), day_start(last_monday + dt.timedelta(weeks=1))
    in_scope = InterviewRequest.objects.filter(scope.requests_q())
    filed = _per_day(in_scope.filter(created_at__gte=first, created_at__lt=last), "created_at")
    quarter_start, quarter_end = scope.quarter_bounds()
    completed = _per_day(
        in_scope.filter(
            Q(closed_at__gte=first, closed_at__lt=last)
            | Q(closed_at__gte=quarter_start, closed_at__lt=quarter_end),
            status=Status.COMPLETED,
        ),
        "closed_at",
    )
    filed_weekly, completed_weekly = [0] * weeks, [0] * weeks
    for counts, weekly in ((filed, filed_weekly), (completed, completed_weekly)):
        for day, n in counts.items():
            week = (day - mondays[0]).days // 7
            if 0 <= week < weeks:
                weekly[week] += n
    first_day, end_day = scope.quarter_days()
    return Trend(
        weeks=[
            Week(monday, filed_weekly[i], completed_weekly[i]) for i, monday in enumerate(mondays)
        ],
        completed_quarter=sum(n for day, n in completed.items() if first_day <= day < end_day),
    )


@dataclasses.dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int


def funnel(total: Figures) -> list[Stage]:
    """How far the requests filed in the period got (each stage within the one before)."""
    return [
        Stage("filed", str(_("Filed")), total.filed),
        Stage("decided", str(_("Decided")), total.decided),
        Stage("scheduled", str(_("Scheduled")), total.scheduled),
        Stage("completed", str(_("Completed")), total.completed),
    ]
