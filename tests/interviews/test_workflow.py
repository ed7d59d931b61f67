"""Every transition: allowed, refused for the wrong person, refused in the wrong state,
and the event and notifications it leaves behind."""

from __future__ import annotations

import datetime as dt

import pytest

from interviews import workflow
from interviews.errors import (
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    PolicyViolation,
    StaleVersion,
)
from interviews.models import (
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    Outreach,
    ReasonCategory,
    RequestEvent,
    Status,
)
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


def notified(request: InterviewRequest) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(request=request).values_list("kind", "recipient__email")
    )


def last_event(request: InterviewRequest) -> RequestEvent:
    return request.events.order_by("-version", "-id").first()


def tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


# --- Filing -------------------------------------------------------------------------------


def test_filing_asks_the_owner_with_a_business_day_deadline(clock, file_request, sales, marketer):
    request = file_request()

    assert request.status == Status.AWAITING_OWNER
    assert request.owner == sales and request.owner_at_filing == sales
    # Filed Monday 30 Nov 10:00: five business days later is Monday 7 Dec, close of business.
    assert request.response_due_at == tokyo(2026, 12, 7, 18, 0)
    # First reminder two business days before the deadline day, at start of business.
    assert request.next_reminder_at == tokyo(2026, 12, 3, 9, 0)
    assert request.version == 1
    event = last_event(request)
    assert (event.kind, event.actor, event.to_status) == (
        EventKind.FILED,
        marketer,
        Status.AWAITING_OWNER,
    )
    assert notified(request) == [(NotificationKind.NEW_REQUEST, sales.email)]


def test_marketer_may_give_more_business_days_but_never_fewer(clock, file_request):
    with pytest.raises(InvalidInput) as too_short:
        file_request(response_window_days=3)
    assert too_short.value.field == "response_window_days"

    request = file_request(response_window_days=8)
    assert request.response_due_at == tokyo(2026, 12, 10, 18, 0)


def test_owners_cannot_file(clock, file_request, sales):
    with pytest.raises(NotAllowed):
        file_request(by=sales)
    assert not InterviewRequest.objects.exists()


def test_one_open_request_per_account(clock, file_request):
    first = file_request()
    with pytest.raises(PolicyViolation) as refused:
        file_request(topic="Another angle")
    assert refused.value.code == "open_request"
    assert refused.value.context["open_request_id"] == first.pk


def test_a_closed_request_does_not_block_a_new_one(clock, file_request, marketer):
    first = file_request()
    workflow.request_cancel(request_id=first.pk, by=marketer, reason="Wrong account")
    assert file_request(topic="Second try").status == Status.AWAITING_OWNER


def test_sensitive_account_is_refused_unless_a_manager_overrides(
    clock, file_request, account, manager
):
    account.sensitive_until = dt.date(2026, 12, 20)
    account.sensitive_reason = "Open escalation on the billing outage"
    account.save()

    with pytest.raises(PolicyViolation) as refused:
        file_request()
    assert refused.value.code == "sensitive"
    assert "billing outage" in str(refused.value)

    with pytest.raises(PolicyViolation):
        file_request(override_reason="I say so")  # a marketer cannot override

    request = file_request(by=manager, override_reason="CEO asked for this customer")
    event = last_event(request)
    assert event.details["overridden"] == ["sensitive"]
    assert event.details["override_reason"] == "CEO asked for this customer"


def test_sensitivity_ends_on_its_date(clock, file_request, account):
    account.sensitive_until = dt.date(2026, 11, 29)
    account.sensitive_reason = "Renewal"
    account.save()
    assert file_request().status == Status.AWAITING_OWNER


def test_cooldown_after_a_recent_interview(clock, file_request, candidate, manager, settings):
    settings.ACCOUNT_COOLDOWN_DAYS = 90
    candidate.last_interviewed_on = dt.date(2026, 10, 1)
    candidate.save()

    with pytest.raises(PolicyViolation) as refused:
        file_request()
    assert refused.value.code == "cooldown"
    assert refused.value.context["ends"] == dt.date(2026, 12, 30)

    request = file_request(by=manager, override_reason="Launch needs a quote")
    assert request.cooldown_override_reason == "Launch needs a quote"
    assert last_event(request).details["overridden"] == ["cooldown"]


