"""Headline figures and the per-owner and per-team tables.

One grouped query counts, per owner, what is with them now and what happened to the
requests filed in the period; the headline adds those rows up. A second query fetches the
owners' first answers (a few columns per answered request) for the response times, whose
median is exact and computed here, because SQLite has no percentile function.

Definitions (the page and the digest explain them in the same words):

- *with owners* (pending): waiting for the owner's answer, deferred, or the owner is
  asking the customer;
- *overdue*: stalled with the owner (past half the window, deferred twice, or no progress
  on the owner's own outreach), see `stalled`;
- *decided*: of the requests filed in the period, those where it is settled who contacts
  the customer, or the owner declined;
- *switched*: of those, the ones that went to marketing because a deadline passed (the
  owner's window or the follow-up window after "I'll ask them myself");
- *response time*: business days from the moment the request reached the owner who
  answered it (filing, or the last reassignment before the answer) to that owner's first
  answer of any kind (ask myself, go ahead, not now, decline), counted like the window:
  a request arriving after close of business counts from the next business day. It
  belongs to the owner at the time of the answer, even if the request moved on later;
- *answered within the window*: decided requests whose first answer came within the
  agreed number of business days.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from interviews.dashboard import stalled
from interviews.dashboard.days import BusinessDayIndex, business_dates, median, share
from interviews.dashboard.scope import Scope
from interviews.models import (
    OPEN_STATUSES,
    EventKind,
    InterviewRequest,
    RequestEvent,
    Status,
)

WITH_OWNER_STATUSES = (Status.AWAITING_OWNER, Status.DEFERRED, Status.OWNER_OUTREACH)
COUNTS = (
    "open",
    "pending",
    "overdue",
    "filed",
    "decided",
    "switched",
    "scheduled",
    "completed",
    "completed_quarter",
    "deferrals",
    "declines",
)


def decided_q() -> Q:
    return ~Q(outreach_by="") | Q(status=Status.DECLINED)


def switched_by_deadline() -> Exists:
    return Exists(
        RequestEvent.objects.filter(request=OuterRef("pk"), kind=EventKind.DEADLINE_PASSED)
    )


def _owner_counts(scope: Scope) -> list[dict]:
    """Per owner: what is with them now, and what became of the requests filed in the
    period. Only rows that count somewhere are read: open ones, the period's, the quarter's."""
    filed = scope.filed_in_period_q()
    quarter_start, quarter_end = scope.quarter_bounds()
    completed_quarter = Q(
        status=Status.COMPLETED, closed_at__gte=quarter_start, closed_at__lt=quarter_end
    )
    return list(
        InterviewRequest.objects.filter(scope.requests_q())
        .filter(Q(status__in=OPEN_STATUSES) | filed | completed_quarter)
        .values("owner_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            pending=Count("pk", filter=Q(status__in=WITH_OWNER_STATUSES)),
            overdue=Count("pk", filter=stalled.owner_side_q(scope.now)),
            filed=Count("pk", filter=filed),
            decided=Count("pk", filter=filed & decided_q()),
            switched=Count("pk", filter=filed & Q(switched_by_deadline())),
            scheduled=Count("pk", filter=filed & Q(interview_at__isnull=False)),
            completed=Count("pk", filter=filed & Q(status=Status.COMPLETED)),
            completed_quarter=Count("pk", filter=completed_quarter),
            deferrals=Coalesce(Sum("deferral_count", filter=filed), 0),
            declines=Count("pk", filter=filed & Q(status=Status.DECLINED)),
        )
        .order_by()
    )


@dataclasses.dataclass(frozen=True)
class Response:
    owner_id: int
    business_days: int
    within_window: bool
    decided: bool


def responses(scope: Scope) -> list[Response]:
    """The first answers to the requests filed in the period, one row each."""
    reassigned_before = RequestEvent.objects.filter(
        request=OuterRef("pk"),
        kind=EventKind.OWNER_REASSIGNED,
        created_at__lt=OuterRef("owner_responded_at"),
    ).order_by("-created_at", "-pk")
    rows = list(
        InterviewRequest.objects.filter(scope.requests_q(), scope.filed_in_period_q())
        .filter(owner_responded_at__isnull=False)
        .annotate(
            reached_owner_at=Coalesce(
                Subquery(reassigned_before.values("created_at")[:1]), F("created_at")
            ),
            answered_by=Coalesce(
                Subquery(
                    reassigned_before.annotate(
                        to_owner=Cast(KT("details__to_owner"), IntegerField())
                    ).values("to_owner")[:1]
                ),
                F("owner_at_filing_id"),
                output_field=IntegerField(),
            ),
            is_decided=ExpressionWrapper(decided_q(), output_field=BooleanField()),
        )
        .values_list(
            "answered_by",
            "reached_owner_at",
            "owner_responded_at",
            "response_window_days",
            "is_decided",
        )
        .order_by()
    )
    index = BusinessDayIndex.covering(business_dates([r[1] for r in rows] + [r[2] for r in rows]))
    result = []
    for owner_id, reached, answered, window_days, is_decided in rows:
        days = index.elapsed(reached, answered)
        result.append(Response(owner_id, days, days <= window_days, bool(is_decided)))
    return result


@dataclasses.dataclass
class Figures:
    """One owner's, one team's, or everybody's figures."""

    open: int = 0
    pending: int = 0
    overdue: int = 0
    filed: int = 0
    decided: int = 0
    switched: int = 0
    scheduled: int = 0
    completed: int = 0
    completed_quarter: int = 0
    deferrals: int = 0
    declines: int = 0
    response_days: list[int] = dataclasses.field(default_factory=list)
    answered_within_window: int = 0

    def add_counts(self, row: dict) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))

    def add_response(self, response: Response) -> None:
        self.response_days.append(response.business_days)
        if response.decided and response.within_window:
            self.answered_within_window += 1

    def merge(self, other: Figures) -> None:
        self.add_counts(dataclasses.asdict(other))
        self.response_days.extend(other.response_days)
        self.answered_within_window += other.answered_within_window

    @property
    def answered(self) -> int:
        return len(self.response_days)

    @property
    def median_response_days(self) -> float | None:
        return median(self.response_days)

    @property
    def switched_share(self) -> float | None:
        return share(self.switched, self.decided)

    @property
    def within_window_share(self) -> float | None:
        return share(self.answered_within_window, self.decided)

    @property
    def counts_anything(self) -> bool:
        return bool(self.pending or self.filed or self.response_days or self.open)


