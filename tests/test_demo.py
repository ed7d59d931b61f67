"""`manage.py demo`: the data it loads, and the minute job acting on it as the clock moves.

The server is never started here (`--no-serve`).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core import mail
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from accounts.models import Account, User
from interviews import calendar, demo_data, jobs, workflow
from interviews.models import (
    Candidate,
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    RequestEvent,
    Status,
)
from tests.conftest import TOKYO

DEMO_LOGINS = [
    "marketer@example.com",
    "sales@example.com",
    "cs@example.com",
    "manager@example.com",
    "admin@example.com",
]

# Load moments: an ordinary Monday morning; a holiday in Golden Week; a Saturday night
# after New Year's Day (a closed day, after close of business).
LOAD_MOMENTS = [
    pytest.param(dt.datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO), id="ordinary-monday"),
    pytest.param(dt.datetime(2026, 5, 5, 10, 0, tzinfo=TOKYO), id="golden-week-holiday"),
    pytest.param(dt.datetime(2027, 1, 2, 23, 30, tzinfo=TOKYO), id="new-year-saturday-night"),
]


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def process_deadlines() -> str:
    out = io.StringIO()
    call_command("process_deadlines", stdout=out)
    return out.getvalue()


def request_on(crm_id: str) -> InterviewRequest:
    return InterviewRequest.objects.select_related("owner", "requested_by").get(
        account__crm_id=crm_id, status__in=[Status.AWAITING_OWNER, Status.MARKETING_OUTREACH]
    )


def kinds_sent_to(address: str) -> set[str]:
    return {m.extra_headers["X-Interview-Relay-Kind"] for m in mail.outbox if address in m.to}


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (User, Account, Candidate, InterviewRequest, RequestEvent, Notification)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("moment", LOAD_MOMENTS)
def test_demo_loads_people_accounts_and_a_request_in_every_state(moment):
    with time_machine.travel(moment, tick=False):
        output = demo()

        assert "Loaded 10 users, 20 accounts" in output
        for email in DEMO_LOGINS:
            assert email in output
            assert authenticate(HttpRequest(), email=email, password="demo") is not None
            assert Client().login(request=HttpRequest(), email=email, password="demo")
        admin = User.objects.get(email="admin@example.com")
        assert admin.is_superuser and admin.is_staff
        manager = User.objects.get(email="manager@example.com")
        assert manager.is_manager
        assert User.objects.filter(reports_to=manager).exists()
        assert {u.language for u in User.objects.filter(email__in=DEMO_LOGINS[:4])} == {"ja", "en"}

        statuses = set(InterviewRequest.objects.values_list("status", flat=True))
        assert statuses == set(Status.values)
        assert 18 <= Account.objects.count() <= 25
        assert Candidate.objects.filter(account__isnull=False).count() >= Account.objects.count()
        # Every kind of email is queued by the back-dated history (the demo has no Slack app,
        # so no Slack message is ever brought up to date).
        assert set(Notification.objects.values_list("kind", flat=True)) == set(
            NotificationKind.values
        ) - {NotificationKind.SLACK_REFRESH}

        # Nothing in the history happened in the future.
        now = dt.datetime.now(tz=TOKYO)
        assert not RequestEvent.objects.filter(created_at__gt=now).exists()
        assert not InterviewRequest.objects.filter(created_at__gt=now).exists()
        for request in InterviewRequest.objects.all():
            times = [e.created_at for e in request.events.order_by("id")]
            assert times == sorted(times) and times[0] == request.created_at

        # Account-level policy: the sensitive one, the one in its cooldown.
        sensitive = Account.objects.get(crm_id=demo_data.SENSITIVE_ACCOUNT)
        policy = workflow.filing_policy(sensitive)
        assert policy.sensitive_until == calendar.business_date() + dt.timedelta(days=30)
        assert policy.sensitive_reason
        recent = Account.objects.get(crm_id=demo_data.RECENTLY_INTERVIEWED_ACCOUNT)
        policy = workflow.filing_policy(recent)
        assert policy.in_cooldown
        assert 20 <= (calendar.business_date() - policy.last_interviewed_on).days <= 25

        # The scheduled interview is next week; the deferral ends in the future.
        scheduled = InterviewRequest.objects.get(status=Status.SCHEDULED)
        assert dt.timedelta(days=3) < scheduled.interview_at - now < dt.timedelta(days=14)
        deferred = InterviewRequest.objects.get(status=Status.DEFERRED)
        assert deferred.wake_at > now and deferred.deferral_count == 1
        completed = InterviewRequest.objects.filter(status=Status.COMPLETED)
        assert all(r.outcome_summary and r.published_url for r in completed)
        assert InterviewRequest.objects.filter(
            status=Status.MARKETING_OUTREACH, escalated=True
        ).exists()
        assert InterviewRequest.objects.filter(
            status=Status.MARKETING_OUTREACH, escalated=False
        ).exists()


@pytest.mark.django_db
def test_a_second_start_loads_nothing():
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO), tick=False):
        demo()
        before = counts()
        output = demo()
    assert "nothing loaded" in output
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("moment", LOAD_MOMENTS)
def test_the_minute_job_switches_the_overdue_request_then_the_one_due_next(moment):
    with time_machine.travel(moment, tick=False) as clock:
        demo()
        overdue = request_on(demo_data.OVERDUE_ACCOUNT)
        due_soon = request_on(demo_data.DUE_SOON_ACCOUNT)
        assert overdue.status == due_soon.status == Status.AWAITING_OWNER
        assert overdue.response_due_at < dt.datetime.now(tz=TOKYO) < due_soon.response_due_at
        # Due within about one business day.
        today = calendar.business_date()
        assert calendar.business_date(due_soon.response_due_at) == calendar.next_business_day(today)

        # The first run (the demo starts it at once) switches the overdue one and sends the
        # whole back-dated backlog (on_commit callbacks do not fire inside this test's
        # transaction, so nothing was sent while loading).
        assert "switched 1," in process_deadlines()
        overdue.refresh_from_db()
        assert overdue.status == Status.MARKETING_OUTREACH and overdue.escalated
        assert not Notification.objects.filter(
            status__in=[
                NotificationStatus.PENDING,
                NotificationStatus.SENDING,
                NotificationStatus.FAILED,
            ]
        ).exists()
        assert NotificationKind.SWITCHED_OWNER in kinds_sent_to(overdue.owner.email)
        assert NotificationKind.SWITCHED_MARKETER in kinds_sent_to(overdue.requested_by.email)
        due_soon.refresh_from_db()
        assert due_soon.status == Status.AWAITING_OWNER
        assert NotificationKind.REMINDER in kinds_sent_to(due_soon.owner.email)

        # A few business days later the one that was due next has switched too.
        mail.outbox.clear()
        clock.move_to(calendar.start_of_business(calendar.add_business_days(today, 2)))
        output = process_deadlines()
        assert "switched 1," in output
        due_soon.refresh_from_db()
        assert due_soon.status == Status.MARKETING_OUTREACH and due_soon.escalated
        assert (
            RequestEvent.objects.filter(request=due_soon, kind=EventKind.DEADLINE_PASSED).count()
            == 1
        )
        assert NotificationKind.SWITCHED_OWNER in kinds_sent_to(due_soon.owner.email)
        assert NotificationKind.SWITCHED_MARKETER in kinds_sent_to(due_soon.requested_by.email)
        assert due_soon.owner.email == "sales@example.com"
        assert due_soon.requested_by.email == "marketer@example.com"
        sent = len(mail.outbox)

        # Run again at the same moment: nothing more switches, no email goes out twice.
        assert "switched 0, reminded 0, emails sent 0" in process_deadlines()
        assert len(mail.outbox) == sent
        assert (
            InterviewRequest.objects.filter(status=Status.AWAITING_OWNER).count()
            == 3  # reassigned, extended, filed just now
        )


@pytest.mark.django_db
def test_loading_does_not_fail_when_emails_are_sent_eagerly(django_capture_on_commit_callbacks):
    with (
        time_machine.travel(dt.datetime(2026, 5, 5, 10, 0, tzinfo=TOKYO), tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        demo()
    assert callbacks
    assert not Notification.objects.filter(
        status__in=[
            NotificationStatus.PENDING,
            NotificationStatus.SENDING,
            NotificationStatus.FAILED,
        ]
    ).exists()
    # Emails the back-dated history made moot before they could go out are skipped.
    assert len(mail.outbox) == Notification.objects.filter(status=NotificationStatus.SENT).count()
    # Both languages reach the mailbox.
    assert {"sales@example.com", "cs@example.com"} <= {m.to[0] for m in mail.outbox}


@pytest.mark.django_db(transaction=True)
def test_reset_loads_the_demo_again():
    # Committed for real here: each change's emails go out as it commits (no broker).
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO), tick=False):
        demo()
        before = counts()
        # Sent as each change commits, or by the minute job if a task went to the broker.
        jobs.process_deadlines()
        sent = Notification.objects.filter(status=NotificationStatus.SENT).count()
        assert len(mail.outbox) == sent > 0
        assert not Notification.objects.filter(
            status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING]
        ).exists()
        User.objects.create_user(email="visitor@example.com", name="Left over")
        output = demo("--reset")
    assert "Reset" in output and "Loaded" in output
    assert counts() == before
    assert not User.objects.filter(email="visitor@example.com").exists()
    assert Client().login(request=HttpRequest(), email="marketer@example.com", password="demo")


def test_base_url_follows_the_address():
    from interviews.management.commands.demo import base_url

    assert base_url("127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert base_url("8765") == "http://127.0.0.1:8765"
    assert base_url("0.0.0.0:9000") == "http://127.0.0.1:9000"
    assert base_url("[::1]:8000") == "http://[::1]:8000"
