"""A request's page: details, timeline, comments, and the actions each person may take."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from interviews import jobs, links, workflow
from interviews.models import (
    Comment,
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    RequestEvent,
    Status,
)
from tests.conftest import TOKYO
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def page_of(request: InterviewRequest) -> str:
    return reverse("request_detail", args=[request.pk])


def url(name: str, request: InterviewRequest) -> str:
    return reverse(name, args=[request.pk])


def html_of(client, request: InterviewRequest) -> str:
    response = client.get(page_of(request))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def request_(clock, file_request):
    return file_request()


@pytest.fixture
def outreach(request_, sales):
    """Marketing may contact the customer (the owner said go ahead)."""
    return workflow.request_owner_go_ahead(request_id=request_.pk, by=sales)


# --- Seeing the page ----------------------------------------------------------------------


def test_people_who_may_not_see_a_request_get_404(client, request_, cs):
    client.force_login(cs)
    for name in ("request_detail", "request_edit"):
        assert client.get(url(name, request_)).status_code == 404
    for name in ("request_comment", "request_cancel", "request_schedule", "request_complete"):
        assert client.post(url(name, request_), {}).status_code == 404
    assert client.get(reverse("request_detail", args=[999999])).status_code == 404


def test_the_page_shows_everything_about_the_request(client, request_, marketer):
    client.force_login(marketer)
    html = html_of(client, request_)
    for text in (
        "Acme KK: Why Acme moved its ledger to us",
        "Sato Sales (Sales)",
        "Mai Marketer",
        "Case study",
        "Tanaka Hanako",
        "What did you use before?",
        "For the spring campaign.",
        "5 business days",
        "What happens next",
        "Sato Sales has 5 business days left to answer (until Mon, Dec 7, 6:00 PM).",
    ):
        assert text in html, text
    assert f'href="{reverse("account_detail", args=[request_.account_id])}"' in html


def test_the_page_offers_each_person_only_their_actions(
    client, request_, marketer, other_marketer, sales, manager
):
    client.force_login(marketer)
    html = html_of(client, request_)
    assert url("request_edit", request_) in html and url("request_cancel", request_) in html
    assert url("request_schedule", request_) not in html

    client.force_login(other_marketer)
    html = html_of(client, request_)
    assert url("request_edit", request_) not in html
    assert url("request_cancel", request_) not in html

    client.force_login(sales)
    html = html_of(client, request_)
    assert url("request_edit", request_) not in html and url("request_cancel", request_) not in html
    assert "You have 5 business days left to answer" in html

    client.force_login(manager)
    html = html_of(client, request_)
    assert url("request_cancel", request_) in html and url("request_edit", request_) not in html


def test_the_timeline_shows_deferral_date_and_reason_label(client, request_, marketer, sales):
    workflow.request_defer(
        request_id=request_.pk,
        by=sales,
        until=dt.date(2026, 12, 20),
        reason_category="bad_timing",
        reason="End of the fiscal year.",
    )
    client.force_login(marketer)
    html = html_of(client, request_)
    timeline = html[html.index('id="timeline"') :]
    assert "Deferred" in timeline and "Sato Sales" in timeline
    assert "<dt>Until</dt><dd>Sun, Dec 20</dd>" in timeline
    assert "<dt>Reason</dt><dd>Bad timing</dd>" in timeline
    assert "End of the fiscal year." in timeline
    assert "(Waiting for the owner → Deferred by the owner)" in timeline


def test_the_timeline_names_reassigned_owners(client, request_, marketer, manager, cs):
    workflow.request_reassign_owner(
        request_id=request_.pk, by=manager, new_owner=cs, reason="Sato on leave"
    )
    client.force_login(marketer)
    timeline = html_of(client, request_).split('id="timeline"')[1]
    assert "<dt>From</dt><dd>Sato Sales</dd><dt>To</dt><dd>Chika CS</dd>" in timeline


# --- Comments -----------------------------------------------------------------------------


def test_a_comment_reaches_the_other_side_and_keeps_the_version(client, request_, marketer, sales):
    client.force_login(marketer)
    response = client.post(
        url("request_comment", request_), {"comment-body": "Could we add their CFO?"}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page_of(request_) + f"#c{comment.pk}"
    request_.refresh_from_db()
    assert request_.version == 1  # the owner's email links stay valid
    (note,) = Notification.objects.filter(kind=NotificationKind.COMMENT)
    assert note.recipient == sales
    html = html_of(client, request_)
    assert "Could we add their CFO?" in html and f'id="c{comment.pk}"' in html

    # The owner answers; the marketer is told.
    client.force_login(sales)
    client.post(url("request_comment", request_), {"comment-body": "Yes, Ms Ito."})
    assert Notification.objects.filter(kind="comment", recipient=marketer).count() == 1


def test_the_comment_email_quotes_it_and_replies_go_to_its_author(clock, request_, marketer, sales):
    workflow.comment_add(request_id=request_.pk, by=marketer, body="Line one\nLine <two>")
    jobs.process_deadlines()
    message = next(m for m in mail.outbox if "commented" in m.subject)
    assert message.subject == "Mai Marketer commented on the interview request for Acme KK"
    assert message.to == [sales.email] and message.reply_to == [marketer.email]
    assert "Line one\nLine <two>" in message.body
    assert links.request_url(request_) in message.body
    html = message.alternatives[0][0]
    assert "Line &lt;two&gt;" in html
    # Every email ends with the link to how requests work.
    assert "How interview requests work here: http://127.0.0.1:8000/how-it-works/" in message.body


def test_an_empty_comment_is_refused_with_the_page_kept(client, request_, marketer):
    client.force_login(marketer)
    response = client.post(url("request_comment", request_), {"comment-body": "   "}, follow=True)
    # Post/redirect/get: the error shows on the request's own page.
    assert response.redirect_chain[0][0].startswith(url("request_detail", request_))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_needs_a_login_and_a_post(client, request_, marketer):
    response = client.post(url("request_comment", request_), {"comment-body": "hi"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(marketer)
    assert client.get(url("request_comment", request_)).status_code == 405


def test_every_post_needs_the_csrf_token(request_, marketer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(marketer)
    for name, data in (
        ("request_comment", {"comment-body": "hi"}),
        ("request_cancel", {"cancel-reason": "x", "cancel-expected_version": 1}),
        ("request_edit", {"topic": "x"}),
    ):
        assert client.post(url(name, request_), data).status_code == 403
    assert client.post(reverse("request_new"), {"_action": "file"}).status_code == 403
    assert not Comment.objects.exists()
    request_.refresh_from_db()
    assert request_.status == Status.AWAITING_OWNER


# --- Editing -------------------------------------------------------------------------------


def edit_data(request, **overrides):
    data = {
        "purpose": request.purpose,
        "topic": request.topic,
        "questions": request.questions,
        "candidates": [c.pk for c in request.candidates.all()],
        "needed_by": "",
        "note_to_owner": request.note_to_owner,
    }
    data.update(overrides)
    return data


def test_the_requester_edits_and_the_owner_is_told_what_changed(
    client, request_, marketer, sales, account
):
    extra = CandidateFactory(account=account, name="Yamada Taro")
    client.force_login(marketer)
    page = client.get(url("request_edit", request_))
    assert page.status_code == 200 and 'value="Why Acme moved its ledger to us"' in (
        page.content.decode()
    )
    response = client.post(
        url("request_edit", request_),
        edit_data(
            request_, topic="A sharper angle", candidates=[c.pk for c in account.candidates.all()]
        ),
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.topic == "A sharper angle" and extra in request_.candidates.all()
    assert request_.version == 1 and request_.status == Status.AWAITING_OWNER
    event = request_.events.get(kind=EventKind.EDITED)
    assert event.details["changed"] == ["topic", "candidates"]
    assert event.details["before"]["topic"] == "Why Acme moved its ledger to us"

    jobs.process_deadlines()
    message = next(m for m in mail.outbox if "changed" in m.subject)
    assert message.to == [sales.email]
    assert "What changed: Topic, People to interview" in message.body
    assert "Your deadline stays the same: please answer by Mon, Dec 7, 6:00 PM" in message.body
    timeline = html_of(client, request_).split('id="timeline"')[1]
    assert "Request edited" in timeline and "Topic, People to interview" in timeline


def test_what_changed_is_listed_the_japanese_way_in_japanese(
    client, request_, marketer, sales, account
):
    marketer.language = sales.language = "ja"
    marketer.save()
    sales.save()
    CandidateFactory(account=account, name="Yamada Taro")
    client.force_login(marketer)
    client.post(
        url("request_edit", request_),
        edit_data(
            request_, topic="A sharper angle", candidates=[c.pk for c in account.candidates.all()]
        ),
    )
    jobs.process_deadlines()
    (message,) = [m for m in mail.outbox if "変更箇所" in m.body]
    assert message.to == [sales.email]
    assert "変更箇所: テーマ、インタビュー対象者\n" in message.body
    timeline = html_of(client, request_).split('id="timeline"')[1]
    assert "テーマ、インタビュー対象者" in timeline and "テーマ, " not in timeline


@pytest.mark.parametrize(
    ("language", "people"),
    [("en", "Tanaka Hanako (CIO), Yamada Taro"), ("ja", "Tanaka Hanako（CIO）、Yamada Taro")],
)
def test_the_people_to_interview_are_listed_in_the_readers_language(
    client, clock, file_request, marketer, account, candidate, language, people
):
    marketer.language = language
    marketer.save()
    request_ = file_request(
        candidates=[candidate, CandidateFactory(account=account, name="Yamada Taro")]
    )
    client.force_login(marketer)
    text = re.sub(r"<[^>]+>", "", html_of(client, request_))
    assert people in text
    history = re.sub(
        r"<[^>]+>", "", client.get(reverse("account_detail", args=[account.pk])).content.decode()
    )
    assert people.replace(" (CIO)", "").replace("（CIO）", "") in history


def test_an_edit_that_changes_nothing_records_nothing(client, request_, marketer):
    client.force_login(marketer)
    client.post(url("request_edit", request_), edit_data(request_))
    assert not request_.events.filter(kind=EventKind.EDITED).exists()
    assert not Notification.objects.filter(kind=NotificationKind.EDITED).exists()


def test_two_edits_in_one_version_each_email_the_owner(client, request_, marketer):
    client.force_login(marketer)
    client.post(url("request_edit", request_), edit_data(request_, topic="One"))
    client.post(url("request_edit", request_), edit_data(request_, topic="Two"))
    assert Notification.objects.filter(kind=NotificationKind.EDITED).count() == 2
    assert RequestEvent.objects.filter(kind=EventKind.EDITED, version=1).count() == 2


def test_only_the_requester_may_edit(client, request_, other_marketer, manager, sales):
    for person in (other_marketer, manager, sales):
        client.force_login(person)
        assert client.get(url("request_edit", request_)).status_code == 403
        assert client.post(url("request_edit", request_), edit_data(request_)).status_code == 403


def test_editing_stops_once_the_owner_answered(client, outreach, marketer):
    client.force_login(marketer)
    response = client.get(url("request_edit", outreach), follow=True)
    assert response.redirect_chain[-1][0] == page_of(outreach)
    assert "This can no longer be done" in response.content.decode()
    response = client.post(url("request_edit", outreach), edit_data(outreach, topic="Late"))
    assert response.status_code == 302
    outreach.refresh_from_db()
    assert outreach.topic != "Late"


def test_invalid_edits_are_refused_with_input_kept(client, request_, marketer):
    client.force_login(marketer)
    response = client.post(
        url("request_edit", request_),
        edit_data(request_, topic="Kept", questions="", candidates=[]),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Kept"' in html and html.count("This field is required.") == 2


# --- Cancel, outreach result, schedule, complete ---------------------------------------------


def test_cancel_with_a_reason(client, request_, marketer, sales):
    client.force_login(marketer)
    response = client.post(
        url("request_cancel", request_), {"cancel-expected_version": 1}, follow=True
    )
    assert response.redirect_chain[0][0].endswith("#action-cancel")
    assert "This field is required." in response.content.decode()
    response = client.post(
        url("request_cancel", request_),
        {"cancel-reason": "Campaign dropped", "cancel-expected_version": 1},
        follow=True,
    )
    assert "The request is cancelled; the others involved are emailed." in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == Status.CANCELLED


def test_someone_elses_request_cannot_be_cancelled(client, request_, other_marketer, sales):
    for person in (other_marketer, sales):
        client.force_login(person)
        response = client.post(
            url("request_cancel", request_), {"cancel-reason": "x", "cancel-expected_version": 1}
        )
        assert response.status_code == 403
    request_.refresh_from_db()
    assert request_.status == Status.AWAITING_OWNER


def test_a_page_opened_before_someone_else_acted_changes_nothing(client, request_, marketer, sales):
    client.force_login(marketer)
    html = html_of(client, request_)
    assert 'name="cancel-expected_version" value="1"' in html
    workflow.request_owner_go_ahead(request_id=request_.pk, by=sales)  # meanwhile
    response = client.post(
        url("request_cancel", request_),
        {"cancel-reason": "Old page", "cancel-expected_version": 1},
        follow=True,
    )
    assert "The request changed since this was sent to you" in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == Status.MARKETING_OUTREACH


def test_an_action_in_the_wrong_state_says_so(client, request_, marketer):
    client.force_login(marketer)
    response = client.post(
        url("request_complete", request_),
        {"complete-outcome_summary": "x", "complete-expected_version": 1},
        follow=True,
    )
    assert "This can no longer be done: the request is now “Waiting for the owner”." in (
        response.content.decode()
    )


def test_schedule_in_the_users_time_zone(client, outreach, marketer, sales):
    marketer.time_zone = "Europe/London"
    marketer.save()
    client.force_login(marketer)
    html = html_of(client, outreach)
    assert 'type="datetime-local"' in html and "In your time zone (Europe/London)." in html
    assert 'for="id_schedule-interview_at"' in html and 'for="id_schedule-participants"' in html
    response = client.post(
        url("request_schedule", outreach),
        {
            "schedule-interview_at": "2026-12-09T06:00",
            "schedule-location": "https://meet.example.com/abc",
            "schedule-participants": "Tanaka Hanako; Mai Marketer",
            "schedule-expected_version": outreach.version,
        },
    )
    assert response.status_code == 302
    outreach.refresh_from_db()
    assert outreach.status == Status.SCHEDULED
    assert outreach.interview_at == dt.datetime(2026, 12, 9, 15, 0, tzinfo=TOKYO)
    assert outreach.interview_participants == "Tanaka Hanako; Mai Marketer"
    html = html_of(client, outreach)
    assert "Wed, Dec 9, 6:00 AM" in html
    assert '<a href="https://meet.example.com/abc"' in html
    assert Notification.objects.filter(kind="scheduled", recipient=sales).exists()


def test_schedule_needs_a_date(client, outreach, marketer):
    client.force_login(marketer)
    response = client.post(
        url("request_schedule", outreach),
        {"schedule-interview_at": "next week", "schedule-expected_version": outreach.version},
        follow=True,
    )
    assert response.redirect_chain[0][0].endswith("#action-schedule")
    html = response.content.decode()
    assert "Enter a valid date/time." in html
    # The form with the error is unfolded.
    assert '<details id="action-schedule" class="action" open>' in html


def test_the_customer_said_no(client, outreach, marketer):
    client.force_login(marketer)
    response = client.post(
        url("request_customer_declined", outreach),
        {"declined-reason": "No case studies this year", "declined-expected_version": 2},
    )
    assert response.status_code == 302
    outreach.refresh_from_db()
    assert outreach.status == Status.CUSTOMER_DECLINED


def test_an_owner_cannot_record_marketings_outreach(client, outreach, sales):
    client.force_login(sales)
    response = client.post(
        url("request_customer_declined", outreach), {"declined-expected_version": 2}
    )
    assert response.status_code == 403


def test_complete_shares_the_outcome_with_the_owner(client, outreach, marketer, sales):
    workflow.request_schedule(
        request_id=outreach.pk,
        by=marketer,
        interview_at=dt.datetime(2026, 11, 30, 9, 0, tzinfo=TOKYO),
        location="Zoom",
    )
    client.force_login(marketer)
    response = client.post(
        url("request_complete", outreach),
        {
            "complete-outcome_summary": "Close went from 9 days to 3.",
            "complete-outcome_learnings": "Finance trusts the numbers now.",
            "complete-outcome_quotes": "“We close on day three.”",
            "complete-published_url": "example.com/story",
            "complete-expected_version": 3,
        },
    )
    assert response.status_code == 302
    outreach.refresh_from_db()
    assert outreach.status == Status.COMPLETED
    assert outreach.published_url == "https://example.com/story"
    jobs.process_deadlines()
    message = next(m for m in mail.outbox if m.subject.startswith("What we learned"))
    assert message.to == [sales.email]
    for text in (
        "Summary:\nClose went from 9 days to 3.",
        "What we learned:\nFinance trusts the numbers now.",
        "Key quotes:\n“We close on day three.”",
        "Published piece: https://example.com/story",
    ):
        assert text in message.body
    html = html_of(client, outreach)
    assert "Finance trusts the numbers now." in html and "“We close on day three.”" in html


def test_complete_needs_a_summary_and_a_real_link(client, outreach, marketer):
    workflow.request_schedule(
        request_id=outreach.pk,
        by=marketer,
        interview_at=dt.datetime(2026, 11, 30, 9, 0, tzinfo=TOKYO),
    )
    client.force_login(marketer)
    response = client.post(
        url("request_complete", outreach),
        {
            "complete-outcome_learnings": "Kept text",
            "complete-published_url": "not a url",
            "complete-expected_version": 3,
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html and "Enter a valid URL." in html
    assert "Kept text</textarea>" in html


def test_action_pages_only_accept_posts(client, outreach, marketer):
    client.force_login(marketer)
    for name in ("request_schedule", "request_complete", "request_cancel"):
        assert client.get(url(name, outreach)).status_code == 405


# --- The owner's note, and a manager answering for the owner -----------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_owners_note_shows_in_the_timeline_for_everyone_involved(
    client, request_, marketer, sales, manager, language
):
    workflow.request_owner_will_reach_out(
        request_id=request_.pk, by=sales, note="I see their CIO on Thursday; I'll ask then."
    )
    label = "Note for marketing" if language == "en" else "マーケティングへのメモ"
    for person in (marketer, sales, manager):
        person.language = language
        person.save()
        client.force_login(person)
        timeline = html_of(client, request_)
        timeline = timeline[timeline.index('id="timeline"') :]
        assert "I see their CIO on Thursday; I&#x27;ll ask then." in timeline, person.email
        assert label in timeline, person.email


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Answered on behalf of"), ("ja", "担当者に代わって回答")]
)
def test_a_manager_answering_for_the_owner_is_recorded_as_such(
    client, request_, marketer, sales, manager, language, label
):
    workflow.request_owner_go_ahead(request_id=request_.pk, by=manager, note="Sato is away.")
    event = request_.events.get(kind=EventKind.OWNER_GO_AHEAD)
    assert event.actor == manager and event.details["on_behalf_of"] == sales.pk
    marketer.language = language
    marketer.save()
    client.force_login(marketer)
    timeline = html_of(client, request_)
    timeline = timeline[timeline.index('id="timeline"') :]
    assert f"<dt>{label}</dt><dd>Sato Sales</dd>" in timeline
    assert "Mori Manager" in timeline and "Sato is away." in timeline


def test_an_owner_answering_themselves_is_not_marked_as_on_behalf(request_, sales):
    workflow.request_owner_go_ahead(request_id=request_.pk, by=sales)
    event = request_.events.get(kind=EventKind.OWNER_GO_AHEAD)
    assert "on_behalf_of" not in event.details
