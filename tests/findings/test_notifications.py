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
