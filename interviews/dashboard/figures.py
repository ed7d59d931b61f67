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
import datetime as dt
from collections import Counter, defaultdict

from django.conf import settings
from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from interviews import calendar
from interviews.dashboard import stalled
from interviews.dashboard.days import BusinessDayIndex, business_dates, median_of_counts, share
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
    "deferrals",
    "declines",
)


def decided_q() -> Q:
    return ~Q(outreach_by="") | Q(status=Status.DECLINED)


def _switched_ids(scope: Scope) -> QuerySet[RequestEvent]:
    """Requests that went to marketing because a deadline passed after the period began
    (a subquery: the few deadline events, hashed once, not a lookup per request)."""
    return RequestEvent.objects.filter(
        kind=EventKind.DEADLINE_PASSED,
        created_at__gte=scope.start_at,  # a switch comes after the filing
    ).values("request_id")


def completed_in_quarter_q(scope: Scope) -> Q:
    """Interviews completed in the calendar quarter `scope.now` falls in."""
    start, end = scope.quarter_bounds()
    return Q(status=Status.COMPLETED, closed_at__gte=start, closed_at__lt=end)


def completed_this_quarter(scope: Scope) -> int:
    return InterviewRequest.objects.filter(
        scope.requests_q(), completed_in_quarter_q(scope)
    ).count()


def _owner_counts(scope: Scope) -> list[dict]:
    """Per owner, in one pass over the open requests and those filed in the period: what
    is with them right now (open, pending, overdue) and what became of the requests filed
    in the period (filed, decided, switched, scheduled, completed, deferrals, declines)."""
    is_open = Q(status__in=OPEN_STATUSES)
    filed = scope.filed_in_period_q()
    return list(
        InterviewRequest.objects.filter(scope.requests_q())
        .filter(is_open | filed)
        .values("owner_id")
        .annotate(
            open=Count("pk", filter=is_open),
            pending=Count("pk", filter=Q(status__in=WITH_OWNER_STATUSES)),
            overdue=Count("pk", filter=stalled.owner_side_q(scope.now)),
            filed=Count("pk", filter=filed),
            decided=Count("pk", filter=filed & decided_q()),
            switched=Count("pk", filter=filed & Q(pk__in=_switched_ids(scope))),
            scheduled=Count("pk", filter=filed & Q(interview_at__isnull=False)),
            completed=Count("pk", filter=filed & Q(status=Status.COMPLETED)),
            deferrals=Coalesce(Sum("deferral_count", filter=filed), 0),
            declines=Count("pk", filter=filed & Q(status=Status.DECLINED)),
        )
        .order_by()
    )


@dataclasses.dataclass
class Responses:
    """One owner's first answers: how many took each number of business days."""

    days: Counter[int] = dataclasses.field(default_factory=Counter)
    within_window: int = 0  # decided requests answered within their agreed window

    def add(self, days: int, *, window_days: int, decided: bool, count: int = 1) -> None:
        self.days[days] += count
        if decided and days <= window_days:
            self.within_window += count


def _reassigned_before_answer() -> QuerySet[RequestEvent]:
    return RequestEvent.objects.filter(
        request=OuterRef("pk"),
        kind=EventKind.OWNER_REASSIGNED,
        created_at__lt=OuterRef("owner_responded_at"),
    ).order_by("-created_at", "-pk")


def _local_day(expression) -> TruncDate:
    return TruncDate(expression, tzinfo=calendar.business_tz())


