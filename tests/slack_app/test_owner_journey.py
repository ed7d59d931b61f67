"""What an owner sees in Slack over a request's life: the ask, a reminder listing every
request waiting for them (each with its buttons), the notice when marketing goes direct,
and the outcome; each earlier message updated once the request moved on."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from interviews import jobs, workflow
from interviews.models import Status
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory
from tests.slack_app.payloads import click, post_signed

pytestmark = pytest.mark.django_db


def actions(message: dict) -> list[dict]:
    """The blocks of answer buttons (not "add a note")."""
    return [
        b
        for b in message["blocks"]
        if b["type"] == "actions" and b["elements"][0]["action_id"].startswith("answer:")
    ]


def test_a_reminder_lists_each_waiting_request_with_its_own_buttons(
    slack, clock, file_request, sales
):
    first = file_request()
    beta = AccountFactory(owner=sales, name="Beta Corp")
    second = file_request(account=beta, candidates=[CandidateFactory(account=beta)])
    jobs.process_deadlines()
    clock.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=TOKYO))
    jobs.process_deadlines()
    jobs.process_deadlines()

    asks, reminder = slack.of("chat.postMessage")[:2], slack.of("chat.postMessage")[2:]
    assert len(asks) == 2
    (reminder,) = reminder
    assert "2 interview request(s) wait for your answer" in reminder["text"]
    text = json.dumps(reminder["blocks"])
    assert "Acme KK" in text and "Beta Corp" in text
    values = {json.loads(e["value"])["r"] for a in actions(reminder) for e in a["elements"]}
    assert values == {first.pk, second.pk}

    # Answering one from the reminder updates the reminder (its other request keeps its
    # buttons) and the request's own message.
    post_signed(click(second, "owner_go_ahead"))
    jobs.process_deadlines()
    updates = slack.of("chat.update")
    assert len(updates) == 2
    (reminder_now,) = [u for u in updates if u["ts"] == "1700000000.000003"]
    remaining = {json.loads(e["value"])["r"] for a in actions(reminder_now) for e in a["elements"]}
    assert remaining == {first.pk}


def test_the_switch_notice_and_the_outcome_reach_the_owner_in_slack(
    slack, clock, file_request, marketer
):
    request = file_request()
    jobs.process_deadlines()
    clock.move_to(request.response_due_at + dt.timedelta(minutes=1))
    jobs.process_deadlines()
    notice = slack.of("chat.postMessage")[-1]
    assert "will contact Tanaka Hanako directly from today" in notice["text"]
    assert not actions(notice)

    workflow.request_schedule(
        request_id=request.pk,
        by=marketer,
        interview_at=dt.datetime(2026, 12, 10, 14, 0, tzinfo=TOKYO),
    )
    clock.move_to(dt.datetime(2026, 12, 10, 16, 0, tzinfo=TOKYO))  # after the interview
    workflow.request_complete(
        request_id=request.pk,
        by=marketer,
        outcome_summary="They cut closing time in half.",
        learnings="Month-end close is the pain.",
        published_url="https://example.com/acme",
    )
    jobs.process_deadlines()
    outcome = slack.of("chat.postMessage")[-1]
    assert outcome["text"] == "Interview with Acme KK done: what we learned"
    text = json.dumps(outcome["blocks"])
    assert "They cut closing time in half." in text and "https://example.com/acme" in text
    request.refresh_from_db()
    assert request.status == Status.COMPLETED


def test_text_from_people_cannot_inject_slack_markup(slack, clock, file_request):
    file_request(topic="<!channel> <https://evil.example|click> & more")
    jobs.process_deadlines()
    (message,) = slack.of("chat.postMessage")
    text = json.dumps(message["blocks"])
    assert "<!channel>" not in text and "<https://evil.example" not in text
    assert "&lt;!channel&gt;" in text


def test_a_request_passed_to_another_owner_leaves_the_first_without_buttons(
    slack, clock, file_request, manager, cs
):
    cs.slack_user_id, cs.language = "U0CS", "en"
    cs.save()
    request = file_request()
    jobs.process_deadlines()
    workflow.request_reassign_owner(
        request_id=request.pk, by=manager, new_owner=cs, reason="Sato moved to another region."
    )
    jobs.process_deadlines()
    (old,) = [u for u in slack.of("chat.update") if u["channel"] == "D0SALES"]
    assert actions(old) == [] and "Owner reassigned" in json.dumps(old["blocks"])
    (new,) = [p for p in slack.of("chat.postMessage") if p["channel"] == "U0CS"]
    (buttons,) = actions(new)
    request.refresh_from_db()
    assert {json.loads(e["value"])["v"] for e in buttons["elements"]} == {request.version}
