"""Findings go back to sales: one email per batch to the owner and the owner's manager,
grouped by kind, in each reader's language; the team channel; the weekly digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from interviews import jobs
from interviews.models import FindingKind
from interviews.notifications import digest
from interviews.workflow import FindingInput
from tests.conftest import TOKYO
from tests.http_receiver import Receiver

pytestmark = pytest.mark.django_db


def findings_mail() -> list[mail.EmailMultiAlternatives]:
    return [
        m for m in mail.outbox if m.extra_headers.get("X-Interview-Relay-Kind") == "findings_shared"
    ]


@pytest.fixture
def team(sales, manager):
    sales.reports_to = manager
    sales.save()
    manager.language = "ja"
    manager.save()


BATCH = (
    FindingInput(kind=FindingKind.WHY_US, statement="The audit trail won it."),
    FindingInput(kind=FindingKind.OBJECTION, statement="Price worried the CFO."),
    FindingInput(kind=FindingKind.WHY_US, statement="Support answered in Japanese."),
)


def test_one_email_each_grouped_by_kind_in_the_readers_language(
    add_findings, team, candidate, clock
):
    mail.outbox.clear()
    add_findings(
        *BATCH,
        FindingInput(
            kind=FindingKind.DESCRIBE_US,
            statement="They call us their ledger.",
            quote="It is our ledger now.",
            speaker_id=candidate.pk,
            quotable=True,
        ),
    )
    jobs.process_deadlines()
    jobs.process_deadlines()  # a second run sends nothing again
    sent = findings_mail()
    assert sorted(m.to[0] for m in sent) == ["manager@example.com", "sales@example.com"]
    owner = next(m for m in sent if m.to == ["sales@example.com"])
    assert owner.subject == "What we learned from Acme KK: 4 findings"
    text = owner.body
    # Grouped: both "why us" findings under one heading, before the objection.
    assert text.index("■ Why they chose us") < text.index("The audit trail won it.")
    assert text.index("Support answered in Japanese.") < text.index("■ Objection or risk")
    assert "“It is our ledger now.” — Tanaka Hanako" in text
    assert "[Quotable externally]" in text and "[Internal only]" in text
    assert "/findings/?account=" in text
    html = owner.alternatives[0][0]
    assert "It is our ledger now." in html and "Quotable externally" in html

    manager_mail = next(m for m in sent if m.to == ["manager@example.com"])
    assert (
        manager_mail.subject == "Acme KKから学んだこと：4件" and "選ばれた理由" in manager_mail.body
    )


def test_the_team_channel_gets_one_message_per_batch(add_findings, team, manager):
    with Receiver() as slack:
        manager.slack_webhook_url = slack.url
        manager.language = "en"
        manager.save()
        add_findings(*BATCH)
        jobs.process_deadlines()
        jobs.process_deadlines()
        (post,) = slack.posts
    assert "3 new findings from the interview with Acme KK" in post["text"]
    assert "Why they chose us: The audit trail won it." in post["text"]


def test_a_finding_cannot_ping_the_team_channel(add_findings, team, manager):
    with Receiver() as slack:
        manager.slack_webhook_url = slack.url
        manager.language = "en"
        manager.save()
        statement = "<!channel> read <https://evil.example|this> & more"
        add_findings(FindingInput(kind=FindingKind.WHY_US, statement=statement))
        jobs.process_deadlines()
        jobs.process_deadlines()
        (post,) = slack.posts
    assert "<!channel>" not in post["text"] and "<https://evil" not in post["text"]
    assert "&lt;!channel&gt; read &lt;https://evil.example|this&gt; &amp; more" in post["text"]


def test_the_digest_tells_what_we_learned_this_week(add_findings, completed, manager, clock):
    add_findings(*BATCH)
    # The Monday after: last week's findings are in the digest.
    clock.move_to(dt.datetime(2026, 12, 7, 9, 0, tzinfo=TOKYO))
    mail.outbox.clear()
    digest.send_weekly_digest()
    jobs.process_deadlines()
    (message,) = [
        m for m in mail.outbox if m.extra_headers.get("X-Interview-Relay-Kind") == "weekly_digest"
    ]
    text = message.body
    assert "■ What we learned this week" in text
    assert "3 findings from interviews were recorded" in text
    assert text.index("Why they chose us") < text.index("Support answered in Japanese.")
    assert "What we learned this week" in message.alternatives[0][0]


def test_the_digest_shows_three_newest_per_kind(add_findings, completed, clock):
    from interviews import library

    for i in range(5):
        add_findings(FindingInput(kind=FindingKind.WHY_US, statement=f"Reason {i}"))
        clock.shift(dt.timedelta(minutes=1))
    add_findings(FindingInput(kind=FindingKind.BEFORE, statement="Excel."))
    week = library.learned_between(dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert week.count == 6
    assert [(g.kind, [f.statement for f in g.findings]) for g in week.groups] == [
        ("why_us", ["Reason 4", "Reason 3", "Reason 2"]),
        ("before", ["Excel."]),
    ]
    assert library.learned_between(dt.date(2026, 12, 7), dt.date(2026, 12, 13)).count == 0


# --- Slack direct messages, where the app is installed ------------------------------------


def test_findings_reach_the_owner_by_slack_as_each_chose_once_per_batch(
    slack, add_findings, team, candidate, clock, sales, manager
):
    """Sato (owner, Slack only) gets a direct message and no email; Mori (manager,
    Slack and email, in Japanese) gets both; nothing twice, a resubmitted form adds nothing."""
    import json

    from accounts.models import NotifyVia
    from interviews.models import Channel, Notification, NotificationKind

    sales.notify_via = NotifyVia.SLACK
    sales.save()
    mail.outbox.clear()
    quote = FindingInput(
        kind=FindingKind.DESCRIBE_US,
        statement="They call us their ledger.",
        quote="It is our ledger now.",
        speaker_id=candidate.pk,
        quotable=True,
    )
    add_findings(*BATCH, quote, batch_key="k1")
    add_findings(*BATCH, quote, batch_key="k1")  # the same form again
    jobs.process_deadlines()
    jobs.process_deadlines()  # a second run sends nothing again

    assert [m.to for m in findings_mail()] == [["manager@example.com"]]
    posted = [
        m for m in slack.of("chat.postMessage") if "Acme KK" in m["text"] and "4" in m["text"]
    ]
    messages = {m["channel"]: m for m in posted}
    assert sorted(m["channel"] for m in posted) == ["U0MANAGER", "U0SALES"]
    owner = messages["U0SALES"]
    assert owner["text"] == "4 new findings from the interview with Acme KK"
    text = json.dumps(owner["blocks"], ensure_ascii=False)
    for part in (
        "Why they chose us",
        "The audit trail won it.",
        "Price worried the CFO.",
        "It is our ledger now.",
        "Tanaka Hanako",
        "/findings/?account=",
    ):
        assert part in text
    # Groups in the kinds' order, as in the email.
    assert text.index("Why they chose us") < text.index("Objection or risk")
    japanese = messages["U0MANAGER"]
    assert "Acme KK" in japanese["text"] and "件" in japanese["text"]
    assert "Why they chose us" not in json.dumps(japanese["blocks"], ensure_ascii=False)
    shared = Notification.objects.filter(
        channel=Channel.SLACK_DM, kind=NotificationKind.FINDINGS_SHARED
    )
    assert shared.count() == 2


def test_findings_stay_email_only_for_who_chose_email(
    slack, add_findings, team, clock, sales, manager
):
    from accounts.models import NotifyVia

    for person in (sales, manager):
        person.notify_via = NotifyVia.EMAIL
        person.save()
    mail.outbox.clear()
    add_findings(*BATCH)
    jobs.process_deadlines()
    assert sorted(m.to[0] for m in findings_mail()) == ["manager@example.com", "sales@example.com"]
    assert not [m for m in slack.of("chat.postMessage") if "finding" in m["text"]]