def _driver_rows(qs: QuerySet) -> list[tuple]:
    """The rows of a values_list() query as the database driver returns them: without
    Django's per-value converters, which cost more than the query for thousands of rows."""
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_date(value: dt.date | str) -> dt.date:
    """A local day from the driver: a date (PostgreSQL) or its ISO text (SQLite)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


# Answers come before the dashboard's "now"; a month of margin covers a digest built a
# little after its period. Anything later is counted the portable way.
_ANSWER_DAYS_AHEAD = 31


def responses(scope: Scope) -> dict[int, Responses]:
    """The first answers to the requests filed in the period (two queries).

    Most requests reach their owner when they are filed: those are counted in the
    database, where the start day is the next one for a request filed after close of
    business (shifting the time by what is left of the day after close does that). The few
    reassigned before their answer are read one by one, with the time and the person of
    their last reassignment.
    """
    answered = InterviewRequest.objects.filter(
        scope.requests_q(), scope.filed_in_period_q(), owner_responded_at__isnull=False
    )
    reassigned = list(
        answered.filter(Exists(_reassigned_before_answer()))
        .annotate(
            reached_owner_at=Subquery(_reassigned_before_answer().values("created_at")[:1]),
            answered_by=Subquery(
                _reassigned_before_answer()
                .annotate(to_owner=Cast(KT("details__to_owner"), IntegerField()))
                .values("to_owner")[:1]
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
    not_reassigned = answered.filter(~Exists(_reassigned_before_answer()))
    if connections[answered.db].vendor == "postgresql":
        result = _counted_in_sql(not_reassigned, scope)
    else:
        result = _counted_by_day_pairs(not_reassigned)
    if reassigned:
        index = BusinessDayIndex.covering(
            business_dates([row[1] for row in reassigned] + [row[2] for row in reassigned])
        )
        for owner_id, reached, answered_at, window_days, is_decided in reassigned:
            result[owner_id].add(
                index.elapsed(reached, answered_at), window_days=window_days, decided=is_decided
            )
    return result


def after_close() -> dt.timedelta:
    """What is left of the day after close of business: added to a moment, it moves an
    arrival after close to the next day."""
    return dt.timedelta(hours=24) - (
        dt.datetime.combine(dt.date.min, settings.CLOSE_OF_BUSINESS) - dt.datetime.min
    )


def _counted_in_sql(answered: QuerySet, scope: Scope) -> dict[int, Responses]:
    """PostgreSQL counts the business days itself, from the company calendar passed as
    arrays (the same `BusinessDayIndex` as elsewhere), and returns one row per (owner,
    days taken, answered within the window): a few thousand rows at 100k requests instead
    of one per (owner, start day, answer day, window).

    Each moment is placed on its local day by a binary search among the days' midnights
    (`width_bucket`), worked out here with the business time zone's rules: converting
    every row's time with AT TIME ZONE was most of the query's cost.
    """
    index = BusinessDayIndex(
        scope.start - dt.timedelta(days=1),
        max(scope.end, scope.today) + dt.timedelta(days=_ANSWER_DAYS_AHEAD),
    )
    running = index.running_counts()  # running[i]: business days before index.first + i
    tz = calendar.business_tz()
    # midnights[k - 1] starts day index.first + (k - 1): width_bucket gives k, 1-based, for a
    # moment on that day; 0 before the first day, len(midnights) after the last.
    midnights = [
        dt.datetime.combine(index.first + dt.timedelta(days=i), dt.time(0), tzinfo=tz)
        for i in range(len(running))
    ]
    table = connections[answered.db].ops.quote_name(InterviewRequest._meta.db_table)
    # `BusinessDayIndex.elapsed_days`: business days up to and including the answer day,
    # minus those before the start day, minus one. SQL arrays are 1-based: running[k] is
    # PostgreSQL's (running)[k + 1]. A moment outside the days gives NULL, which stays NULL.
    elapsed = RawSQL(  # noqa: S611 - every value is a parameter; the table name is ours
        f"""(
            (%s::int[])[width_bucket({table}."owner_responded_at", %s::timestamptz[]) + 1]
            - (%s::int[])[width_bucket({table}."created_at" + %s, %s::timestamptz[])]
            - 1
        )""",
        [running, midnights, running, after_close(), midnights],
        output_field=IntegerField(),
    )
    rows = _driver_rows(
        answered.annotate(elapsed=elapsed)
        .values_list(
            "owner_at_filing_id",
            "elapsed",  # below 0 for an answer before the start day: counted as 0 here
            ExpressionWrapper(
                decided_q() & Q(elapsed__lte=F("response_window_days")),
                output_field=BooleanField(),
            ),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    if any(days_taken is None for _owner, days_taken, _within, _n in rows):
        return _counted_by_day_pairs(answered)
    result: dict[int, Responses] = defaultdict(Responses)
    for owner_id, days_taken, within, n in rows:
        answers = result[owner_id]
        answers.days[max(days_taken, 0)] += n
        if within:
            answers.within_window += n
    return result


def _counted_by_day_pairs(answered: QuerySet) -> dict[int, Responses]:
    """Elsewhere (SQLite), the database groups by (owner, start day, answer day, window,
    decided) and the business days are counted here, once per distinct pair of days."""
    grouped = _driver_rows(
        answered.values_list(
            "owner_at_filing_id",
            _local_day(ExpressionWrapper(F("created_at") + after_close(), DateTimeField())),
            _local_day(F("owner_responded_at")),
            "response_window_days",
            ExpressionWrapper(decided_q(), output_field=BooleanField()),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    # Thousands of groups, but far fewer distinct days and (start day, answer day) pairs.
    as_date = {
        day: _as_date(day) for day in {row[1] for row in grouped} | {row[2] for row in grouped}
    }
    index = BusinessDayIndex.covering(as_date.values())
    result: dict[int, Responses] = defaultdict(Responses)
    elapsed: dict[tuple, int] = {}
    for owner_id, start_day, answer_day, window_days, is_decided, n in grouped:
        key = (start_day, answer_day)
        days_taken = elapsed.get(key)
        if days_taken is None:
            days_taken = elapsed[key] = index.elapsed_days(as_date[start_day], as_date[answer_day])
        result[owner_id].add(days_taken, window_days=window_days, decided=is_decided, count=n)
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
    completed_quarter: int = 0  # the headline's (not per owner): see `tables`
    deferrals: int = 0
    declines: int = 0
    # First answers: how many took each number of business days.
    response_days: Counter[int] = dataclasses.field(default_factory=Counter)
    answered_within_window: int = 0

    def add_counts(self, row: dict) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))

    def add_responses(self, responses: Responses) -> None:
        self.response_days.update(responses.days)
        self.answered_within_window += responses.within_window

    def merge(self, other: Figures) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.response_days.update(other.response_days)
        self.answered_within_window += other.answered_within_window

    @property
    def answered(self) -> int:
        return self.response_days.total()

    @property
    def median_response_days(self) -> float | None:
        return median_of_counts(self.response_days)

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


def tables(scope: Scope, *, completed_quarter: int | None = None) -> Tables:
    """The headline totals and the per-owner and per-team rows (four or five queries).

    `completed_quarter`, when the caller counted it already (the trend does), saves
    the query that counts it.
    """
    by_owner: dict[int, Figures] = defaultdict(Figures)
    for row in _owner_counts(scope):
        by_owner[row["owner_id"]].add_counts(row)
    for owner_id, answers in responses(scope).items():
        by_owner[owner_id].add_responses(answers)

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
    total.completed_quarter = (
        completed_this_quarter(scope) if completed_quarter is None else completed_quarter
    )
    return Tables(total=total, owners=owners, teams=teams)
