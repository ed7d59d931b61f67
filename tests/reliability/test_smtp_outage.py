"""The mail server misbehaves in the middle of a batch: it starts saying "try later", goes
away, comes back; some addresses are refused for good. A real SMTP server (aiosmtpd) on
127.0.0.1 counts what it actually accepted.

Covered elsewhere, not repeated here (tests/interviews/test_jobs.py): one email with the
server down then up, 451 retried with growing backoff for days, still refused after the
retry window (failed, re-queued by `outbox.resend_failed`), 550 failing at once; and
(tests/interviews/test_outbox.py) a dropped connection reopened once, a worker dying
mid-batch, the operator command with a stand-in backend.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Department
from interviews import jobs, workflow
from interviews.models import Notification, NotificationStatus
from interviews.notifications import outbox
from tests.factories import AccountFactory, CandidateFactory, UserFactory
from tests.smtp_sink import SmtpSink, _Handler

pytestmark = pytest.mark.django_db

BATCH = 20


class _MoodyHandler(_Handler):
    """Accepts `accept_first` messages, then answers like `refusing`; refuses some
    recipients permanently at RCPT time (a mailbox that no longer exists)."""

    def __init__(self) -> None:
        super().__init__()
        self.accept_first: int | None = None
        self.gone: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.gone:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.accept_first is not None and len(self.messages) >= self.accept_first:
            return "451 4.3.0 Mail server busy, try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp(settings):
    sink = SmtpSink()
    sink.handler = _MoodyHandler()
    sink.use_in(settings)
    sink.start()
    yield sink
    sink.stop()


def file_batch(marketer, owners) -> list[int]:
    ids = []
    for i in range(BATCH):
        account = AccountFactory(owner=owners[i % len(owners)], name=f"Batch Customer {i:02d}")
        request = workflow.request_file(
            by=marketer,
            account=account,
            candidates=[CandidateFactory(account=account)],
            purpose="research",
            topic=f"Topic {i}",
            questions="Why us?",
        )
        ids.append(request.pk)
    # No after-commit send inside a test transaction: all 20 wait in the outbox.
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == BATCH
    return ids


def received(sink) -> list[tuple[str, str]]:
    return [(m["To"], m["Subject"]) for m in sink.messages]


def statuses() -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Notification.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_a_batch_survives_an_outage_starting_and_ending_mid_batch(clock, smtp, marketer, sales):
    file_batch(marketer, [sales])

    # 7 accepted, then "try later" for the rest of the batch.
    smtp.handler.accept_first = 7
    run = jobs.process_deadlines()
    assert (run.sent, run.failed) == (7, BATCH - 7)
    assert statuses() == {NotificationStatus.SENT: 7, NotificationStatus.PENDING: BATCH - 7}
    waiting = Notification.objects.filter(status=NotificationStatus.PENDING)
    assert all(n.attempts == 1 and "451" in n.last_error for n in waiting)

    # Then the server is gone altogether (connection refused) when the retry comes.
    smtp.stop()
    assert jobs.process_deadlines().sent == 0  # not due yet: backing off
    clock.shift(outbox.retry_delay(1))
    run = jobs.process_deadlines()
    assert (run.sent, run.failed) == (0, BATCH - 7)
    assert all(n.attempts == 2 for n in waiting.all())
    assert outbox.retry_delay(2) == 2 * outbox.retry_delay(1)
    assert outbox.retry_delay(50) == dt.timedelta(
        seconds=django_settings.NOTIFICATION_RETRY_MAX_SECONDS
    )

    # Back, accepting everything: the rest goes out at the next due run, once.
    smtp.handler.accept_first = None
    smtp.start()
    clock.shift(outbox.retry_delay(2) - dt.timedelta(seconds=1))
    assert jobs.process_deadlines().sent == 0
    clock.shift(dt.timedelta(seconds=1))
    assert jobs.process_deadlines().sent == BATCH - 7
    assert jobs.process_deadlines().sent == 0
    clock.shift(dt.timedelta(days=1))
    assert jobs.process_deadlines().sent == 0

    assert statuses() == {NotificationStatus.SENT: BATCH}
    assert len(received(smtp)) == BATCH and len(set(received(smtp))) == BATCH


def test_refused_addresses_fail_at_once_visibly_and_operators_resend_them_once(
    clock, smtp, marketer, sales, admin_client, capsys
):
    moved = UserFactory(email="moved.on@example.com", name="Moved On", department=Department.SALES)
    file_batch(marketer, [sales, sales, sales, moved])  # 5 of the 20 go to `moved`
    smtp.handler.gone = {moved.email}

    run = jobs.process_deadlines()
    assert (run.sent, run.failed) == (15, 5)
    failed = Notification.objects.filter(status=NotificationStatus.FAILED)
    assert set(failed.values_list("recipient", flat=True)) == {moved.pk}
    assert all(n.attempts == 1 and "550" in n.last_error for n in failed)
    # Failed for good means not retried, however long we wait (short of the reminders).
    clock.shift(dt.timedelta(hours=20))
    assert jobs.process_deadlines().sent == 0

    # An admin sees them, with the server's answer.
    page = admin_client.get(
        reverse("admin:interviews_notification_changelist") + "?status__exact=failed"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("moved.on@example.com") >= 5 and "550" in html and "No such user" in html
    call_command("resend_failed_notifications", "--list")
    listed = capsys.readouterr().out
    assert "5 failed notification(s)." in listed and listed.count("550") == 5

    # The mailbox is fixed. The admin's action re-sends two, the operator command the rest.
    smtp.handler.gone = set()
    two = list(failed.order_by("pk").values_list("pk", flat=True)[:2])
    response = admin_client.post(
        reverse("admin:interviews_notification_changelist"),
        {"action": "resend", "_selected_action": two},
    )
    assert response.status_code == 302
    assert jobs.process_deadlines().sent == 2
    call_command("resend_failed_notifications")
    assert "3 notification(s) queued again" in capsys.readouterr().out
    # A second operator run, or an admin clicking again, queues nothing already sent.
    call_command("resend_failed_notifications")
    assert "0 notification(s) queued again" in capsys.readouterr().out
    assert jobs.process_deadlines().sent == 3
    assert jobs.process_deadlines().sent == 0

    assert statuses() == {NotificationStatus.SENT: BATCH}
    assert len(received(smtp)) == BATCH and len(set(received(smtp))) == BATCH
    assert sum(1 for to, _ in received(smtp) if to == moved.email) == 5