def test_candidates_must_work_at_the_account(clock, file_request):
    stranger = CandidateFactory(account=AccountFactory())
    with pytest.raises(InvalidInput) as refused:
        file_request(candidates=[stranger])
    assert refused.value.field == "candidates"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("topic", "  "),
        ("questions", ""),
        ("purpose", "gossip"),
        ("candidates", []),
        ("needed_by", dt.date(2026, 11, 1)),
    ],
)
def test_filing_rejects_bad_values_with_the_field_named(clock, file_request, field, value):
    with pytest.raises(InvalidInput) as refused:
        file_request(**{field: value})
    assert refused.value.field == field
    assert not InterviewRequest.objects.exists()


def test_filing_needs_an_active_owner(clock, file_request, sales):
    sales.is_active = False
    sales.save()
    with pytest.raises(PolicyViolation) as refused:
        file_request()
    assert refused.value.code == "no_owner"


# --- The owner's answers --------------------------------------------------------------------


def test_owner_will_ask_the_customer_with_a_follow_up_deadline(
    clock, file_request, sales, marketer
):
    request = file_request()
    clock.move_to(tokyo(2026, 12, 1, 11, 0))

    request = workflow.request_owner_will_reach_out(request_id=request.pk, by=sales)

    assert request.status == Status.OWNER_OUTREACH
    assert request.outreach_by == Outreach.OWNER
    # Ten business days from Tuesday 1 Dec: Tuesday 15 Dec.
    assert request.response_due_at == tokyo(2026, 12, 15, 18, 0)
    assert request.owner_responded_at == tokyo(2026, 12, 1, 11, 0)
    assert request.version == 2
    assert (NotificationKind.DECIDED, marketer.email) in notified(request)
    assert last_event(request).kind == EventKind.OWNER_WILL_REACH_OUT


def test_owner_lets_marketing_go_ahead(clock, file_request, sales):
    request = workflow.request_owner_go_ahead(request_id=file_request().pk, by=sales)
    assert request.status == Status.MARKETING_OUTREACH
    assert request.outreach_by == Outreach.MARKETING
    assert request.response_due_at is None and request.next_reminder_at is None
    assert not request.escalated


def test_defer_until_a_date_with_a_reason(clock, file_request, sales):
    request = workflow.request_defer(
        request_id=file_request().pk,
        by=sales,
        until=dt.date(2026, 12, 19),  # a Saturday: wakes Monday morning
        reason_category=ReasonCategory.CUSTOMER_BUSY,
        reason="Renewal closes mid-December",
    )
    assert request.status == Status.DEFERRED
    assert request.deferral_count == 1
    assert request.wake_at == tokyo(2026, 12, 21, 9, 0)
    assert request.response_due_at is None
    event = last_event(request)
    assert event.details == {
        "until": "2026-12-19",
        "reason_category": "customer_busy",
        "reason": "Renewal closes mid-December",
    }


@pytest.mark.parametrize("until", [dt.date(2026, 11, 30), dt.date(2027, 1, 1)])
def test_defer_date_must_be_within_the_agreed_range(clock, file_request, sales, until, settings):
    settings.MAX_DEFERRAL_DAYS = 30  # so 30 Dec is the last allowed date
    request = file_request()
    with pytest.raises(InvalidInput) as refused:
        workflow.request_defer(
            request_id=request.pk,
            by=sales,
            until=until,
            reason_category="bad_timing",
            reason="Busy",
        )
    assert refused.value.field == "until"
    request.refresh_from_db()
    assert request.status == Status.AWAITING_OWNER and request.version == 1


