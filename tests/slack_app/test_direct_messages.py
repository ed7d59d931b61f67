"""Owners get each request as a Slack direct message through the outbox, beside or
instead of the email, once, retried while Slack is down, never blocking the workflow."""

from __future__ import annotations

import json
import logging

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.management import call_command

from accounts.models import NotifyVia
from interviews import jobs
from interviews.models import Channel, Notification, NotificationStatus, SlackMessage, Status
from interviews.notifications import slack_api
from tests.slack_app.conftest import BOT_TOKEN

pytestmark = pytest.mark.django_db


def test_the_manifest_is_yaml_naming_every_scope_the_code_calls_and_our_urls():
    manifest = yaml.safe_load((django_settings.BASE_DIR / "slack" / "manifest.yml").read_text())
    granted = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {scope for scopes in slack_api.SCOPES.values() for scope in scopes}
    assert needed == granted  # nothing missing, nothing asked for that is never used
    assert manifest["settings"]["interactivity"]["request_url"].endswith("/slack/interactivity/")
    assert manifest["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events/")


def test_the_printed_manifest_points_at_site_url(settings, capsys):
    settings.SITE_URL = "https://relay.acme.test"
    call_command("slack_manifest")
    manifest = yaml.safe_load(capsys.readouterr().out)
    assert manifest["settings"]["interactivity"]["request_url"] == (
        "https://relay.acme.test/slack/interactivity/"
    )


def test_people_are_matched_by_email_and_the_match_is_cached(slack, cs, sales, capsys):
    sales.slack_user_id = ""
    sales.save()
    call_command("slack_match_people")
    sales.refresh_from_db()
    cs.refresh_from_db()
    assert sales.slack_user_id == "U0SALES" and sales.slack_checked_at is not None
    assert cs.slack_user_id == "" and cs.slack_checked_at is not None  # looked up, no match
    assert "lookups failed 0" in capsys.readouterr().out
    looked_up = len(slack.of("users.lookupByEmail"))
    call_command("slack_match_people")  # everyone was looked up just now: no calls
    assert len(slack.of("users.lookupByEmail")) == looked_up


def test_the_request_arrives_as_a_direct_message_with_the_four_answers(
    slack, clock, file_request, mailoutbox
):
    request = file_request()
    jobs.process_deadlines()
    jobs.process_deadlines()  # a second run posts nothing again

    (message,) = slack.of("chat.postMessage")
    assert message["channel"] == "U0SALES"
    blocks = message["blocks"]
    assert blocks[0]["text"]["text"] == "May we interview Acme KK?"
    text = json.dumps(blocks, ensure_ascii=False)
    for fact in ("Mai Marketer asks", "Case study", "Tanaka Hanako", "Answer by"):
        assert fact in text
    (actions,) = [b for b in blocks if b["type"] == "actions"]
    assert [e["text"]["text"] for e in actions["elements"]] == [
        "I'll ask them myself",
        "Go ahead, contact them",
        "Not now",
        "Decline",
    ]
    assert {json.loads(e["value"])["v"] for e in actions["elements"]} == {request.version}
    # "Both" is the default for a matched owner: the email still goes out.
    assert any("Acme KK" in m.subject for m in mailoutbox)
    posted = SlackMessage.objects.get(request=request)
    assert (posted.channel_id, posted.ts) == ("D0SALES", "1700000000.000001")


def test_slack_only_means_no_email_and_unmatched_people_keep_email(
    slack, clock, file_request, sales, mailoutbox
):
    sales.notify_via = NotifyVia.SLACK
    sales.save()
    file_request()
    jobs.process_deadlines()
    assert len(slack.of("chat.postMessage")) == 1
    assert not [m for m in mailoutbox if sales.email in m.to]


def test_email_only_or_no_match_means_no_direct_message(slack, clock, file_request, sales):
    sales.notify_via = NotifyVia.EMAIL
    sales.save()
    file_request()
    jobs.process_deadlines()
    assert slack.of("chat.postMessage") == []
    assert not Notification.objects.filter(channel=Channel.SLACK_DM).exists()


def test_slack_down_delays_the_message_and_never_blocks_the_workflow(slack, clock, file_request):
    slack.failures["chat.postMessage"] = (503, {"ok": False, "error": "service_unavailable"})
    request = file_request()
    jobs.process_deadlines()
    dm = Notification.objects.get(channel=Channel.SLACK_DM)
    assert dm.status == NotificationStatus.PENDING and dm.attempts >= 1
    assert request.status == Status.AWAITING_OWNER

    del slack.failures["chat.postMessage"]
    clock.move_to(dm.next_attempt_at)
    jobs.process_deadlines()
    jobs.process_deadlines()
    assert len(slack.of("chat.postMessage")) == 1
    dm.refresh_from_db()
    assert dm.status == NotificationStatus.SENT


def test_a_revoked_token_fails_the_message_visibly_at_once(slack, clock, file_request):
    slack.failures["chat.postMessage"] = (200, {"ok": False, "error": "token_revoked"})
    file_request()
    jobs.process_deadlines()
    dm = Notification.objects.get(channel=Channel.SLACK_DM)
    assert dm.status == NotificationStatus.FAILED
    assert dm.last_error.endswith("token_revoked")


def test_the_bot_token_never_reaches_the_logs(slack, clock, file_request, caplog):
    slack.failures["chat.postMessage"] = (500, {"ok": False, "error": "fatal_error"})
    caplog.set_level(logging.DEBUG)
    file_request()
    jobs.process_deadlines()
    assert slack.tokens and all(t == f"Bearer {BOT_TOKEN}" for t in slack.tokens)
    assert caplog.records
    assert BOT_TOKEN not in caplog.text
    dm = Notification.objects.get(channel=Channel.SLACK_DM)
    assert BOT_TOKEN not in dm.last_error


def test_team_channels_move_to_the_bot_where_the_app_is_installed(
    slack, clock, file_request, manager, marketer, sales
):
    manager.slack_channel_id = "C0TEAM"
    manager.save()
    for person in (marketer, sales):
        person.reports_to = manager
        person.save()
    file_request()
    jobs.process_deadlines()
    posts = [p for p in slack.of("chat.postMessage") if p["channel"] == "C0TEAM"]
    (post,) = posts
    assert "Mai Marketer asked Sato Sales for an interview with Acme KK" in post["text"]


def test_team_webhooks_keep_working_beside_the_app(slack, clock, file_request, manager, sales):
    from tests.http_receiver import Receiver

    with Receiver() as webhook:
        manager.slack_webhook_url = webhook.url  # no channel id: the webhook it is
        manager.save()
        sales.reports_to = manager
        sales.save()
        file_request()
        jobs.process_deadlines()
        assert len(webhook.posts) == 1
    assert all(p["channel"] != "C0TEAM" for p in slack.of("chat.postMessage"))


def test_the_direct_message_is_in_the_owners_language(slack, clock, file_request, sales):
    sales.language = "ja"
    sales.save()
    file_request()
    jobs.process_deadlines()
    (message,) = slack.of("chat.postMessage")
    text = json.dumps(message["blocks"], ensure_ascii=False)
    assert message["text"] == "Acme KK様にインタビューしてよいですか？"
    labels = ("聞きたいこと", "あなたへのメモ", "回答期限", "自分でお客様に打診する", "辞退する")
    for label in labels:
        assert label in text
    for english in ("Questions", "Note to you", "Answer by", "Decline"):
        assert english not in text