@dataclasses.dataclass
class PersonRow:
    person_id: int | None
    name: str
    department: str
    figures: Figures
    team: str = ""  # the manager the person reports to


@dataclasses.dataclass
class Tables:
    total: Figures
    owners: list[PersonRow]
    teams: list[PersonRow]


def _sort_key(row: PersonRow) -> tuple:
    f = row.figures
    return (-f.overdue, -f.pending, -f.switched, row.name.casefold())


def tables(scope: Scope) -> Tables:
    """The headline totals and the per-owner and per-team rows (three queries)."""
    by_owner: dict[int, Figures] = defaultdict(Figures)
    for row in _owner_counts(scope):
        by_owner[row["owner_id"]].add_counts(row)
    for response in responses(scope):
        by_owner[response.owner_id].add_response(response)

    people = {
        person["pk"]: person
        for person in User.objects.filter(pk__in=list(by_owner)).values(
            "pk", "name", "email", "department", "reports_to_id", "reports_to__name"
        )
    }
    departments = dict(Department.choices)
    total = Figures()
    owners, teams_by_manager = [], {}
    for owner_id, figures in by_owner.items():
        person = people.get(owner_id, {})
        total.merge(figures)
        owners.append(
            PersonRow(
                owner_id,
                person.get("name") or person.get("email") or "—",
                str(departments.get(person.get("department"), "")),
                figures,
                team=person.get("reports_to__name") or "",
            )
        )
        manager_id = person.get("reports_to_id")
        team = teams_by_manager.setdefault(
            manager_id,
            PersonRow(
                manager_id,
                person.get("reports_to__name") or str(_("No manager")),
                "",
                Figures(),
            ),
        )
        team.figures.merge(figures)
    owners.sort(key=_sort_key)
    teams = sorted(teams_by_manager.values(), key=_sort_key)
    return Tables(total=total, owners=owners, teams=teams)