def test_deferrals_are_limited(clock, file_request, sales, settings):
    settings.MAX_DEFERRALS = 1
    request = file_request()
    workflow.request_defer(
        request_id=request.pk,
        by=sales,
        until=dt.date(2026, 12, 2),
        reason_category="bad_timing",
        reason="Busy",
    )
    clock.move_to(tokyo(2026, 12, 2, 9, 1))
    workflow.wake_batch()
    with pytest.raises(InvalidInput) as refused:
        workflow.request_defer(
            request_id=request.pk,
            by=sales,
            until=dt.date(2026, 12, 10),
            reason_category="bad_timing",
            reason="Still busy",
        )
    assert "1 times" in str(refused.value) or "limit" in str(refused.value)


@pytest.mark.parametrize(
    ("category", "reason", "field"),
    [("nonsense", "x", "reason_category"), ("open_issue", " ", "reason")],
)
def test_decline_needs_a_reason(clock, file_request, sales, category, reason, field):
    request = file_request()
    with pytest.raises(InvalidInput) as refused:
        workflow.request_decline(
            request_id=request.pk, by=sales, reason_category=category, reason=reason
        )
    assert refused.value.field == field


def test_decline_closes_the_request_and_tells_the_marketer(clock, file_request, sales, marketer):
    request = workflow.request_decline(
        request_id=file_request().pk,
        by=sales,
        reason_category=ReasonCategory.OPEN_ISSUE,
        reason="Escalation open",
    )
    assert request.status == Status.DECLINED
    assert request.closed_at is not None
    assert (NotificationKind.DECIDED, marketer.email) in notified(request)


def _answers(request, user):
    return {
        "owner_will_reach_out": lambda: workflow.request_owner_will_reach_out(
            request_id=request.pk, by=user
        ),
        "owner_go_ahead": lambda: workflow.request_owner_go_ahead(request_id=request.pk, by=user),
        "defer": lambda: workflow.request_defer(
            request_id=request.pk,
            by=user,
            until=dt.date(2026, 12, 10),
            reason_category="bad_timing",
            reason="Busy",
        ),
        "decline": lambda: workflow.request_decline(
            request_id=request.pk, by=user, reason_category="open_issue", reason="Escalation"
        ),
    }


@pytest.mark.parametrize("answer", ["owner_will_reach_out", "owner_go_ahead", "defer", "decline"])
def test_only_the_owner_or_a_manager_answers(clock, file_request, marketer, cs, manager, answer):
    request = file_request()
    for outsider in (marketer, cs):
        with pytest.raises(NotAllowed):
            _answers(request, outsider)[answer]()
    _answers(request, manager)[answer]()  # a manager may answer for the owner


@pytest.mark.parametrize("answer", ["owner_will_reach_out", "owner_go_ahead", "defer", "decline"])
def test_an_answer_applies_once(clock, file_request, sales, answer):
    request = file_request()
    _answers(request, sales)[answer]()
    version = InterviewRequest.objects.get(pk=request.pk).version
    for second in _answers(request, sales).values():
        with pytest.raises(InvalidTransition) as refused:
            second()
        assert refused.value.context["status"] != Status.AWAITING_OWNER
    assert InterviewRequest.objects.get(pk=request.pk).version == version


def test_an_old_link_version_changes_nothing(clock, file_request, sales, manager):
    request = file_request()
    workflow.request_extend_deadline(
        request_id=request.pk, by=manager, extra_business_days=2, reason="Holiday"
    )
    with pytest.raises(StaleVersion) as refused:
        workflow.request_owner_go_ahead(request_id=request.pk, by=sales, expected_version=1)
    assert "Nothing was changed" in str(refused.value)
    assert InterviewRequest.objects.get(pk=request.pk).status == Status.AWAITING_OWNER


# --- The deadline and the deferral, per request -----------------------------------------------


def test_deadline_switch_is_refused_before_the_deadline(clock, file_request):
    request = file_request()
    with pytest.raises(InvalidTransition):
        workflow.request_switch_overdue(request_id=request.pk)
    assert InterviewRequest.objects.get(pk=request.pk).status == Status.AWAITING_OWNER


