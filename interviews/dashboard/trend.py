"""The trend (filed and completed per week) and the funnel of the period's requests."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from interviews.dashboard.figures import Figures, completed_in_quarter_q
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


def trend(scope: Scope, weeks: int = TREND_WEEKS) -> Trend:
    """Requests filed and interviews completed per week (Monday to Sunday, business time
    zone), for the `weeks` weeks up to the one the period ends in, and the interviews
    completed this quarter. One query: a conditional count per week."""
    last_monday = scope.end - dt.timedelta(days=scope.end.weekday())
    mondays = [last_monday - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    bounds = [(day_start(m), day_start(m + dt.timedelta(weeks=1))) for m in mondays]
    first, last = bounds[0][0], bounds[-1][1]
    counts = {}
    for i, (start, end) in enumerate(bounds):
        counts[f"filed_{i}"] = Count("pk", filter=Q(created_at__gte=start, created_at__lt=end))
        counts[f"completed_{i}"] = Count(
            "pk", filter=Q(status=Status.COMPLETED, closed_at__gte=start, closed_at__lt=end)
        )
    quarter = completed_in_quarter_q(scope)
    counts["completed_quarter"] = Count("pk", filter=quarter)
    totals = (
        InterviewRequest.objects.filter(scope.requests_q())
        .filter(
            Q(created_at__gte=first, created_at__lt=last)
            | Q(status=Status.COMPLETED, closed_at__gte=first, closed_at__lt=last)
            | quarter
        )
        .aggregate(**counts)
    )
    return Trend(
        weeks=[
            Week(monday, totals[f"filed_{i}"] or 0, totals[f"completed_{i}"] or 0)
            for i, monday in enumerate(mondays)
        ],
        completed_quarter=totals["completed_quarter"] or 0,
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
