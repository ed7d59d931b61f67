"""No dead ends: a failed form on a request's page comes back at an address a GET opens
(so a reload, Back or a language switch never shows a 405 or re-posts), an outcome cannot
be recorded before the interview (unless a manager says why), and a manager's switch
reads as theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from interviews import workflow
from interviews.models import Comment, EventKind, Status
from tests.conftest import TOKYO

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(clock, file_request):
    return file_request()


@pytest.fixture
def scheduled(clock, file_request, sales, marketer):
    request = file_request()
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    return workflow.request_schedule(
        request_id=request.pk,
        by=marketer,
        interview_at=dt.datetime(2026, 12, 17, 14, 0, tzinfo=TOKYO),
        location="Zoom",
    )


def detail(request) -> str:
    return reverse("request_detail", args=[request.pk])


@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_empty_comment_then_a_language_switch_shows_the_page(
    client, request_, marketer, language
):
    client.force_login(marketer)
    response = client.post(reverse("request_comment", args=[request_.pk]), {"comment-body": " "})
    # Redirected to the request's own page (GET), never rendered at the POST-only address.
    assert response.status_code == 302
    assert response["Location"] == detail(request_) + "#comments"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "This field is required." in page.content.decode()

    other = "ja" if language == "en" else "en"
    switched = client.post(
        reverse("set_language"), {"language": other, "next": detail(request_)}, follow=True
    )
    assert switched.status_code == 200
    assert switched.redirect_chain[-1][0] == detail(request_)
    assert f'lang="{other}"' in switched.content.decode()
    assert not Comment.objects.exists()


def test_a_failed_schedule_shows_its_errors_once_on_the_page(
    client, clock, file_request, sales, marketer
):
    request = workflow.request_owner_go_ahead(request_id=file_request().pk, by=sales)
    client.force_login(marketer)
    response = client.post(
        reverse("request_schedule", args=[request.pk]),
        {
            "schedule-interview_at": "someday",
            "schedule-location": "Kept place",
            "schedule-expected_version": request.version,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail(request) + "#action-schedule"
    html = client.get(response["Location"]).content.decode()
    assert "Enter a valid date/time." in html
    assert 'value="Kept place"' in html
    # A reload is a plain GET of the page: the form is fresh, nothing was posted twice.
    again = client.get(detail(request)).content.decode()
    assert "Enter a valid date/time." not in again
    request.refresh_from_db()
    assert request.status == Status.MARKETING_OUTREACH


def test_an_outcome_before_the_interview_is_refused_with_a_clear_message(
    client, scheduled, marketer
):
    client.force_login(marketer)
    page = client.get(detail(scheduled)).content.decode()
    assert "The interview is scheduled for Thu, Dec 17, 2:00 PM" in page
    assert "Only a manager can record it earlier" in page
    response = client.post(
        reverse("request_complete", args=[scheduled.pk]),
        {"complete-outcome_summary": "Went well", "complete-expected_version": scheduled.version},
        follow=True,
    )
    html = response.content.decode()
    assert "its outcome can be recorded once it has taken place" in html
    assert "Went well</textarea>" in html  # nothing typed is lost
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED


def test_after_the_interview_the_marketer_records_the_outcome(client, clock, scheduled, marketer):
    clock.move_to(dt.datetime(2026, 12, 17, 15, 0, tzinfo=TOKYO))
    client.force_login(marketer)
    client.post(
        reverse("request_complete", args=[scheduled.pk]),
        {"complete-outcome_summary": "Went well", "complete-expected_version": scheduled.version},
    )
    scheduled.refresh_from_db()
    assert scheduled.status == Status.COMPLETED


def test_a_manager_may_record_early_with_a_reason_which_the_timeline_shows(
    client, scheduled, manager
):
    client.force_login(manager)
    page = client.get(detail(scheduled)).content.decode()
    assert "Why record it before the scheduled time?" in page
    data = {"complete-outcome_summary": "Done", "complete-expected_version": scheduled.version}
    refused = client.post(reverse("request_complete", args=[scheduled.pk]), data, follow=True)
    assert "This field is required." in refused.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED

    data["complete-early_reason"] = "Held early at the customer's request"
    client.post(reverse("request_complete", args=[scheduled.pk]), data)
    scheduled.refresh_from_db()
    assert scheduled.status == Status.COMPLETED
    event = scheduled.events.get(kind=EventKind.COMPLETED)
    assert event.details["early_reason"] == "Held early at the customer's request"
    html = client.get(detail(scheduled)).content.decode()
    assert "Recorded before the scheduled time because" in html
    assert "Held early at the customer&#x27;s request" in html


def test_a_force_switch_reads_as_the_managers_in_the_timeline(client, request_, manager, marketer):
    workflow.request_force_switch(request_id=request_.pk, by=manager, reason="Launch week")
    client.force_login(marketer)
    html = client.get(detail(request_)).content.decode()
    assert "A manager let marketing contact the customer before the deadline" in html
    assert "Switched by a manager" in html and "Switched after the deadline" not in html