def test_deadline_passes_and_marketing_goes_direct(clock, file_request, sales, marketer):
    request = file_request()
    clock.move_to(tokyo(2026, 12, 7, 18, 0, 1))

    request = workflow.request_switch_overdue(request_id=request.pk)

    assert request.status == Status.MARKETING_OUTREACH
    assert request.escalated and request.outreach_by == Outreach.MARKETING
    assert request.response_due_at is None
    event = last_event(request)
    assert event.kind == EventKind.DEADLINE_PASSED and event.actor is None
    assert notified(request) == sorted(
        [
            (NotificationKind.NEW_REQUEST, sales.email),
            (NotificationKind.SWITCHED_OWNER, sales.email),
            (NotificationKind.SWITCHED_MARKETER, marketer.email),
        ]
    )
    with pytest.raises(InvalidTransition):
        workflow.request_switch_overdue(request_id=request.pk)


def test_owner_outreach_with_no_answer_reported_switches_too(clock, file_request, sales):
    request = workflow.request_owner_will_reach_out(request_id=file_request().pk, by=sales)
    clock.move_to(request.response_due_at + dt.timedelta(seconds=1))
    request = workflow.request_switch_overdue(request_id=request.pk)
    assert request.status == Status.MARKETING_OUTREACH and request.escalated
    assert last_event(request).details["was"] == Status.OWNER_OUTREACH


def test_a_deferred_request_wakes_with_a_new_window(clock, file_request, sales):
    request = workflow.request_defer(
        request_id=file_request().pk,
        by=sales,
        until=dt.date(2026, 12, 14),
        reason_category="bad_timing",
        reason="x",
    )
    with pytest.raises(InvalidTransition):
        workflow.request_wake(request_id=request.pk)  # not yet
    clock.move_to(tokyo(2026, 12, 14, 9, 0))
    request = workflow.request_wake(request_id=request.pk)
    assert request.status == Status.AWAITING_OWNER
    assert request.response_due_at == tokyo(2026, 12, 21, 18, 0)
    assert request.deferred_until is None and request.wake_at is None
    assert (NotificationKind.WOKE, sales.email) in notified(request)


# --- Outreach, interview, outcome ---------------------------------------------------------------


def test_schedule_then_complete_shares_the_outcome_with_the_owner(
    clock, file_request, sales, marketer, candidate
):
    request = workflow.request_owner_go_ahead(request_id=file_request().pk, by=sales)
    when = tokyo(2026, 12, 10, 14, 0)
    request = workflow.request_schedule(
        request_id=request.pk, by=marketer, interview_at=when, location="Zoom"
    )
    assert request.status == Status.SCHEDULED and request.interview_at == when
    assert (NotificationKind.SCHEDULED, sales.email) in notified(request)

    clock.move_to(tokyo(2026, 12, 11, 10, 0))
    request = workflow.request_complete(
        request_id=request.pk,
        by=marketer,
        outcome_summary="They cut month-end close from 9 days to 3.",
        published_url="https://example.com/stories/acme",
    )
    assert request.status == Status.COMPLETED
    assert (NotificationKind.OUTCOME_SHARED, sales.email) in notified(request)
    candidate.refresh_from_db()
    assert candidate.last_interviewed_on == dt.date(2026, 12, 10)


def test_owner_reports_outreach_only_when_the_owner_is_asking(clock, file_request, sales, cs):
    request = workflow.request_owner_will_reach_out(request_id=file_request().pk, by=sales)
    with pytest.raises(NotAllowed):
        workflow.request_customer_declined(request_id=request.pk, by=cs, reason="No")
    request = workflow.request_customer_declined(
        request_id=request.pk, by=sales, reason="Too busy this year"
    )
    assert request.status == Status.CUSTOMER_DECLINED


