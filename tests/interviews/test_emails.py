"""Every notification kind renders as a real email, in the recipient's language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from interviews import emails, jobs, workflow
from interviews.models import Notification, NotificationKind
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


@pytest.fixture
def every_kind(clock, file_request, marketer, sales, cs, manager):
    """Drive requests through every transition so that each kind of email exists."""
    r1 = file_request()
    workflow.request_owner_go_ahead(request_id=r1.pk, by=sales)
    workflow.request_schedule(
        request_id=r1.pk, by=marketer, interview_at=tokyo(2026, 12, 9, 14, 0), location="Zoom"
    )
    workflow.request_complete(
        request_id=r1.pk,
        by=marketer,
        outcome_summary="Close went from 9 days to 3.",
        published_url="https://example.com/s",
    )

    def new_account(name):
        account = AccountFactory(owner=sales, name=name)
        return {"account": account, "candidates": [CandidateFactory(account=account)]}

    r2 = file_request(**new_account("Beta & Sons"))
    workflow.request_defer(
        request_id=r2.pk,
        by=sales,
        until=dt.date(2026, 12, 3),
        reason_category="customer_busy",
        reason="Renewal",
    )
    r3 = file_request(**new_account("Gamma"))
    workflow.request_extend_deadline(
        request_id=r3.pk, by=manager, extra_business_days=1, reason="Trip"
    )
    workflow.request_reassign_owner(
        request_id=r3.pk, by=manager, new_owner=cs, reason="Sato on leave"
    )
    workflow.request_owner_will_reach_out(request_id=r3.pk, by=cs)
    workflow.request_customer_declined(request_id=r3.pk, by=cs, reason="Busy year")
    r4 = file_request(**new_account("Delta"))
    workflow.request_cancel(request_id=r4.pk, by=marketer, reason="Campaign dropped")
    r5 = file_request(**new_account("Epsilon"))
    workflow.request_force_switch(request_id=r5.pk, by=manager, reason="Launch")
    file_request(**new_account("Zeta"))
    jobs.process_deadlines()
    clock.move_to(tokyo(2026, 12, 3, 9, 0))  # r2 wakes, reminders for the others
    jobs.process_deadlines()
    clock.move_to(tokyo(2026, 12, 22, 9, 0))  # everything still waiting switches
    jobs.process_deadlines()
    return Notification.objects.select_related("recipient", "request__account")


def test_every_kind_is_sent(every_kind):
    assert set(every_kind.values_list("kind", flat=True)) == set(NotificationKind.values)
    assert not every_kind.exclude(status="sent").exists()
    assert len(mail.outbox) == every_kind.count()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_kind_renders_in_the_recipients_language(every_kind, language):
    for notification in every_kind:
        notification.recipient.language = language
        subject, text, html, _ = emails.render(notification)
        assert subject and "\n" not in subject, notification.kind
        assert notification.recipient.name in text, notification.kind
        assert "{{" not in text and "{%" not in text and "{{" not in html
        assert f'lang="{language}"' in html
        if notification.request is not None:
            assert emails.request_url(notification.request) in text
        assert bool(JAPANESE.search(subject)) == (language == "ja"), (notification.kind, subject)


def test_text_is_not_escaped_and_html_is(every_kind):
    note = every_kind.filter(
        kind=NotificationKind.NEW_REQUEST, request__account__name="Beta & Sons"
    ).first()
    subject, text, html, _ = emails.render(note)
    assert "Beta & Sons" in subject and "Beta & Sons" in text
    assert "Beta &amp; Sons" in html


def test_dates_are_shown_in_the_recipients_time_zone(clock, file_request, sales):
    sales.time_zone = "Europe/London"
    sales.language = "en"
    sales.save()
    file_request()
    jobs.process_deadlines()
    (message,) = mail.outbox
    # Deadline Monday 7 Dec 18:00 Tokyo is 09:00 in London.
    assert "Dec. 7, 2026, 9 a.m." in message.body


def test_reply_goes_to_a_person(clock, file_request, marketer, sales):
    request = file_request()
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    jobs.process_deadlines()
    to_owner = next(m for m in mail.outbox if m.to == [sales.email])
    to_marketer = next(m for m in mail.outbox if m.to == [marketer.email])
    assert to_owner.reply_to == [marketer.email]
    assert to_marketer.reply_to == [sales.email]
    assert to_owner.extra_headers["Auto-Submitted"] == "auto-generated"
    assert to_owner.alternatives[0].mimetype == "text/html"
