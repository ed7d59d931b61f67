"""A scheduled interview as a calendar file: downloaded, and attached to the email."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from interviews import jobs, workflow
from tests.conftest import TOKYO

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 12, 10, 14, 0, tzinfo=TOKYO)


@pytest.fixture
def scheduled(clock, file_request, sales, marketer):
    request = file_request()
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    return workflow.request_schedule(
        request_id=request.pk,
        by=marketer,
        interview_at=WHEN,
        location="Zoom https://zoom.example/j/1",
    )


def event_of(data: bytes) -> icalendar.Event:
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return event


def test_the_scheduled_email_carries_the_event(scheduled, sales):
    jobs.process_deadlines()
    (message,) = [
        m
        for m in mail.outbox
        if m.to == [sales.email] and "scheduled" in m.extra_headers["X-Interview-Relay-Kind"]
    ]
    (name, content, mimetype) = message.attachments[0]
    assert name == f"interview-{scheduled.pk}.ics" and mimetype.startswith("text/calendar")
    event = event_of(content)
    assert event.decoded("dtstart") == WHEN
    assert event.decoded("dtend") == WHEN + dt.timedelta(hours=1)
    assert "Acme KK" in str(event["summary"])
    assert str(event["location"]) == "Zoom https://zoom.example/j/1"
    assert f"/requests/{scheduled.pk}/" in str(event["description"])


def test_people_who_see_the_request_download_it(client, scheduled, sales, cs):
    url = reverse("interview_ics", args=[scheduled.pk])
    client.force_login(sales)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert event_of(response.content).decoded("dtstart") == WHEN
    client.force_login(cs)
    assert client.get(url).status_code == 404


def test_no_file_before_an_interview_is_scheduled(client, clock, file_request, marketer):
    request = file_request()
    client.force_login(marketer)
    assert client.get(reverse("interview_ics", args=[request.pk])).status_code == 404


def test_a_rescheduled_interview_updates_the_same_entry(scheduled):
    from interviews.notifications import calendar_files

    first = event_of(calendar_files.interview_event(scheduled))
    scheduled.version += 1
    second = event_of(calendar_files.interview_event(scheduled))
    assert first["uid"] == second["uid"] and second["sequence"] > first["sequence"]
