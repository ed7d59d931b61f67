"""Each stalled rule with a moving clock: in and out of the list at the right moment.

The clock starts on Monday 30 Nov 2026, 10:00 Tokyo (no holidays until 23 Dec). Rules
turn at midnight in the business time zone.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from interviews import calendar, dashboard, jobs, workflow
from interviews.models import ReasonCategory, Status
from tests.conftest import TOKYO

pytestmark = pytest.mark.django_db


def tokyo(day: int, hour: int = 0, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TOKYO)


def stalled(**filters) -> dict[int, list[str]]:
    """The stalled list now: request id → the keys of the rules that hold."""
    scope = dashboard.Scope.default(timezone.now(), **filters)
    rows = dashboard.stalled_rows(list(dashboard.stalled_requests(scope)), scope.now)
    return {row.request.pk: [rule.key for rule in row.rules] for row in rows}


def test_waiting_past_half_its_window(clock, file_request):
    request = file_request()  # Monday 10:00, five business days: due Monday 7 Dec, 18:00
    assert request.response_due_at == tokyo(7, 18)
    clock.move_to(tokyo(2, 23, 59))  # Wednesday: three of five business days left
    assert request.pk not in stalled()
    clock.move_to(tokyo(3))  # Thursday: two left, fewer than half
    assert stalled()[request.pk] == ["half_window"]
    clock.move_to(tokyo(7, 18, 1))
    jobs.process_deadlines()  # the deadline switch takes it to marketing
    assert request.pk not in stalled()


def test_an_extended_deadline_takes_it_out_until_half_of_the_window_is_left(
    clock, file_request, manager
):
    request = file_request()
    clock.move_to(tokyo(3, 12))
    assert request.pk in stalled()
    workflow.request_extend_deadline(
        request_id=request.pk, by=manager, extra_business_days=5, reason="Away this week."
    )
    assert request.pk not in stalled()  # due 14 Dec now
    clock.move_to(tokyo(10))  # Thursday before the new deadline
    assert request.pk in stalled()


def test_a_longer_window_turns_later(clock, file_request):
    request = file_request(response_window_days=10)  # due Monday 14 Dec
    clock.move_to(tokyo(5, 12))  # Saturday: six business days left of ten
    assert request.pk not in stalled()
    clock.move_to(tokyo(7, 23, 59))  # Monday: five left, exactly half
    assert request.pk not in stalled()
    clock.move_to(tokyo(8))  # Tuesday: four left
    assert request.pk in stalled()


def test_every_window_length_turns_when_fewer_than_half_its_days_are_left(
    clock, file_request, account, settings
):
    """For each agreed window, walk the days to the deadline: stalled exactly from the day
    at most (N - 1) // 2 business days remain after today (weekends and the year end on
    the way)."""
    from tests.factories import AccountFactory, CandidateFactory

    clock.move_to(tokyo(14, 10))
    windows = range(
        settings.RESPONSE_WINDOW_BUSINESS_DAYS, settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS + 1
    )
    requests = {}
    for window in windows:
        customer = AccountFactory(owner=account.owner)
        requests[window] = file_request(
            account=customer,
            candidates=[CandidateFactory(account=customer)],
            response_window_days=window,
        )
    day = dt.date(2026, 12, 14)
    last = max(calendar.business_date(r.response_due_at) for r in requests.values())
    while day <= last:
        clock.move_to(dt.datetime.combine(day, dt.time(12), tzinfo=TOKYO))
        now_stalled = stalled()
        for window, request in requests.items():
            due_day = calendar.business_date(request.response_due_at)
            if day > due_day:
                continue
            left = calendar.business_days_between(day, due_day)
            expected = left <= (window - 1) // 2
            assert (request.pk in now_stalled) == expected, (window, day, left)
        day += dt.timedelta(days=1)


def test_deferred_two_or_more_times(clock, file_request, sales):
    request = file_request()
    workflow.request_defer(
        request_id=request.pk,
        by=sales,
        until=dt.date(2026, 12, 2),
        reason_category=ReasonCategory.BAD_TIMING,
        reason="Busy.",
    )
    assert request.pk not in stalled()  # once is allowed
    clock.move_to(tokyo(2, 9, 1))
    jobs.process_deadlines()  # wakes it
    workflow.request_defer(
        request_id=request.pk,
        by=sales,
        until=dt.date(2026, 12, 4),
        reason_category=ReasonCategory.CUSTOMER_BUSY,
        reason="Still busy.",
    )
    assert stalled()[request.pk] == ["deferred_again"]
    clock.move_to(tokyo(4, 9, 1))
    jobs.process_deadlines()  # back with the owner: still deferred twice
    assert "deferred_again" in stalled()[request.pk]
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    assert request.pk not in stalled()


def test_owner_outreach_with_no_progress(clock, file_request, sales, settings):
    settings.OWNER_OUTREACH_BUSINESS_DAYS = 15  # so the follow-up switch does not come first
    request = file_request()
    workflow.request_owner_will_reach_out(request_id=request.pk, by=sales)  # Monday 10:00
    clock.move_to(tokyo(11, 23, 59))  # Friday: nine business days later
    assert request.pk not in stalled()
    clock.move_to(tokyo(13, 12))  # Sunday
    assert request.pk not in stalled()
    clock.move_to(tokyo(14))  # Monday: the tenth business day
    assert stalled()[request.pk] == ["owner_outreach_idle"]
    workflow.request_schedule(
        request_id=request.pk, by=sales, interview_at=tokyo(18, 14), location="Online"
    )
    assert request.pk not in stalled()


def test_an_answer_after_close_of_business_counts_from_the_next_day(
    clock, file_request, sales, settings
):
    settings.OWNER_OUTREACH_BUSINESS_DAYS = 15
    request = file_request()
    clock.move_to(tokyo(30, 19, month=11))  # Monday after close of business
    workflow.request_owner_will_reach_out(request_id=request.pk, by=sales)
    clock.move_to(tokyo(14, 12))
    assert request.pk not in stalled()
    clock.move_to(tokyo(15))
    assert request.pk in stalled()


def test_marketing_outreach_with_no_interview_scheduled(clock, file_request, sales, marketer):
    request = file_request()
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    clock.move_to(tokyo(11, 23, 59))
    assert request.pk not in stalled()
    clock.move_to(tokyo(14))
    assert stalled()[request.pk] == ["marketing_outreach_idle"]
    workflow.request_customer_declined(request_id=request.pk, by=marketer, reason="No time.")
    assert request.pk not in stalled()


def test_the_switched_request_is_idle_from_the_switch_not_the_filing(clock, file_request):
    request = file_request()
    clock.move_to(tokyo(7, 18, 1))
    jobs.process_deadlines()
    request.refresh_from_db()
    assert request.status == Status.MARKETING_OUTREACH
    clock.move_to(tokyo(18, 23, 59))  # Friday: nine business days after the switch day
    assert request.pk not in stalled()
    clock.move_to(tokyo(22))  # Tuesday 22 Dec: ten business days after Tuesday 8 Dec
    assert stalled()[request.pk] == ["marketing_outreach_idle"]


def test_interview_date_passed_but_not_completed(clock, file_request, sales, marketer):
    request = file_request()
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    workflow.request_schedule(request_id=request.pk, by=marketer, interview_at=tokyo(2, 14))
    clock.move_to(tokyo(2, 23, 59))  # the interview day itself
    assert request.pk not in stalled()
    clock.move_to(tokyo(3))
    assert stalled()[request.pk] == ["interview_passed"]
    workflow.request_complete(request_id=request.pk, by=marketer, outcome_summary="Done.")
    assert request.pk not in stalled()


def test_how_long_and_sorting(dataset):
    scope = dashboard.Scope.default(timezone.now())
    rows = dashboard.stalled_rows(list(dashboard.stalled_requests(scope)), scope.now)
    by_key = {row.request.topic.split()[-1]: row for row in rows}
    assert set(by_key) == {"r3", "r4", "r5", "r7", "r9", "r10"}
    assert by_key["r3"].business_days == 4  # waiting since it was filed
    assert by_key["r4"].business_days == 20  # deferred again and again since filing
    assert by_key["r5"].business_days == 11  # marketing since the switch
    assert by_key["r7"].business_days == 2  # since the interview
    assert by_key["r10"].business_days == 69
    # Longest first by default; then by the other columns.
    assert [row.request.topic.split()[-1] for row in rows] == ["r10", "r4", "r5", "r9", "r3", "r7"]
    newest = dashboard.stalled_requests(scope, "-since")
    assert next(r.topic.split()[-1] for r in newest) == "r7"
    by_reason = [r.stalled_rule for r in dashboard.stalled_requests(scope, "reason")]
    assert by_reason == sorted(by_reason)
    by_owner = [r.owner.name for r in dashboard.stalled_requests(scope, "-owner")]
    assert by_owner == sorted(by_owner, reverse=True)


def test_rule_labels_are_translated_when_shown():
    from django.utils.functional import Promise

    assert all(isinstance(rule.label, Promise) for rule in dashboard.RULES)