def test_owner_cannot_report_marketing_outreach(clock, file_request, sales):
    request = workflow.request_owner_go_ahead(request_id=file_request().pk, by=sales)
    with pytest.raises(NotAllowed):
        workflow.request_schedule(
            request_id=request.pk, by=sales, interview_at=tokyo(2026, 12, 9, 10, 0)
        )


def test_complete_needs_a_scheduled_interview_and_an_outcome(clock, file_request, sales, marketer):
    request = file_request()
    with pytest.raises(InvalidTransition):
        workflow.request_complete(request_id=request.pk, by=marketer, outcome_summary="x")
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    workflow.request_schedule(
        request_id=request.pk, by=marketer, interview_at=tokyo(2026, 12, 9, 10, 0)
    )
    clock.move_to(tokyo(2026, 12, 9, 12, 0))  # after the interview
    with pytest.raises(InvalidInput) as refused:
        workflow.request_complete(request_id=request.pk, by=marketer, outcome_summary="  ")
    assert refused.value.field == "outcome_summary"
    with pytest.raises(InvalidInput):
        workflow.request_complete(
            request_id=request.pk,
            by=marketer,
            outcome_summary="ok",
            published_url="javascript:alert(1)",
        )


def test_schedule_needs_an_aware_date(clock, file_request, sales, marketer):
    request = workflow.request_owner_go_ahead(request_id=file_request().pk, by=sales)
    with pytest.raises(InvalidInput):
        workflow.request_schedule(
            request_id=request.pk, by=marketer, interview_at=dt.datetime(2026, 12, 9, 10)
        )


# --- Cancel and the manager's overrides ---------------------------------------------


def test_only_the_filing_marketer_or_a_manager_cancels(
    clock, file_request, other_marketer, sales, manager
):
    request = file_request()
    for outsider in (other_marketer, sales):
        with pytest.raises(NotAllowed):
            workflow.request_cancel(request_id=request.pk, by=outsider, reason="x")
    request = workflow.request_cancel(request_id=request.pk, by=manager, reason="Campaign dropped")
    assert request.status == Status.CANCELLED
    assert (NotificationKind.CANCELLED, sales.email) in notified(request)
    with pytest.raises(InvalidTransition):
        workflow.request_cancel(request_id=request.pk, by=manager, reason="again")


def test_manager_extends_the_deadline(clock, file_request, manager, sales, marketer):
    request = file_request()
    with pytest.raises(NotAllowed):
        workflow.request_extend_deadline(
            request_id=request.pk, by=marketer, extra_business_days=2, reason="x"
        )
    request = workflow.request_extend_deadline(
        request_id=request.pk, by=manager, extra_business_days=3, reason="Owner travelling"
    )
    assert request.response_due_at == tokyo(2026, 12, 10, 18, 0)
    assert request.status == Status.AWAITING_OWNER and request.version == 2
    assert (NotificationKind.DEADLINE_EXTENDED, sales.email) in notified(request)


def test_manager_reassigns_the_owner_with_a_fresh_window(clock, file_request, manager, sales, cs):
    request = file_request()
    clock.move_to(tokyo(2026, 12, 2, 10, 0))
    request = workflow.request_reassign_owner(
        request_id=request.pk, by=manager, new_owner=cs, reason="Sato on leave"
    )
    assert request.owner == cs and request.owner_at_filing == sales
    assert request.status == Status.AWAITING_OWNER
    assert request.response_due_at == tokyo(2026, 12, 9, 18, 0)
    kinds = notified(request)
    assert (NotificationKind.NEW_REQUEST, cs.email) in kinds
    assert (NotificationKind.REASSIGNED_FROM, sales.email) in kinds
    with pytest.raises(NotAllowed):
        workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    workflow.request_owner_go_ahead(request_id=request.pk, by=cs)


