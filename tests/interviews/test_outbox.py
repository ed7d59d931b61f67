"""The outbox under faults: a worker dying mid-batch, a database error while rendering, a
dropped SMTP connection, and emails that stopped applying during an outage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import DatabaseError

from interviews import jobs, workflow
from interviews.models import Notification, NotificationKind, NotificationStatus, Status
from interviews.notifications import emails, outbox
from tests import flaky_mail
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_emails(clock, marketer, sales):
    for i in range(5):
        account = AccountFactory(owner=sales, name=f"Customer {i}")
        workflow.request_file(
            by=marketer,
            account=account,
            candidates=[CandidateFactory(account=account)],
            purpose="research",
            topic=f"Topic {i}",
            questions="Why?",
        )
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 5


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.flaky_mail.FlakyBackend"
    flaky_mail.FlakyBackend.sent = 0
    yield flaky_mail
    flaky_mail.FAULT.update(after=None, kind=None, fired=False)


def subjects() -> list[str]:
    return [m.subject for m in mail.outbox]


def test_a_worker_dying_mid_batch_sends_nothing_twice(clock, five_emails, flaky, settings):
    flaky.arm(after=3, kind="crash")
    with pytest.raises(SystemExit):
        outbox.send_pending()
    assert len(mail.outbox) == 3
    statuses = sorted(Notification.objects.values_list("status", flat=True))
    assert statuses.count(NotificationStatus.SENT) == 3
    assert statuses.count(NotificationStatus.SENDING) == 2

    # Another worker right away leaves the claimed rows alone; after the lease it takes over.
    assert outbox.send_pending() == (0, 0)
    clock.shift(dt.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS + 1))
    assert outbox.send_pending() == (2, 0)
    assert len(mail.outbox) == 5 and len(set(subjects())) == 5


def test_a_database_error_while_rendering_fails_one_email_not_the_batch(
    clock, five_emails, monkeypatch
):
    real = emails.build_message
    broken = Notification.objects.order_by("pk")[2].pk

    def build(notification, **kwargs):
        if notification.pk == broken:
            raise DatabaseError("canceling statement due to statement timeout")
        return real(notification, **kwargs)

    monkeypatch.setattr(emails, "build_message", build)
    assert outbox.send_pending() == (4, 1)
    failed = Notification.objects.get(pk=broken)
    assert failed.status == NotificationStatus.FAILED and "statement timeout" in failed.last_error
    assert outbox.send_pending() == (0, 0)  # nothing loops, nothing is sent again
    assert len(mail.outbox) == 4


def test_a_dropped_connection_is_reopened_once(clock, five_emails, flaky):
    flaky.arm(after=1, kind="disconnect")
    assert outbox.send_pending() == (5, 0)
    assert len(mail.outbox) == 5


def test_after_an_outage_through_the_deadline_the_owner_is_not_asked_to_answer(
    clock, file_request, sales, marketer, settings
):
    settings.EMAIL_BACKEND = "tests.flaky_mail.FlakyBackend"
    file_request()
    clock.move_to(dt.datetime(2026, 12, 8, 9, 0, tzinfo=TOKYO))  # deadline passed, nothing sent
    workflow.switch_overdue_batch()
    jobs.process_deadlines()
    kinds = {m.to[0]: m.extra_headers["X-Interview-Relay-Kind"] for m in mail.outbox}
    assert kinds == {
        sales.email: NotificationKind.SWITCHED_OWNER,
        marketer.email: NotificationKind.SWITCHED_MARKETER,
    }
    stale = Notification.objects.get(kind=NotificationKind.NEW_REQUEST)
    assert stale.status == NotificationStatus.OBSOLETE


def test_a_reminder_whose_requests_were_all_answered_is_not_sent(clock, file_request, sales):
    request = file_request()
    jobs.process_deadlines()
    clock.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=TOKYO))
    workflow.send_reminders_batch()  # queued, not yet sent
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    mail.outbox.clear()
    jobs.process_deadlines()
    assert NotificationKind.REMINDER not in {
        m.extra_headers["X-Interview-Relay-Kind"] for m in mail.outbox
    }
    assert (
        Notification.objects.get(kind=NotificationKind.REMINDER).status
        == NotificationStatus.OBSOLETE
    )
    assert (
        Notification.objects.get(pk=request.notifications.get(kind="decided").pk).status == "sent"
    )
    assert InterviewRequestStatus(request) == Status.MARKETING_OUTREACH


def InterviewRequestStatus(request):
    request.refresh_from_db()
    return request.status


def test_operators_list_and_resend_failed_notifications(clock, five_emails, settings, capsys):
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "tests.test_ops.RefusingBackend"
    Notification.objects.update(status=NotificationStatus.FAILED, last_error="SMTPDataError: 550")
    call_command("resend_failed_notifications", "--list")
    assert "5 failed notification(s)" in capsys.readouterr().out
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first = Notification.objects.order_by("pk").first()
    call_command("resend_failed_notifications", str(first.pk))
    assert "1 notification(s) queued again" in capsys.readouterr().out
    assert jobs.process_deadlines().sent == 1
    call_command("resend_failed_notifications")
    assert jobs.process_deadlines().sent == 4
    assert len(mail.outbox) == 5


def _synchronous_commit() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


class SettingRecordingBackend(flaky_mail.FlakyBackend):
    """Notes the commit setting the outbox runs each send under."""

    seen: list[str] = []

    def send_messages(self, messages):
        SettingRecordingBackend.seen.append(_synchronous_commit())
        return super().send_messages(messages)


@pytest.mark.parametrize("crash", [False, True])
def test_sending_leaves_later_work_on_the_connection_durable(
    clock, five_emails, flaky, settings, crash
):
    """Outcomes are committed without waiting for the disk flush; whatever the same
    connection does next (a decision, a filing) waits for it again, even after a crash."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is a PostgreSQL setting")
    settings.EMAIL_BACKEND = f"{__name__}.SettingRecordingBackend"
    SettingRecordingBackend.seen = []
    if crash:
        flaky.arm(after=2, kind="crash")
        with pytest.raises(SystemExit):
            outbox.send_pending()
    else:
        assert outbox.send_pending() == (5, 0)
    assert SettingRecordingBackend.seen == ["off"] * (3 if crash else 5)
    assert _synchronous_commit() == "on"


def test_every_process_knows_the_delivery_task_by_name():
    """The workflow asks for delivery by the task's name; a web process that never imported
    the task module would fail to enqueue and leave every email to the minute job."""
    import subprocess
    import sys

    code = (
        "import django; django.setup();"
        "from celery import current_app;"
        "from interviews.workflow.queueing import SEND_TASK;"
        "print(SEND_TASK in current_app.tasks)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "True"
