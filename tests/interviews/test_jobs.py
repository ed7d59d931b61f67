"""The minute job: reminders, the switch, wake-ups and the outbox, run once and run twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from interviews import jobs, workflow
from interviews.models import (
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    RequestEvent,
    Status,
)
from interviews.notifications import outbox
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


def tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


def subjects_to(address: str) -> list[str]:
    return [m.subject for m in mail.outbox if address in m.to]


def test_overdue_request_switches_once_however_often_the_job_runs(
    clock, file_request, sales, marketer
):
    request = file_request()
    jobs.process_deadlines()  # sends the new-request email
    assert len(mail.outbox) == 1
    mail.outbox.clear()

    clock.move_to(tokyo(2026, 12, 7, 18, 1))
    first = jobs.process_deadlines()
    second = jobs.process_deadlines()

    request.refresh_from_db()
    assert request.status == Status.MARKETING_OUTREACH and request.escalated
    assert (first.switched, second.switched) == (1, 0)
    assert RequestEvent.objects.filter(request=request, kind=EventKind.DEADLINE_PASSED).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([sales.email, marketer.email])
    assert second.sent == 0


def test_the_management_command_runs_the_same_job(clock, file_request, capsys):
    request = file_request()
    clock.move_to(tokyo(2026, 12, 8, 9, 0))
    call_command("process_deadlines")
    assert "switched 1" in capsys.readouterr().out
    request.refresh_from_db()
    assert request.status == Status.MARKETING_OUTREACH


def test_nothing_happens_before_the_deadline(clock, file_request):
    request = file_request()
    clock.move_to(tokyo(2026, 12, 7, 17, 59))
    run = jobs.process_deadlines()
    request.refresh_from_db()
    assert run.switched == 0 and request.status == Status.AWAITING_OWNER


def test_reminders_go_out_once_per_stage_in_one_email_per_owner(
    clock, file_request, sales, marketer
):
    first = file_request()
    other_account = AccountFactory(owner=sales, name="Beta Corp")
    second = file_request(
        account=other_account, candidates=[CandidateFactory(account=other_account)]
    )
    jobs.process_deadlines()
    mail.outbox.clear()

    # Thursday 3 Dec 09:00: two business days before the Monday deadline.
    clock.move_to(tokyo(2026, 12, 3, 9, 0))
    run = jobs.process_deadlines()
    jobs.process_deadlines()
    assert run.reminded == 2
    reminders = [
        m for m in mail.outbox if m.extra_headers.get("X-Interview-Relay-Kind") == "reminder"
    ]
    assert len(reminders) == 1
    assert reminders[0].to == [sales.email]
    body = reminders[0].body
    assert "Acme KK" in body and "Beta Corp" in body

    # Monday 7 Dec 09:00: the morning of the last day, the second and final reminder.
    mail.outbox.clear()
    clock.move_to(tokyo(2026, 12, 7, 9, 0))
    assert jobs.process_deadlines().reminded == 2
    assert jobs.process_deadlines().reminded == 0
    assert len(mail.outbox) == 1
    for request in (first, second):
        request.refresh_from_db()
        assert request.reminders_sent == 2 and request.next_reminder_at is None
        assert request.events.filter(kind=EventKind.REMINDER_SENT).count() == 2


def test_the_last_reminder_can_copy_the_owners_manager(
    clock, file_request, sales, manager, settings
):
    settings.REMINDER_CC_MANAGER = True
    sales.reports_to = manager
    sales.save()
    file_request()
    clock.move_to(tokyo(2026, 12, 3, 9, 0))
    jobs.process_deadlines()
    mail.outbox.clear()
    clock.move_to(tokyo(2026, 12, 7, 9, 0))
    jobs.process_deadlines()
    (reminder,) = mail.outbox
    assert reminder.cc == [manager.email]


def test_no_reminder_once_the_owner_answered(clock, file_request, sales):
    request = file_request()
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    clock.move_to(tokyo(2026, 12, 3, 9, 0))
    assert jobs.process_deadlines().reminded == 0


def test_deferred_request_wakes_on_its_date_and_the_owner_is_told(clock, file_request, sales):
    request = workflow.request_defer(
        request_id=file_request().pk,
        by=sales,
        until=dt.date(2026, 12, 14),
        reason_category="bad_timing",
        reason="x",
    )
    jobs.process_deadlines()
    mail.outbox.clear()

    clock.move_to(tokyo(2026, 12, 14, 8, 59))
    assert jobs.process_deadlines().woken == 0
    clock.move_to(tokyo(2026, 12, 14, 9, 0))
    assert jobs.process_deadlines().woken == 1
    assert jobs.process_deadlines().woken == 0

    request.refresh_from_db()
    assert request.status == Status.AWAITING_OWNER
    assert request.response_due_at == tokyo(2026, 12, 21, 18, 0)
    assert [m.to for m in mail.outbox] == [[sales.email]]


def test_a_woken_request_that_is_ignored_again_switches(clock, file_request, sales):
    request = workflow.request_defer(
        request_id=file_request().pk,
        by=sales,
        until=dt.date(2026, 12, 14),
        reason_category="bad_timing",
        reason="x",
    )
    clock.move_to(tokyo(2026, 12, 14, 9, 0))
    jobs.process_deadlines()
    clock.move_to(tokyo(2026, 12, 22, 9, 0))
    run = jobs.process_deadlines()
    request.refresh_from_db()
    assert run.switched == 1 and request.status == Status.MARKETING_OUTREACH


def test_batches_cover_more_rows_than_one_batch(clock, marketer, sales, settings):
    settings.JOB_BATCH_SIZE = 3
    for i in range(7):
        account = AccountFactory(owner=sales)
        workflow.request_file(
            by=marketer,
            account=account,
            candidates=[CandidateFactory(account=account)],
            purpose="research",
            topic=f"Topic {i}",
            questions="Why?",
        )
    clock.move_to(tokyo(2026, 12, 8, 9, 0))
    run = jobs.process_deadlines()
    assert run.switched == 7
    assert not InterviewRequest.objects.filter(status=Status.AWAITING_OWNER).exists()
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 0


# --- The outbox under SMTP trouble -------------------------------------------------------------


@pytest.fixture
def smtp(settings):
    sink = SmtpSink()
    sink.use_in(settings)
    yield sink
    sink.stop()


def test_smtp_down_leaves_the_email_queued_and_a_later_run_sends_it_once(
    clock, file_request, smtp, sales
):
    # No server listening yet: connection refused.
    file_request()
    run = jobs.process_deadlines()
    note = Notification.objects.get()
    assert run.sent == 0 and run.failed == 1
    assert note.status == NotificationStatus.PENDING and note.attempts == 1
    assert "refused" in note.last_error.lower() or "connect" in note.last_error.lower()

    smtp.start()
    assert jobs.process_deadlines().sent == 0  # backing off: not due again yet
    clock.shift(outbox.retry_delay(1))
    assert jobs.process_deadlines().sent == 1
    assert jobs.process_deadlines().sent == 0
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == sales.email
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT and note.last_error == ""


def test_smtp_saying_try_later_is_retried_with_backoff_for_days(
    clock, file_request, smtp, settings
):
    settings.NOTIFICATION_RETRY_FOR_HOURS = 72
    smtp.start()
    smtp.refuse()
    file_request()
    delays = []
    for _ in range(6):
        jobs.process_deadlines()
        note = Notification.objects.get()
        assert note.status == NotificationStatus.PENDING and "451" in note.last_error
        delays.append(note.next_attempt_at - dt.datetime.now(tz=TOKYO))
        clock.move_to(note.next_attempt_at)
    assert delays == sorted(delays) and delays[-1] > delays[0]  # backoff grows

    # Two hours of outage lose nothing: the server comes back, the email goes out once.
    clock.shift(dt.timedelta(hours=2))
    smtp.refuse(False)
    assert jobs.process_deadlines().sent == 1
    assert jobs.process_deadlines().sent == 0
    assert len(smtp.messages) == 1


def test_an_email_still_refused_after_the_retry_window_fails_visibly(
    clock, file_request, smtp, settings
):
    settings.NOTIFICATION_RETRY_FOR_HOURS = 3
    smtp.start()
    smtp.refuse()
    file_request()
    for _ in range(20):
        jobs.process_deadlines()
        note = Notification.objects.get()
        if note.status != NotificationStatus.PENDING:
            break
        clock.move_to(note.next_attempt_at)
    assert note.status == NotificationStatus.FAILED and "451" in note.last_error

    # An operator re-queues it once the mail server is back: sent once.
    smtp.refuse(False)
    assert outbox.resend_failed() == 1
    assert jobs.process_deadlines().sent == 1
    assert jobs.process_deadlines().sent == 0
    assert len(smtp.messages) == 1


def test_a_permanent_refusal_fails_at_once(clock, file_request, smtp):
    smtp.start()
    smtp.refuse(permanently=True)
    file_request()
    run = jobs.process_deadlines()
    note = Notification.objects.get()
    assert run.failed == 1 and note.status == NotificationStatus.FAILED
    assert "550" in note.last_error


def test_emails_go_out_after_commit_without_waiting_for_the_job(
    clock, file_request, sales, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_request()
    assert [m.to for m in mail.outbox] == [[sales.email]]
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_a_broker_that_refuses_never_breaks_the_change(
    clock, file_request, django_capture_on_commit_callbacks, settings
):
    from config.celery import app

    app.conf.task_always_eager = False
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            request = file_request()
    finally:
        app.conf.broker_url = previous
        app.conf.task_always_eager = True
    assert InterviewRequest.objects.filter(pk=request.pk).exists()
    assert Notification.objects.get().status == NotificationStatus.PENDING
    assert jobs.process_deadlines().sent == 1
    assert mail.outbox and Notification.objects.get().status == NotificationStatus.SENT
    assert Notification.objects.get().kind == NotificationKind.NEW_REQUEST


def test_reminders_follow_an_extended_deadline(clock, file_request, manager, sales):
    request = file_request()
    clock.move_to(tokyo(2026, 12, 3, 9, 0))
    assert jobs.process_deadlines().reminded == 1  # first reminder for the 7 Dec deadline
    workflow.request_extend_deadline(
        request_id=request.pk, by=manager, extra_business_days=3, reason="Trip"
    )
    request.refresh_from_db()
    # The new deadline is Thu 10 Dec: the final reminder moves to that morning.
    assert request.next_reminder_at == tokyo(2026, 12, 8, 9, 0)
    clock.move_to(tokyo(2026, 12, 7, 9, 0))
    assert jobs.process_deadlines().reminded == 0
    clock.move_to(tokyo(2026, 12, 8, 9, 0))
    assert jobs.process_deadlines().reminded == 1
    clock.move_to(tokyo(2026, 12, 10, 9, 0))
    assert jobs.process_deadlines().reminded == 1
    clock.move_to(tokyo(2026, 12, 10, 18, 1))
    assert jobs.process_deadlines().switched == 1


def test_a_reassigned_request_reminds_the_new_owner_on_the_new_window(
    clock, file_request, manager, cs, sales
):
    request = file_request()
    clock.move_to(tokyo(2026, 12, 2, 10, 0))
    workflow.request_reassign_owner(request_id=request.pk, by=manager, new_owner=cs, reason="Leave")
    jobs.process_deadlines()
    mail.outbox.clear()
    clock.move_to(tokyo(2026, 12, 7, 9, 0))  # two business days before the new 9 Dec deadline
    assert jobs.process_deadlines().reminded == 1
    assert [m.to for m in mail.outbox] == [[cs.email]]


def test_owner_outreach_gets_a_reminder_before_its_follow_up_deadline(clock, file_request, sales):
    request = workflow.request_owner_will_reach_out(request_id=file_request().pk, by=sales)
    jobs.process_deadlines()
    mail.outbox.clear()
    # Follow-up due Mon 14 Dec 18:00 (ten business days): reminders Thu 10 Dec and Mon 14 Dec.
    assert request.response_due_at == tokyo(2026, 12, 14, 18, 0)
    clock.move_to(tokyo(2026, 12, 10, 9, 0))
    assert jobs.process_deadlines().reminded == 1
    (reminder,) = mail.outbox
    assert "Customer's answer due" in reminder.body
    assert "/r/" not in reminder.body  # nothing to decide any more: no answer links