def test_reassigning_a_deferred_request_asks_the_new_owner_now(
    clock, file_request, manager, sales, cs
):
    request = workflow.request_defer(
        request_id=file_request().pk,
        by=sales,
        until=dt.date(2026, 12, 20),
        reason_category="bad_timing",
        reason="x",
    )
    request = workflow.request_reassign_owner(
        request_id=request.pk, by=manager, new_owner=cs, reason="Left"
    )
    assert request.status == Status.AWAITING_OWNER and request.wake_at is None


def test_reassign_refuses_a_marketer_as_owner(clock, file_request, manager, other_marketer):
    with pytest.raises(InvalidInput):
        workflow.request_reassign_owner(
            request_id=file_request().pk, by=manager, new_owner=other_marketer, reason="x"
        )


def test_manager_forces_the_switch(clock, file_request, manager, sales, marketer):
    request = workflow.request_force_switch(
        request_id=file_request().pk, by=manager, reason="Launch is Friday"
    )
    assert request.status == Status.MARKETING_OUTREACH and request.escalated
    kinds = notified(request)
    assert (NotificationKind.SWITCHED_OWNER, sales.email) in kinds
    assert (NotificationKind.SWITCHED_MARKETER, marketer.email) in kinds
    assert last_event(request).details["reason"] == "Launch is Friday"


@pytest.mark.parametrize("status_maker", ["go_ahead", "decline"])
def test_manager_overrides_refused_once_the_owner_has_decided(
    clock, file_request, manager, sales, cs, status_maker
):
    request = file_request()
    if status_maker == "go_ahead":
        workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    else:
        workflow.request_decline(
            request_id=request.pk, by=sales, reason_category="open_issue", reason="x"
        )
    for override in (
        lambda: workflow.request_extend_deadline(
            request_id=request.pk, by=manager, extra_business_days=1, reason="x"
        ),
        lambda: workflow.request_reassign_owner(
            request_id=request.pk, by=manager, new_owner=cs, reason="x"
        ),
        lambda: workflow.request_force_switch(request_id=request.pk, by=manager, reason="x"),
    ):
        with pytest.raises(InvalidTransition):
            override()


def test_every_transition_bumps_the_version_and_writes_one_event(
    clock, file_request, sales, marketer
):
    request = file_request()
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    workflow.request_schedule(
        request_id=request.pk, by=marketer, interview_at=tokyo(2026, 12, 9, 10, 0)
    )
    clock.move_to(tokyo(2026, 12, 9, 12, 0))
    workflow.request_complete(request_id=request.pk, by=marketer, outcome_summary="Great")
    request.refresh_from_db()
    versions = list(request.events.order_by("version").values_list("version", "kind"))
    assert versions == [
        (1, EventKind.FILED),
        (2, EventKind.OWNER_GO_AHEAD),
        (3, EventKind.SCHEDULED),
        (4, EventKind.COMPLETED),
    ]
    assert request.version == 4


def test_inactive_users_cannot_act(clock, file_request, sales):
    request = file_request()
    sales.is_active = False
    sales.save()
    with pytest.raises(NotAllowed):
        workflow.request_owner_go_ahead(request_id=request.pk, by=sales)


def test_inactive_owner_cannot_be_given_a_reassigned_request(clock, file_request, manager):
    gone = UserFactory(department="sales", is_active=False)
    with pytest.raises(InvalidInput):
        workflow.request_reassign_owner(
            request_id=file_request().pk, by=manager, new_owner=gone, reason="x"
        )


def test_the_owner_hears_when_a_manager_answers_for_them(
    clock, file_request, manager, sales, marketer
):
    request = file_request()
    workflow.request_decline(
        request_id=request.pk, by=manager, reason_category="open_issue", reason="Escalation at HQ"
    )
    assert (NotificationKind.DECIDED, sales.email) in notified(request)
    assert (NotificationKind.DECIDED, marketer.email) in notified(request)


def test_an_owner_answering_is_not_told_their_own_answer(clock, file_request, sales):
    request = workflow.request_owner_go_ahead(request_id=file_request().pk, by=sales)
    assert (NotificationKind.DECIDED, sales.email) not in notified(request)
