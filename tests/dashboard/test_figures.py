"""Every figure of the dashboard against the hand-built dataset (conftest.py)."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import Counter

import pytest
from django.utils import timezone

from interviews import calendar, dashboard, workflow
from interviews.dashboard.days import BusinessDayIndex, median_of_counts
from interviews.models import Purpose, ReasonCategory
from tests.dashboard.conftest import TODAY

pytestmark = pytest.mark.django_db


def _scope(**filters) -> dashboard.Scope:
    return dashboard.Scope.default(timezone.now(), **filters)


def _by_name(rows) -> dict[str, dashboard.Figures]:
    return {row.name: row.figures for row in rows}


def test_the_default_period_is_the_last_twelve_weeks(clock):
    scope = _scope()
    assert scope.end == TODAY
    assert scope.start == TODAY - dt.timedelta(days=83)


def test_headline_figures(dataset):
    board = dashboard.build(_scope())
    total = board.total
    # Right now: r6 declined and r8 completed are closed.
    assert total.open == 9
    assert total.pending == 4  # r2 (owner asks), r3, r9 (waiting), r4 (deferred)
    assert board.stalled_count == 6
    assert total.completed_quarter == 1  # r8
    # Filed in the period: all but r10.
    assert total.filed == 10
    assert total.decided == 7  # r1, r2, r5, r6, r7, r8, r11
    assert total.switched == 1  # r5
    assert total.switched_share == pytest.approx(1 / 7)
    # First answers in business days: r6 0, r1 1, r8 1, r4 1, r7 2, r11 2 (from the
    # reassignment, not the filing), r2 3.
    assert sorted(total.response_days.elements()) == [0, 1, 1, 1, 2, 2, 3]
    assert total.median_response_days == 1
    # Decided and answered within 5 business days: all six answered ones (r4 is not decided).
    assert total.answered_within_window == 6
    assert total.within_window_share == pytest.approx(6 / 7)


def test_the_quarter_is_the_calendar_quarter(dataset):
    completed_at = dataset.requests["r8"].closed_at
    assert calendar.business_date(completed_at) >= dt.date(2026, 10, 1)


def test_per_owner_table(dataset):
    owners = _by_name(dashboard.build(_scope()).owners)
    assert set(owners) == {"Sato Sales", "Chika CS", "Suzu Sales"}

    sato = owners["Sato Sales"]
    assert (sato.pending, sato.overdue, sato.switched) == (2, 1, 0)
    assert sorted(sato.response_days.elements()) == [0, 1, 1, 2, 2, 3]
    assert sato.median_response_days == 1.5
    assert sato.within_window_share == 1
    assert (sato.deferrals, sato.declines) == (0, 1)

    chika = owners["Chika CS"]
    assert (chika.pending, chika.overdue, chika.switched) == (1, 1, 1)
    assert chika.median_response_days == 1
    assert chika.within_window_share == 0  # r5, decided by the clock
    assert (chika.deferrals, chika.declines) == (2, 0)

    # r11 was filed to Suzu, but Sato answered it: the response is Sato's.
    suzu = owners["Suzu Sales"]
    assert (suzu.pending, suzu.overdue, suzu.filed) == (1, 1, 1)
    assert not suzu.response_days
    assert suzu.median_response_days is None


def test_owners_with_most_overdue_come_first(dataset):
    owners = dashboard.build(_scope()).owners
    assert [row.name for row in owners] == ["Sato Sales", "Chika CS", "Suzu Sales"]


def test_per_team_table(dataset):
    teams = _by_name(dashboard.build(_scope()).teams)
    assert set(teams) == {"Mori Manager", "Moto Manager"}
    mori = teams["Mori Manager"]
    assert (mori.pending, mori.overdue, mori.switched, mori.deferrals, mori.declines) == (
        3,
        2,
        1,
        2,
        1,
    )
    assert mori.median_response_days == 1  # [0, 1, 1, 1, 2, 2, 3]
    assert teams["Moto Manager"].pending == 1


def test_why_requests_stall(dataset):
    reasons = {row.category: row for row in dashboard.build(_scope()).reasons}
    assert list(reasons) == list(ReasonCategory.values)
    assert (reasons["customer_busy"].deferred, reasons["customer_busy"].declined) == (1, 0)
    assert (reasons["bad_timing"].deferred, reasons["bad_timing"].declined) == (1, 0)
    assert (reasons["open_issue"].deferred, reasons["open_issue"].declined) == (0, 1)
    assert sum(row.total for row in reasons.values()) == 3


def test_reasons_count_only_the_period(dataset):
    # Only r4's second deferral (14 business days ago) falls in a period starting then.
    day = calendar.business_date(dataset.requests["r4"].status_changed_at)
    scope = dashboard.Scope(start=day, end=TODAY, now=timezone.now())
    reasons = {row.category: row for row in dashboard.reason_counts(scope)}
    assert reasons["bad_timing"].deferred == 1
    assert reasons["customer_busy"].deferred == 0
    assert reasons["open_issue"].declined == 1  # declined 12 business days ago


def test_funnel(dataset):
    funnel = {stage.key: stage.count for stage in dashboard.build(_scope()).funnel}
    assert funnel == {"filed": 10, "decided": 7, "scheduled": 2, "completed": 1}


def test_trend(dataset):
    weeks = dashboard.build(_scope()).trend
    assert len(weeks) == 12
    assert weeks[-1].monday == TODAY  # the week the period ends in
    assert weeks[0].monday == TODAY - dt.timedelta(weeks=11)
    assert sum(w.filed for w in weeks) == 10  # r10 was filed before these 12 weeks
    completed = [w for w in weeks if w.completed]
    assert len(completed) == 1
    r8_day = calendar.business_date(dataset.requests["r8"].closed_at)
    assert completed[0].monday == r8_day - dt.timedelta(days=r8_day.weekday())


def test_team_scope(dataset):
    board = dashboard.build(_scope(team_id=dataset.manager.pk))
    assert board.total.open == 8  # not Suzu's r9
    assert board.stalled_count == 5
    assert {row.name for row in board.owners} == {"Sato Sales", "Chika CS"}
    other = dashboard.build(_scope(team_id=dataset.moto.pk))
    assert other.total.open == 1
    assert [row.request for row in other.stalled] == [dataset.requests["r9"]]


def test_owner_and_purpose_scope(dataset):
    board = dashboard.build(_scope(owner_id=dataset.chika.pk))
    assert board.total.open == 3  # r4, r5, r10
    assert {row.name for row in board.owners} == {"Chika CS"}
    research = dashboard.build(_scope(purpose=Purpose.RESEARCH))
    assert research.total.filed == 1  # r2
    assert list(research.total.response_days.elements()) == [3]


def test_an_empty_scope_has_no_shares_or_medians(db, clock):
    board = dashboard.build(_scope())
    assert board.total.filed == 0
    assert board.total.median_response_days is None
    assert board.total.switched_share is None
    assert board.owners == []
    assert all(stage.count == 0 for stage in board.funnel)


def test_business_day_index_agrees_with_the_calendar(settings):
    settings.BUSINESS_EXTRA_CLOSED_DAYS = {(12, 30), (12, 31)}
    rng = random.Random(5)
    first = dt.date(2026, 4, 20)  # Golden Week ahead, the year end later
    index = BusinessDayIndex(first, first + dt.timedelta(days=300))
    for _ in range(300):
        a = first + dt.timedelta(days=rng.randrange(300))
        b = a + dt.timedelta(days=rng.randrange(300 - (a - first).days))
        assert index.between(a, b) == calendar.business_days_between(a, b), (a, b)


def test_response_days_count_like_a_window():
    tz = calendar.business_tz()
    index = BusinessDayIndex(dt.date(2026, 11, 20), dt.date(2026, 12, 10))
    friday_night = dt.datetime(2026, 11, 27, 19, 0, tzinfo=tz)  # after close of business
    monday = dt.datetime(2026, 11, 30, 11, 0, tzinfo=tz)
    tuesday = dt.datetime(2026, 12, 1, 9, 0, tzinfo=tz)
    assert index.elapsed(friday_night, monday) == 0  # counts from Monday
    assert index.elapsed(friday_night, tuesday) == 1
    assert index.elapsed(dt.datetime(2026, 11, 27, 10, 0, tzinfo=tz), monday) == 1
    assert index.elapsed(monday, monday) == 0


def test_response_time_counts_from_the_next_business_day_after_close(clock, file_request, sales):
    tz = calendar.business_tz()
    # Filed on Friday 27 Nov after close of business, answered on Monday: 0 business days.
    request = file_request(now=dt.datetime(2026, 11, 27, 19, 30, tzinfo=tz))
    workflow.request_owner_go_ahead(
        request_id=request.pk, by=sales, now=dt.datetime(2026, 11, 30, 9, 30, tzinfo=tz)
    )
    assert list(dashboard.build(_scope()).total.response_days.elements()) == [0]


def test_response_time_of_a_request_filed_on_a_holiday(clock, file_request, sales):
    tz = calendar.business_tz()
    # Filed on Monday 23 Nov (Labour Thanksgiving Day), answered on Wednesday: 1 day.
    request = file_request(now=dt.datetime(2026, 11, 23, 11, 0, tzinfo=tz))
    workflow.request_owner_go_ahead(
        request_id=request.pk, by=sales, now=dt.datetime(2026, 11, 25, 17, 0, tzinfo=tz)
    )
    assert list(dashboard.build(_scope()).total.response_days.elements()) == [1]


def test_the_median_of_counted_values_is_exact():
    rng = random.Random(7)
    for _ in range(200):
        values = [rng.randrange(12) for _ in range(rng.randrange(1, 40))]
        assert median_of_counts(Counter(values)) == statistics.median(values), values
    assert median_of_counts(Counter()) is None


@pytest.fixture(params=["Asia/Tokyo", "America/New_York"])
def business_zone(request, settings):
    """Tokyo, and a zone whose clocks change (1 November 2026) inside the period."""
    settings.BUSINESS_TIME_ZONE = request.param
    if request.param == "America/New_York":
        settings.BUSINESS_HOLIDAYS_COUNTRY = "US"
    return request.param


@pytest.fixture
def random_answers(clock, file_request, sales, cs, business_zone):
    """Forty requests filed at random moments of the period (nights, weekends, holidays),
    answered in random ways hours to days later, with windows of 5 to 10 business days."""
    from tests.factories import AccountFactory, CandidateFactory

    tz = calendar.business_tz()
    rng = random.Random(11)
    answers = (
        workflow.request_owner_go_ahead,
        workflow.request_owner_will_reach_out,
        lambda **kw: workflow.request_decline(
            reason_category=ReasonCategory.OTHER, reason="No", **kw
        ),
    )
    for i in range(40):
        owner = sales if i % 2 else cs
        account = AccountFactory(owner=owner, name=f"Random {i}")
        filed_at = dt.datetime.combine(
            TODAY - dt.timedelta(days=rng.randrange(3, 70)),
            dt.time(rng.randrange(24), rng.randrange(60)),
            tzinfo=tz,
        )
        request = file_request(
            account=account,
            candidates=[CandidateFactory(account=account)],
            now=filed_at,
            response_window_days=rng.randrange(5, 11),
        )
        answered_at = filed_at + dt.timedelta(days=rng.randrange(0, 3), hours=rng.randrange(1, 60))
        if answered_at < timezone.now():
            rng.choice(answers)(request_id=request.pk, by=owner, now=answered_at)


def _as_plain(result) -> dict:
    return {owner: (dict(r.days), r.within_window) for owner, r in result.items()}


def test_postgresql_counts_response_days_as_the_portable_way_does(random_answers):
    from django.db import connection

    from interviews.dashboard import figures
    from interviews.models import InterviewRequest

    if connection.vendor != "postgresql":
        pytest.skip("the business days are counted in SQL on PostgreSQL only")
    scope = _scope()
    answered = InterviewRequest.objects.filter(
        scope.filed_in_period_q(), owner_responded_at__isnull=False
    )
    portable = _as_plain(figures._counted_by_day_pairs(answered))
    assert sum(sum(days.values()) for days, _ in portable.values()) >= 30
    assert _as_plain(figures._counted_in_sql(answered, scope)) == portable
    # A digest for a period long past: answers beyond the calendar passed to SQL are
    # counted the portable way, never as zero days.
    past = dashboard.Scope(start=scope.start, end=scope.start, now=scope.start_at)
    assert _as_plain(figures._counted_in_sql(answered, past)) == portable
