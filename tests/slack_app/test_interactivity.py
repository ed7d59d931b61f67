"""Answers from Slack: signed requests only, once, through the same workflow as the email
links; a stale click or someone else's click changes nothing and is told why."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from accounts.models import Department
from interviews import jobs, workflow
from interviews.models import EventKind, RequestEvent, Status
from tests.factories import UserFactory
from tests.slack_app.payloads import click, form_body, post_signed, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(slack, clock, file_request):
    """A request whose direct message went out."""
    request = file_request()
    jobs.process_deadlines()
    assert len(slack.of("chat.postMessage")) == 1
    return request


def answer_buttons(message: dict) -> list[dict]:
    return [
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("answer:")
    ]


def answers(request) -> list[str]:
    return list(
        RequestEvent.objects.filter(request=request)
        .exclude(kind=EventKind.FILED)
        .values_list("kind", flat=True)
    )


def test_go_ahead_from_slack_answers_and_updates_the_message_in_place(slack, asked, sales):
    response = post_signed(click(asked, "owner_go_ahead"))
    assert response.status_code == 200
    asked.refresh_from_db()
    assert asked.status == Status.MARKETING_OUTREACH
    event = asked.events.get(kind=EventKind.OWNER_GO_AHEAD)
    assert event.actor == sales and "on_behalf_of" not in event.details

    jobs.process_deadlines()  # the outbox, as after commit
    (update,) = slack.of("chat.update")
    assert (update["channel"], update["ts"]) == ("D0SALES", "1700000000.000001")
    assert answer_buttons(update) == []  # the four answers are gone
    text = json.dumps(update["blocks"])
    assert "Owner let marketing contact the customer" in text and "by Sato Sales" in text


def test_ill_ask_them_myself_from_slack(slack, asked):
    post_signed(click(asked, "owner_will_reach_out"))
    asked.refresh_from_db()
    assert asked.status == Status.OWNER_OUTREACH
    assert answers(asked) == [EventKind.OWNER_WILL_REACH_OUT]


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"secret": "not-the-signing-secret"}, id="wrong secret"),
        pytest.param({"at": time.time() - 6 * 60}, id="six minutes late"),
        pytest.param({"at": time.time() + 6 * 60}, id="six minutes early"),
    ],
)
def test_a_request_not_signed_by_slack_now_is_refused_and_changes_nothing(
    slack, asked, clock, tamper
):
    if "at" in tamper:  # relative to the test's clock, not the wall clock
        tamper = {"at": time.time() + (tamper["at"] - _wall())}
    response = post_signed(click(asked, "owner_go_ahead"), **tamper)
    assert response.status_code == 401
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_OWNER and slack.of("chat.update") == []


def _wall() -> float:
    return time.time()


def test_an_unsigned_request_is_refused(slack, asked, client):
    response = client.post(
        "/slack/interactivity/",
        data=click(asked, "owner_go_ahead"),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 401
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_OWNER


def test_four_minutes_late_is_still_accepted(slack, asked, clock):
    body = click(asked, "owner_go_ahead")
    signed_at = time.time()
    clock.shift(dt.timedelta(minutes=4))
    assert post_signed(body, at=signed_at).status_code == 200
    asked.refresh_from_db()
    assert asked.status == Status.MARKETING_OUTREACH


def test_slacks_retry_and_a_replay_cause_no_second_effect(slack, asked):
    body = click(asked, "owner_go_ahead")
    assert post_signed(body).status_code == 200
    assert post_signed(body, retry=1).status_code == 200
    assert post_signed(body).status_code == 200  # replayed within the 5 minutes
    jobs.process_deadlines()
    assert answers(asked) == [EventKind.OWNER_GO_AHEAD]
    assert len(slack.of("chat.update")) == 1
    assert slack.of("chat.postEphemeral") == []  # not even a "too late" to the owner


def test_a_stale_click_is_explained_and_never_a_second_transition(slack, asked, sales):
    seen = asked.version
    workflow.request_owner_will_reach_out(request_id=asked.pk, by=sales)  # e.g. from the email
    jobs.process_deadlines()
    post_signed(click(asked, "owner_go_ahead", version=seen))
    asked.refresh_from_db()
    assert asked.status == Status.OWNER_OUTREACH
    assert answers(asked) == [EventKind.OWNER_WILL_REACH_OUT]
    (reply,) = slack.of("chat.postEphemeral")
    assert reply["user"] == "U0SALES" and reply["channel"] == "D0SALES"
    assert "changed since this message was sent" in reply["text"]
    assert "Owner is asking the customer" in reply["text"]
    assert "Nothing was changed" in reply["text"]


def test_someone_elses_click_is_refused(slack, asked, cs):
    cs.slack_user_id = "U0CS"
    cs.save()
    post_signed(click(asked, "owner_go_ahead", user="U0CS"))
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_OWNER
    (reply,) = slack.of("chat.postEphemeral")
    assert reply["user"] == "U0CS" and "Only the request's owner or a manager" in reply["text"]


def test_a_slack_user_we_do_not_know_is_told_so(slack, asked):
    post_signed(click(asked, "owner_go_ahead", user="U0STRANGER"))
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_OWNER
    (reply,) = slack.of("chat.postEphemeral")
    assert "not linked to anyone in Interview Relay" in reply["text"]


def test_a_manager_may_answer_and_is_labelled(slack, asked, manager):
    post_signed(click(asked, "owner_go_ahead", user="U0MANAGER"))
    asked.refresh_from_db()
    assert asked.status == Status.MARKETING_OUTREACH
    event = asked.events.get(kind=EventKind.OWNER_GO_AHEAD)
    assert event.actor == manager and event.details["on_behalf_of"] == asked.owner_id
    jobs.process_deadlines()  # the outbox, as after commit
    (update,) = slack.of("chat.update")
    assert "by Mori Manager for Sato Sales" in json.dumps(update["blocks"])


def test_the_reply_is_in_the_clickers_language(slack, asked, cs):
    cs.slack_user_id, cs.language = "U0CS", "ja"
    cs.save()
    post_signed(click(asked, "owner_go_ahead", user="U0CS"))
    (reply,) = slack.of("chat.postEphemeral")
    assert "Only the request's owner" not in reply["text"]


def test_not_now_opens_a_modal_bounded_by_the_deferral_rules(slack, asked):
    assert post_signed(click(asked, "defer")).status_code == 200
    (opened,) = slack.of("views.open")
    assert opened["trigger_id"] == "1111.2222.abcdef"
    view = opened["view"]
    assert view["callback_id"] == "answer:defer"
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    first, last = workflow.deferral_range()
    assert blocks["until"]["element"]["initial_date"] == first.isoformat()
    assert blocks["until"]["hint"]["text"].startswith("Between")
    assert str(last.day) in blocks["until"]["hint"]["text"]
    categories = [o["value"] for o in blocks["reason_category"]["element"]["options"]]
    assert "bad_timing" in categories and "open_issue" in categories
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_OWNER  # opening the form changes nothing


def test_not_now_past_the_allowed_range_is_refused_in_the_modal(slack, asked):
    too_far = workflow.deferral_range()[1] + dt.timedelta(days=1)
    response = post_signed(
        submit(
            asked,
            "defer",
            values={"until": too_far.isoformat(), "reason_category": "bad_timing", "reason": "Q"},
        )
    )
    body = response.json()
    assert body["response_action"] == "errors" and "Please choose a date" in body["errors"]["until"]
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_OWNER


def test_not_now_from_the_modal_defers(slack, asked):
    until = workflow.deferral_range()[0] + dt.timedelta(days=7)
    response = post_signed(
        submit(
            asked,
            "defer",
            values={
                "until": until.isoformat(),
                "reason_category": "bad_timing",
                "reason": "Renewal talks this month.",
            },
        )
    )
    assert response.json() == {"response_action": "clear"}
    asked.refresh_from_db()
    assert asked.status == Status.DEFERRED and asked.deferred_until == until
    event = asked.events.get(kind=EventKind.DEFERRED)
    assert event.details["reason_category"] == "bad_timing"
    jobs.process_deadlines()  # the outbox, as after commit
    (update,) = slack.of("chat.update")
    assert "Renewal talks this month." in json.dumps(update["blocks"])


def test_decline_from_the_modal_needs_a_reason(slack, asked):
    response = post_signed(
        submit(asked, "decline", values={"reason_category": "open_issue", "reason": "  "})
    )
    assert response.json()["errors"] == {"reason": "Please give a reason."}
    response = post_signed(
        submit(
            asked,
            "decline",
            values={"reason_category": "open_issue", "reason": "Open escalation."},
        )
    )
    assert response.json() == {"response_action": "clear"}
    asked.refresh_from_db()
    assert asked.status == Status.DECLINED


def test_a_modal_submitted_after_the_deadline_switch_changes_nothing(slack, asked, clock):
    clock.move_to(asked.response_due_at + dt.timedelta(minutes=1))
    jobs.process_deadlines()
    response = post_signed(
        submit(asked, "decline", values={"reason_category": "open_issue", "reason": "No."})
    )
    body = response.json()
    assert body["response_action"] == "update"
    assert "Nothing was changed" in json.dumps(body["view"])
    asked.refresh_from_db()
    assert asked.status == Status.MARKETING_OUTREACH


def test_an_answer_from_anywhere_updates_the_slack_message(slack, asked, marketer, clock):
    clock.move_to(asked.response_due_at + dt.timedelta(minutes=1))
    jobs.process_deadlines()  # the deadline job switches it
    (update,) = [u for u in slack.of("chat.update") if u["ts"] == "1700000000.000001"]
    assert answer_buttons(update) == []
    assert "Deadline passed" in json.dumps(update["blocks"])


def test_a_marketer_answering_is_refused_even_with_a_slack_account(slack, asked):
    other = UserFactory(department=Department.MARKETING, slack_user_id="U0MKT")
    post_signed(click(asked, "decline", user=other.slack_user_id))
    assert slack.of("views.open") == []
    assert "Only the request's owner" in slack.of("chat.postEphemeral")[0]["text"]


def test_after_go_ahead_the_owner_may_add_a_note_for_marketing(slack, asked):
    post_signed(click(asked, "owner_go_ahead"))
    jobs.process_deadlines()
    (update,) = slack.of("chat.update")
    (note_button,) = [e for b in update["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert note_button["action_id"] == "note"
    asked.refresh_from_db()

    body = click(asked, "owner_go_ahead").replace(b"answer%3Aowner_go_ahead", b"note")
    post_signed(body)
    (opened,) = slack.of("views.open")
    assert opened["view"]["callback_id"] == "note"
    note = submit(asked, "note", values={"body": "Ask for Tanaka-san, not the CIO's office."})
    note = note.replace(b"answer%3Anote", b"note")
    assert post_signed(note).json() == {"response_action": "clear"}
    (comment,) = asked.comments.all()
    assert comment.body.startswith("Ask for Tanaka-san") and comment.author.slack_user_id
    assert asked.events.count() == 2  # the note is not a second answer


def test_the_events_url_answers_slacks_check_only_when_signed(slack):
    body = json.dumps(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    response = post_signed(body, path="/slack/events/", content_type="application/json")
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    bad = post_signed(body, path="/slack/events/", content_type="application/json", secret="no")
    assert bad.status_code == 401


def test_the_app_being_uninstalled_is_logged_for_the_operator(slack, caplog):
    body = json.dumps(
        {"type": "event_callback", "team_id": "T1", "event": {"type": "app_uninstalled"}}
    ).encode()
    response = post_signed(body, path="/slack/events/", content_type="application/json")
    assert response.status_code == 200
    assert "app_uninstalled" in caplog.text and "SLACK_BOT_TOKEN" in caplog.text


def test_a_get_or_a_garbage_body_is_refused(slack, client):
    assert client.get("/slack/interactivity/").status_code == 405
    assert post_signed(b"payload=%7Bnot-json").status_code == 400


def test_when_slack_cannot_open_the_form_the_owner_is_told_and_nothing_changes(slack, asked):
    slack.failures["views.open"] = (200, {"ok": False, "error": "expired_trigger_id"})
    assert post_signed(click(asked, "decline")).status_code == 200
    (reply,) = slack.of("chat.postEphemeral")
    assert "could not open the form" in reply["text"]
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_OWNER


def test_decline_may_pause_the_account_as_from_the_email(slack, asked):
    post_signed(click(asked, "decline"))
    (opened,) = slack.of("views.open")
    pause = next(b for b in opened["view"]["blocks"] if b.get("block_id") == "pause_account_until")
    assert pause["optional"] is True and pause["element"]["type"] == "datepicker"
    past = submit(
        asked,
        "decline",
        values={
            "reason_category": "open_issue",
            "reason": "Escalation.",
            "pause_account_until": "2020-01-01",
        },
    )
    assert "pause_account_until" in post_signed(past).json()["errors"]
    until = dt.date(2027, 3, 1)
    ok = submit(
        asked,
        "decline",
        values={
            "reason_category": "open_issue",
            "reason": "Escalation.",
            "pause_account_until": until.isoformat(),
        },
    )
    assert post_signed(ok).json() == {"response_action": "clear"}
    asked.refresh_from_db()
    asked.account.refresh_from_db()
    assert asked.status == Status.DECLINED and asked.account.sensitive_until == until


def test_with_the_broker_down_the_stale_click_is_still_explained(slack, asked, sales, monkeypatch):
    from celery import current_app

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    task = current_app.tasks["interviews.tasks.slack_ephemeral"]
    monkeypatch.setattr(task, "delay", broker_down)
    seen = asked.version
    workflow.request_owner_go_ahead(request_id=asked.pk, by=sales)
    assert post_signed(click(asked, "decline", version=seen)).status_code == 200
    (reply,) = slack.of("chat.postEphemeral")
    assert "Nothing was changed" in reply["text"]


ODD_SHAPES = [
    {
        "type": "block_actions",
        "user": "U0SALES",
        "channel": "D1",
        "actions": [{"action_id": "answer:owner_go_ahead", "value": '{"r": 1, "v": 1}'}],
    },
    {"type": "block_actions", "user": {"id": "U0SALES"}, "actions": {"action_id": "x"}},
    {"type": "block_actions", "user": {"id": "U0SALES"}, "actions": 7},
    {"type": "block_actions", "user": [], "actions": ["answer:owner_go_ahead"]},
    {
        "type": "block_actions",
        "user": {"id": "U0SALES"},
        "channel": "D1",
        "actions": [{"action_id": "answer:owner_go_ahead", "value": '{"r": 1e400, "v": 1}'}],
    },
    {"type": "view_submission", "user": {"id": "U0SALES"}, "view": "x"},
    {
        "type": "view_submission",
        "user": {"id": "U0SALES"},
        "view": {"callback_id": "answer:decline", "private_metadata": "{}", "state": {"values": 1}},
    },
    {
        "type": "view_submission",
        "user": {"id": "U0SALES"},
        "view": {"callback_id": "answer:decline", "private_metadata": "{}", "state": []},
    },
]


@pytest.mark.parametrize("payload", ODD_SHAPES)
def test_a_signed_payload_of_an_unexpected_shape_changes_nothing(slack, asked, payload):
    """Only Slack can sign, but a shape we do not expect is ignored, not a 500 (which Slack
    retries and shows the person as an error)."""
    if payload["type"] == "view_submission" and isinstance(payload["view"], dict):
        payload["view"]["private_metadata"] = json.dumps({"r": asked.pk, "v": asked.version})
    assert post_signed(form_body(payload)).status_code == 200
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_OWNER


@pytest.mark.parametrize("event", ["x", [], None, {"type": ["app_uninstalled"]}])
def test_a_signed_event_of_an_unexpected_shape_is_acknowledged(slack, event):
    body = json.dumps({"type": "event_callback", "event": event}).encode()
    assert (
        post_signed(body, path="/slack/events/", content_type="application/json").status_code == 200
    )
