"""The sweeps' set-based statements (PostgreSQL) against their ORM form: the same rows.

On PostgreSQL each batch of the switch, the wake-ups and the reminders is one statement
(`interviews.workflow.sweep_sql`); other databases write the same batch through the ORM.
Here both run on the same due requests — with Slack installed, people choosing Slack only,
both, or email, team channels by webhook and by the app, direct messages still on their
way — and must leave exactly the same requests, events and outbox rows. Then the races:
two sweeps at once, and a person's action racing each sweep, as for the switch
(tests/interviews/test_concurrency.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from unittest import mock

import pytest
from django.db import transaction

from accounts.models import NotifyVia
from interviews import jobs, workflow
from interviews.errors import InvalidTransition
from interviews.models import (
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    RequestEvent,
    Status,
)
from interviews.workflow import system
from tests.concurrency import run_together
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory, UserFactory

pytestmark = [pytest.mark.postgres]

FILED_AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO)  # deadline Mon 7 Dec 18:00
LONG_AGO = dt.datetime(2026, 11, 19, 10, 0, tzinfo=TOKYO)  # deadline Thu 26 Nov 18:00
# Monday 7 Dec 09:30: the old requests are overdue, the reminders of the 30 Nov ones due
# (their last), and requests deferred until today wake.
SWEEP_AT = dt.datetime(2026, 12, 7, 9, 30, tzinfo=TOKYO)


def file(marketer, owner, *, at=FILED_AT) -> int:
    account = AccountFactory(owner=owner)
    return workflow.request_file(
        by=marketer,
        account=account,
        candidates=[CandidateFactory(account=account)],
        purpose="research",
        topic="Why us",
        questions="What changed?",
        now=at,
    ).pk


def defer(request_id: int, owner, until: dt.date) -> None:
    workflow.request_defer(
        request_id=request_id,
        by=owner,
        until=until,
        reason_category="bad_timing",
        reason="Later",
        now=FILED_AT + dt.timedelta(hours=1),
    )


class Rollback(Exception):
    pass


def sweep_and_look(set_based: bool, now: dt.datetime) -> dict:
    """Run the three sweeps as the minute job does (without sending), note what they
    wrote, and roll it all back."""
    last_event = RequestEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    last_note = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    seen: dict = {}
    with (
        mock.patch.object(system, "_set_based", lambda: set_based),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        for batch in (
            workflow.wake_batch,
            workflow.switch_overdue_batch,
            workflow.send_reminders_batch,
        ):
            while batch(now=now):
                pass
        seen["requests"] = sorted(
            InterviewRequest.objects.values_list(
                "pk",
                "status",
                "version",
                "outreach_by",
                "escalated",
                "response_due_at",
                "next_reminder_at",
                "reminders_sent",
                "window_started_at",
                "deferred_until",
                "wake_at",
                "updated_at",
                "status_changed_at",
            )
        )
        seen["events"] = sorted(
            RequestEvent.objects.filter(pk__gt=last_event or 0).values_list(
                "request_id",
                "kind",
                "actor_id",
                "from_status",
                "to_status",
                "version",
                "details",
                "created_at",
            ),
            key=repr,
        )
        seen["outbox"] = sorted(
            Notification.objects.filter(pk__gt=last_note or 0).values_list(
                "kind",
                "channel",
                "recipient_id",
                "request_id",
                "event__request_id",
                "event__kind",
                "payload",
                "unique_key",
                "status",
                "attempts",
                "next_attempt_at",
                "created_at",
            ),
            key=repr,
        )
        raise Rollback
    return seen


@pytest.mark.django_db
def test_the_statements_write_what_the_orm_writes_with_slack_in_every_form(
    settings, marketer, sales, cs, manager
):
    settings.SLACK_BOT_TOKEN = "xoxb-1-2-bot"
    settings.REMINDER_CC_MANAGER = True
    settings.JOB_BATCH_SIZE = 3  # several batches of each sweep
    sales.slack_user_id, sales.notify_via = "U0SALES", NotifyVia.SLACK
    cs.slack_user_id, cs.notify_via = "U0CS", NotifyVia.BOTH
    sales.reports_to = manager
    manager.slack_channel_id = "C0TEAM"  # the app posts to this team's channel
    other_manager = UserFactory(email="boss@example.com", is_manager=True)
    other_manager.slack_webhook_url = "https://hooks.example.test/T1"
    marketer.reports_to = other_manager  # a team channel by webhook
    mailer = UserFactory(email="plain@example.com", department=sales.department)  # no Slack
    for person in (sales, cs, manager, other_manager, marketer):
        person.save()

    ids = {"overdue": [], "reminded": [], "woken": []}
    for owner in (sales, cs, mailer, sales):
        ids["overdue"].append(file(marketer, owner, at=LONG_AGO))
        ids["reminded"].append(file(marketer, owner))
        woken = file(marketer, owner)
        defer(woken, owner, dt.date(2026, 12, 7))
        ids["woken"].append(woken)
    # Direct messages still on their way get a refresh; these two went out (and left no
    # message to update), so their requests get none.
    Notification.objects.filter(request_id__in=ids["overdue"][:2]).update(
        status=NotificationStatus.SENT
    )

    statements = sweep_and_look(True, SWEEP_AT)
    orm = sweep_and_look(False, SWEEP_AT)

    assert statements["requests"] == orm["requests"]
    assert statements["events"] == orm["events"]
    assert statements["outbox"] == orm["outbox"]
    # And the scenario covers what it means to: every kind of row was written.
    written = Counter((kind, channel) for kind, channel, *_ in statements["outbox"])
    for kind in (NotificationKind.SWITCHED_OWNER, NotificationKind.WOKE):
        assert written[(kind, "email")] and written[(kind, "slack_dm")]
    assert written[(NotificationKind.REMINDER, "email")]
    assert written[(NotificationKind.REMINDER, "slack_dm")]
    # The marketer's team for each switch, and the owner's too for Sato's two.
    assert written[(NotificationKind.SWITCHED_MARKETER, "slack")] == 6
    assert written[(NotificationKind.SLACK_REFRESH, "slack_dm")]
    kinds = Counter(kind for _, kind, *_ in statements["events"])
    assert kinds == {EventKind.DEADLINE_PASSED: 4, EventKind.WOKE: 4, EventKind.REMINDER_SENT: 4}


# --- Races, as for the switch -----------------------------------------------------------


def _all_sent_at_once():
    Notification.objects.update(status=NotificationStatus.SENT)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_wake_each_request_once(marketer, sales, settings, mailoutbox):
    settings.JOB_BATCH_SIZE = 4  # many small batches, so the two sweeps interleave
    woken = []
    for _ in range(16):
        request_id = file(marketer, sales)
        defer(request_id, sales, dt.date(2026, 12, 7))
        woken.append(request_id)
    _all_sent_at_once()
    mailoutbox.clear()

    results = run_together(*[lambda: jobs.process_deadlines(now=SWEEP_AT)] * 2)

    assert [kind for kind, _ in results] == ["ok", "ok"]
    assert sum(run.woken for _, run in results) == 16
    assert InterviewRequest.objects.filter(pk__in=woken, status=Status.AWAITING_OWNER).count() == 16
    events = RequestEvent.objects.filter(kind=EventKind.WOKE)
    assert Counter(events.values_list("request_id", flat=True)) == dict.fromkeys(woken, 1)
    # One email per request to its owner, each sent exactly once.
    assert len(mailoutbox) == 16 and {m.to[0] for m in mailoutbox} == {sales.email}


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_remind_each_request_once(marketer, sales, cs, settings, mailoutbox):
    settings.JOB_BATCH_SIZE = 3
    reminded = [file(marketer, owner) for owner in (sales, cs) * 8]
    _all_sent_at_once()
    mailoutbox.clear()

    results = run_together(*[lambda: jobs.process_deadlines(now=SWEEP_AT)] * 2)

    assert [kind for kind, _ in results] == ["ok", "ok"]
    assert sum(run.reminded for _, run in results) == 16
    events = RequestEvent.objects.filter(kind=EventKind.REMINDER_SENT)
    assert Counter(events.values_list("request_id", flat=True)) == dict.fromkeys(reminded, 1)
    # Every request is listed in exactly one reminder, sent once to its own owner.
    notes = Notification.objects.filter(kind=NotificationKind.REMINDER)
    listed = Counter(i for n in notes for i in n.payload["request_ids"])
    assert listed == dict.fromkeys(reminded, 1)
    owners = dict(InterviewRequest.objects.values_list("pk", "owner_id"))
    for note in notes:
        assert {owners[i] for i in note.payload["request_ids"]} == {note.recipient_id}
    assert set(notes.values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert len(mailoutbox) == notes.count()


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_racing_the_wake_up_exactly_one_wins(marketer, sales):
    for _ in range(8):
        request_id = file(marketer, sales)
        defer(request_id, sales, dt.date(2026, 12, 7))
        cancel, wake = run_together(
            lambda rid=request_id: workflow.request_cancel(
                request_id=rid, by=marketer, reason="No longer needed", now=SWEEP_AT
            ),
            lambda rid=request_id: workflow.wake_batch(now=SWEEP_AT, ids=[rid]),
        )
        cancel_won = cancel[0] == "ok"
        # A cancellation that comes second is still allowed (it cancels the woken request);
        # the wake-up that comes second finds nothing to wake.
        assert wake[0] == "ok"
        woke = wake[1] == [request_id]
        kinds = list(
            RequestEvent.objects.filter(request_id=request_id)
            .exclude(kind__in=[EventKind.FILED, EventKind.DEFERRED])
            .order_by("pk")
            .values_list("kind", flat=True)
        )
        if woke:
            assert kinds[0] == EventKind.WOKE
            assert kinds[1:] == ([EventKind.CANCELLED] if cancel_won else [])
        else:
            assert cancel_won and kinds == [EventKind.CANCELLED]
        if not cancel_won:
            assert isinstance(cancel[1], InvalidTransition)
        status = InterviewRequest.objects.get(pk=request_id).status
        assert status == (Status.CANCELLED if cancel_won else Status.AWAITING_OWNER)


@pytest.mark.django_db(transaction=True)
def test_an_answer_racing_the_reminder_is_never_followed_by_one(marketer, sales):
    for _ in range(8):
        request_id = file(marketer, sales)
        answer, remind = run_together(
            lambda rid=request_id: workflow.request_owner_go_ahead(
                request_id=rid, by=sales, now=SWEEP_AT
            ),
            lambda rid=request_id: workflow.send_reminders_batch(now=SWEEP_AT, ids=[rid]),
        )
        # The reminder changes no state: the answer always stands.
        assert answer[0] == "ok" and remind[0] == "ok"
        kinds = list(
            RequestEvent.objects.filter(request_id=request_id)
            .exclude(kind=EventKind.FILED)
            .order_by("pk")
            .values_list("kind", flat=True)
        )
        assert kinds in (
            [EventKind.REMINDER_SENT, EventKind.OWNER_GO_AHEAD],
            [EventKind.OWNER_GO_AHEAD],
        )
        request = InterviewRequest.objects.get(pk=request_id)
        assert request.status == Status.MARKETING_OUTREACH and request.next_reminder_at is None
        reminders = Notification.objects.filter(kind=NotificationKind.REMINDER)
        assert reminders.count() == (1 if kinds[0] == EventKind.REMINDER_SENT else 0)
        reminders.delete()
