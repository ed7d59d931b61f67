"""The weekly digest: content, once per manager per week, unsubscribing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from celery.schedules import crontab
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Department, User
from config.celery import app as celery_app
from interviews import jobs
from interviews.models import Notification, NotificationKind, NotificationStatus
from interviews.notifications import digest, emails
from tests.conftest import TOKYO
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY_9AM = dt.datetime(2026, 11, 30, 9, 0, tzinfo=TOKYO)


def digests() -> list[mail.EmailMessage]:
    return [
        m for m in mail.outbox if m.extra_headers.get("X-Interview-Relay-Kind") == "weekly_digest"
    ]


def send(**kwargs) -> list[int]:
    ids = digest.send_weekly_digest(**kwargs)
    jobs.process_deadlines()
    return ids


def test_each_manager_gets_one_digest_per_week(dataset, clock):
    clock.move_to(MONDAY_9AM)
    first = send()
    assert len(first) == 2  # Mori and Moto
    assert send() == []  # the same week again: nothing
    clock.move_to(dt.datetime(2026, 12, 6, 23, 0, tzinfo=TOKYO))  # still week 49 (Sunday)
    assert send() == []
    assert len(digests()) == 2
    keys = set(Notification.objects.values_list("unique_key", flat=True))
    assert f"weekly_digest:{dataset.manager.pk}:2026-W49" in keys
    clock.move_to(dt.datetime(2026, 12, 7, 9, 0, tzinfo=TOKYO))
    assert len(send()) == 2
    assert len(digests()) == 4


def test_the_iso_week_is_counted_in_the_business_time_zone(dataset, clock):
    # Sunday 6 Dec, 23:30 UTC is already Monday 7 Dec in Tokyo: week 50.
    clock.move_to(dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC))
    send()
    assert Notification.objects.filter(unique_key__endswith="2026-W50").count() == 2


def test_only_active_subscribed_managers_with_email_get_it(dataset, clock):
    dataset.moto.weekly_digest = False
    dataset.moto.save()
    UserFactory(email="gone@example.com", is_manager=True, is_active=False)
    UserFactory(email="admin2@example.com", is_superuser=True, is_staff=True)
    send()
    assert [m.to for m in digests()] == [[dataset.manager.email]]


def test_the_digest_shows_the_team_figures_stalled_list_and_owners(dataset, clock):
    send()
    (message,) = [m for m in digests() if m.to == [dataset.manager.email]]
    body = message.body
    assert message.subject == "Weekly interview summary: 5 stalled requests"
    assert "for Mori Manager's team" in body
    assert "Open requests: 8" in body  # not Moto's team's r9
    assert "Stalled requests: 5" in body
    assert "Topic r3" in body and "Topic r9" not in body
    assert f"/requests/{dataset.requests['r3'].pk}/" in body
    assert "More than half of the owner's window has passed. (4 business days)" in body
    assert "Sato Sales: 1 overdue of 2 waiting" in body
    assert "Chika CS: 1 overdue of 1 waiting" in body
    # The same figures as the dashboard for the 12 weeks to last Sunday, linked.
    assert "Requests filed from" in body
    assert f"/dashboard/?start=2026-09-07&end=2026-11-29&team={dataset.manager.pk}" in body
    html = message.alternatives[0][0]
    assert "Topic r3" in html


def test_a_manager_without_a_team_gets_everybodys(dataset, clock):
    lonely = UserFactory(email="lone@example.com", name="Lone Manager", is_manager=True)
    send()
    (message,) = [m for m in digests() if m.to == [lonely.email]]
    assert "for all teams" in message.body
    assert "Open requests: 9" in message.body


def test_the_digest_is_computed_when_it_is_sent(dataset, clock):
    (notification_id,) = [
        n
        for n in digest.send_weekly_digest()
        if Notification.objects.get(pk=n).recipient == dataset.moto
    ]
    notification = Notification.objects.get(pk=notification_id)
    assert "Topic r9" in emails.render(notification)[1]
    from interviews import workflow

    workflow.request_owner_go_ahead(request_id=dataset.requests["r9"].pk, by=dataset.suzu)
    assert "Topic r9" not in emails.render(notification)[1]


def test_the_digest_speaks_the_recipients_language(dataset, clock):
    dataset.manager.language = "ja"
    dataset.manager.time_zone = "Asia/Tokyo"
    dataset.manager.save()
    send()
    (message,) = [m for m in digests() if m.to == [dataset.manager.email]]
    assert re.search(r"\d+月\d+日\([月火水木金土日]\)", message.body)  # dates in Japanese format


def test_unsubscribe_headers_and_link(dataset, clock):
    send()
    (message,) = [m for m in digests() if m.to == [dataset.manager.email]]
    url = digest.unsubscribe_url(dataset.manager)
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body


def _path(user: User) -> str:
    return reverse("digest_unsubscribe", args=[digest.unsubscribe_token(user)])


def test_opening_the_link_changes_nothing(client, manager):
    response = client.get(_path(manager))
    assert response.status_code == 200
    assert b"Unsubscribe" in response.content
    manager.refresh_from_db()
    assert manager.weekly_digest is True


def test_the_confirm_button_unsubscribes_and_can_undo(manager):
    browser = Client(enforce_csrf_checks=True)
    path = _path(manager)
    page = browser.get(path)
    token = page.cookies["csrftoken"].value
    # Without the CSRF token, the page's own form is refused.
    assert browser.post(path).status_code == 403
    manager.refresh_from_db()
    assert manager.weekly_digest is True
    response = browser.post(path, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert b"no longer get the weekly digest" in response.content
    manager.refresh_from_db()
    assert manager.weekly_digest is False
    browser.post(path, {"csrfmiddlewaretoken": token, "subscribe": "1"})
    manager.refresh_from_db()
    assert manager.weekly_digest is True


def test_one_click_unsubscribe_needs_no_csrf_token(manager, clock):
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(_path(manager), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    manager.refresh_from_db()
    assert manager.weekly_digest is False
    assert send() == []


def test_a_tampered_token_changes_nothing(manager):
    mail_client = Client(enforce_csrf_checks=True)
    path = _path(manager)[:-3] + "xx/"
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    other = reverse("digest_unsubscribe", args=["eyJ1IjoxfQ:1xVSr4:forged"])
    assert mail_client.get(other).status_code == 400
    manager.refresh_from_db()
    assert manager.weekly_digest is True


def test_the_token_belongs_to_the_digest_only(manager):
    from django.core import signing

    other_salt = signing.dumps({"u": manager.pk}, salt="interviews.action-link.v1")
    assert digest.read_unsubscribe_token(other_salt) is None


def test_the_management_command(dataset, clock, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # sent after commit
        call_command("send_weekly_digest")
    assert "weekly digests queued: 2" in capsys.readouterr().out
    call_command("send_weekly_digest")
    assert "weekly digests queued: 0" in capsys.readouterr().out
    assert (
        Notification.objects.filter(
            kind=NotificationKind.WEEKLY_DIGEST, status=NotificationStatus.SENT
        ).count()
        == 2
    )


def test_the_beat_schedule_runs_it_on_monday_at_nine(settings):
    entry = celery_app.conf.beat_schedule["weekly-digest"]
    assert entry["task"] == "interviews.tasks.send_weekly_digest"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.hour == {9} and schedule.minute == {0} and schedule.day_of_week == {1}
    assert celery_app.conf.timezone == settings.TIME_ZONE


def test_the_celery_task_queues_the_digest(dataset, clock):
    from interviews.tasks import send_weekly_digest

    assert send_weekly_digest.delay().get() == 2


def test_non_managers_get_no_digest(db, clock):
    UserFactory(email="rep@example.com", department=Department.SALES)
    assert send() == []
