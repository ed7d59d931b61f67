"""Team Slack channels: new requests, switches and completions are posted once, failures
are retried, and Slack being down never blocks or breaks the workflow."""

from __future__ import annotations

import datetime as dt

import pytest

from interviews import jobs, workflow
from interviews.models import Channel, Notification, NotificationStatus, Status
from tests.conftest import TOKYO
from tests.http_receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def slack(manager, marketer, sales):
    with Receiver() as receiver:
        manager.slack_webhook_url = receiver.url
        manager.language = "en"
        manager.save()
        for person in (marketer, sales):
            person.reports_to = manager
            person.save()
        yield receiver


def texts(receiver) -> list[str]:
    return [post["text"] for post in receiver.posts]


def _interview_and_complete(clock, request, marketer) -> None:
    """The interview two days after the switch, then its outcome, and the posts sent."""
    workflow.request_schedule(
        request_id=request.pk,
        by=marketer,
        interview_at=dt.datetime(2026, 12, 10, 14, 0, tzinfo=TOKYO),
    )
    clock.move_to(dt.datetime(2026, 12, 10, 16, 0, tzinfo=TOKYO))
    workflow.request_complete(request_id=request.pk, by=marketer, outcome_summary="Great")
    jobs.process_deadlines()


def test_a_new_request_a_switch_and_a_completion_are_posted_once(
    clock, file_request, slack, sales, marketer
):
    request = file_request()
    jobs.process_deadlines()
    jobs.process_deadlines()
    (filed,) = texts(slack)
    assert "Mai Marketer asked Sato Sales for an interview with Acme KK" in filed
    assert f"/requests/{request.pk}/|Why Acme moved its ledger to us>" in filed

    clock.move_to(dt.datetime(2026, 12, 8, 9, 0, tzinfo=TOKYO))
    jobs.process_deadlines()
    assert "now contacts Acme KK directly" in texts(slack)[1]

    _interview_and_complete(clock, request, marketer)
    assert "Interview with Acme KK completed" in texts(slack)[2]
    assert len(slack.posts) == 3  # one channel, even though marketer and owner share it


def test_the_message_is_in_the_managers_language(clock, file_request, slack, manager):
    manager.language = "ja"
    manager.save()
    file_request()
    jobs.process_deadlines()
    assert "Acme KK" in texts(slack)[0] and "インタビュー" in texts(slack)[0]


def test_slack_down_delays_the_post_and_never_blocks_the_workflow(clock, file_request, slack):
    slack.status = 500
    request = file_request()  # the change commits whatever Slack does
    jobs.process_deadlines()
    note = Notification.objects.get(channel=Channel.SLACK)
    assert note.status == NotificationStatus.PENDING and "500" in note.last_error
    assert request.status == Status.AWAITING_OWNER

    slack.status = 200
    clock.move_to(note.next_attempt_at)
    jobs.process_deadlines()
    jobs.process_deadlines()
    assert len(slack.posts) == 1
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT


def test_a_revoked_webhook_fails_visibly_at_once(clock, file_request, slack):
    slack.status = 404
    file_request()
    jobs.process_deadlines()
    note = Notification.objects.get(channel=Channel.SLACK)
    assert note.status == NotificationStatus.FAILED and "404" in note.last_error


def test_teams_without_a_channel_get_nothing(clock, file_request, manager):
    file_request()
    assert not Notification.objects.filter(channel=Channel.SLACK).exists()


HOSTILE = "<!channel> & <https://evil.example/login|Approve in Interview Relay>"
ESCAPED = "&lt;!channel&gt; &amp; &lt;https://evil.example/login|Approve in Interview Relay&gt;"


def test_what_people_typed_cannot_ping_the_channel_or_dress_up_a_link(
    clock, file_request, slack, marketer, sales, account
):
    """Names, the account (from the CRM) and the topic show as typed: Slack would read
    `<!channel>` as a broadcast and `<url|text>` as a link under the app's name."""
    marketer.name, sales.name, account.name = f"M {HOSTILE}", f"S {HOSTILE}", f"A {HOSTILE}"
    for row in (marketer, sales, account):
        row.save()
    request = file_request(topic=f"T {HOSTILE}")
    jobs.process_deadlines()
    clock.move_to(dt.datetime(2026, 12, 8, 9, 0, tzinfo=TOKYO))
    jobs.process_deadlines()
    _interview_and_complete(clock, request, marketer)
    filed, switched, completed = texts(slack)
    for text in (filed, switched, completed):
        assert "<!channel>" not in text and "<https://evil" not in text
        assert f"M {ESCAPED}" in text and f"A {ESCAPED}" in text
        # Our own link still works, with the topic as its text.
        assert f"/requests/{request.pk}/|T {ESCAPED}>" in text
    assert f"S {ESCAPED}" in filed and f"S {ESCAPED}" in switched
