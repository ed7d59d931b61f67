"""Races on PostgreSQL: two sweeps at once, a decision against the deadline, double submits,
two marketers filing for one account. Exactly one transition each, no error leaks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from interviews import jobs, workflow
from interviews.errors import InvalidTransition, PolicyViolation
from interviews.models import (
    EventKind,
    InterviewRequest,
    Notification,
    NotificationStatus,
    RequestEvent,
    Status,
)
from tests.concurrency import run_together
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FILED_AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO)
AFTER_DEADLINE = dt.datetime(2026, 12, 8, 9, 0, tzinfo=TOKYO)


def file_many(marketer, owner, count: int) -> list[int]:
    ids = []
    for i in range(count):
        account = AccountFactory(owner=owner)
        request = workflow.request_file(
            by=marketer,
            account=account,
            candidates=[CandidateFactory(account=account)],
            purpose="research",
            topic=f"Topic {i}",
            questions="Why us?",
            now=FILED_AT,
        )
        ids.append(request.pk)
    # The new-request emails, so that what follows counts only the switch.
    Notification.objects.update(status=NotificationStatus.SENT)
    return ids


def test_two_sweeps_at_once_switch_each_request_once(marketer, sales, settings):
    settings.JOB_BATCH_SIZE = 4  # many small batches, so the two sweeps interleave
    ids = file_many(marketer, sales, 24)
    mail.outbox.clear()

    results = run_together(
        lambda: jobs.process_deadlines(now=AFTER_DEADLINE),
        lambda: jobs.process_deadlines(now=AFTER_DEADLINE),
    )

    assert [kind for kind, _ in results] == ["ok", "ok"]
    assert sum(run.switched for _, run in results) == 24
    assert (
        InterviewRequest.objects.filter(pk__in=ids, status=Status.MARKETING_OUTREACH).count() == 24
    )
    switched_events = RequestEvent.objects.filter(kind=EventKind.DEADLINE_PASSED)
    assert switched_events.count() == 24
    assert set(switched_events.values_list("request_id", flat=True)) == set(ids)
    # Two emails per request (owner and marketer), each sent exactly once.
    assert len(mail.outbox) == 48
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 48


def test_a_decision_racing_the_deadline_switch_exactly_one_wins(marketer, sales):
    ids = file_many(marketer, sales, 12)
    outcomes = {}
    for request_id in ids:
        decision, sweep = run_together(
            lambda rid=request_id: workflow.request_owner_go_ahead(
                request_id=rid, by=sales, now=AFTER_DEADLINE
            ),
            lambda rid=request_id: workflow.switch_overdue_batch(now=AFTER_DEADLINE, ids=[rid]),
        )
        decision_won = decision[0] == "ok"
        sweep_won = sweep == ("ok", [request_id])
        assert decision_won != sweep_won, (decision, sweep)
        if not decision_won:
            assert isinstance(decision[1], InvalidTransition)
            assert decision[1].context["status"] == Status.MARKETING_OUTREACH
        events = RequestEvent.objects.filter(request_id=request_id).exclude(kind=EventKind.FILED)
        assert events.count() == 1
        outcomes[request_id] = events.get().kind
    assert set(outcomes.values()) <= {EventKind.OWNER_GO_AHEAD, EventKind.DEADLINE_PASSED}


def test_a_double_submitted_decision_applies_once(marketer, sales):
    (request_id,) = file_many(marketer, sales, 1)
    results = run_together(
        *[
            lambda: workflow.request_owner_will_reach_out(
                request_id=request_id, by=sales, now=FILED_AT
            )
        ]
        * 3
    )
    assert sorted(kind for kind, _ in results) == ["error", "error", "ok"]
    assert all(isinstance(value, InvalidTransition) for kind, value in results if kind == "error")
    assert (
        RequestEvent.objects.filter(
            request_id=request_id, kind=EventKind.OWNER_WILL_REACH_OUT
        ).count()
        == 1
    )
    assert InterviewRequest.objects.get(pk=request_id).version == 2


def test_two_marketers_filing_for_one_account_one_wins(marketer, other_marketer, sales):
    account = AccountFactory(owner=sales)
    candidate = CandidateFactory(account=account)

    def file(by):
        return lambda: workflow.request_file(
            by=by,
            account=account,
            candidates=[candidate],
            purpose="testimonial",
            topic="Quote",
            questions="?",
            now=FILED_AT,
        )

    results = run_together(file(marketer), file(other_marketer))
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, PolicyViolation) and error.code == "open_request"
    assert InterviewRequest.objects.filter(account=account).count() == 1


def test_reassignment_racing_a_decision_never_applies_both(marketer, sales, cs, manager):
    ids = file_many(marketer, sales, 6)
    for request_id in ids:
        decision, reassign = run_together(
            lambda rid=request_id: workflow.request_decline(
                request_id=rid,
                by=sales,
                reason_category="open_issue",
                reason="Escalation",
                now=FILED_AT,
            ),
            lambda rid=request_id: workflow.request_reassign_owner(
                request_id=rid, by=manager, new_owner=cs, reason="Sato left", now=FILED_AT
            ),
        )
        request = InterviewRequest.objects.get(pk=request_id)
        if decision[0] == "ok" and reassign[0] == "ok":
            pytest.fail("both applied")
        if decision[0] == "ok":
            assert request.status == Status.DECLINED
            assert isinstance(reassign[1], InvalidTransition)
        else:
            # The reassignment went first: the old owner may no longer answer.
            assert request.owner == cs and request.status == Status.AWAITING_OWNER
            assert decision[1].code in {"not_allowed", "invalid_transition"}
