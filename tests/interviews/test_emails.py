"""Every notification kind renders as a real email, in the recipient's language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from accounts.models import User
from interviews import jobs, workflow
from interviews.models import Notification, NotificationKind
from interviews.notifications import outbox
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


def _sending(step):
    """Run a step, then send what it queued, as the on-commit task does in production."""

    def run(*args, **kwargs):
        result = step(*args, **kwargs)
        outbox.send_pending()
        return result

    return run


@pytest.fixture(params=["en", "ja"])
def every_kind(request, clock, file_request, marketer, sales, cs, manager):
    """Drive requests through every transition, people reading in one language; returns
    the emails actually sent."""
    language = request.param
    for person in (marketer, sales, cs, manager):
        person.language = language
        person.save()
    w = type(
        "W",
        (),
        {name: staticmethod(_sending(getattr(workflow, name))) for name in workflow.__all__},
    )
    file = _sending(file_request)

    r1 = file()
    w.request_owner_go_ahead(request_id=r1.pk, by=sales)
    w.request_schedule(
        request_id=r1.pk, by=marketer, interview_at=tokyo(2026, 12, 9, 14, 0), location="Zoom"
    )
    w.request_complete(
        request_id=r1.pk,
        by=marketer,
        outcome_summary="Close went from 9 days to 3.",
        published_url="https://example.com/s",
    )

    def new_account(name):
        account = AccountFactory(owner=sales, name=name)
        return {"account": account, "candidates": [CandidateFactory(account=account)]}

    r2 = file(**new_account("Beta & Sons"))
    w.request_defer(
        request_id=r2.pk,
        by=sales,
        until=dt.date(2026, 12, 3),
        reason_category="customer_busy",
        reason="Busy",
    )
    r3 = file(**new_account("Gamma"))
    w.request_extend_deadline(request_id=r3.pk, by=manager, extra_business_days=1, reason="Trip")
    w.request_reassign_owner(request_id=r3.pk, by=manager, new_owner=cs, reason="Sato on leave")
    w.request_owner_will_reach_out(request_id=r3.pk, by=cs)
    w.request_customer_declined(request_id=r3.pk, by=cs, reason="Busy year")
    r4 = file(**new_account("Delta"))
    w.request_cancel(request_id=r4.pk, by=marketer, reason="Campaign dropped")
    r5 = file(**new_account("Epsilon"))
    w.request_force_switch(request_id=r5.pk, by=manager, reason="Launch")
    w.account_owner_changed(account_id=r5.account_id, new_owner=cs, by=manager, reason="CRM update")
    r6 = file(**new_account("Zeta"))
    w.request_edit(
        request_id=r6.pk,
        by=marketer,
        purpose=r6.purpose,
        topic="Zeta: a sharper angle",
        questions=r6.questions,
        candidates=list(r6.candidates.all()),
    )
    w.comment_add(request_id=r6.pk, by=marketer, body="Could you introduce us to their CFO too?")
    clock.move_to(tokyo(2026, 12, 3, 9, 0))  # r2 wakes, reminders for the others
    jobs.process_deadlines()
    clock.move_to(tokyo(2026, 12, 22, 9, 0))  # everything still waiting switches
    jobs.process_deadlines()
    return language, list(mail.outbox)


def kind_of(message) -> str:
    return message.extra_headers["X-Interview-Relay-Kind"]


def test_every_kind_is_sent(every_kind):
    _, sent = every_kind
    # The weekly digest is not about one request; its own tests cover it.
    assert {kind_of(m) for m in sent} == set(NotificationKind.values) - {"weekly_digest"}
    assert not Notification.objects.filter(status__in=["pending", "sending", "failed"]).exists()


def test_every_email_is_in_the_recipients_language(every_kind):
    language, sent = every_kind
    names = {u.email: u.name for u in User.objects.all()}
    for message in sent:
        html = message.alternatives[0].content
        assert message.subject and "\n" not in message.subject, kind_of(message)
        assert names[message.to[0]] in message.body, kind_of(message)
        assert "{{" not in message.body and "{%" not in message.body and "{{" not in html
        assert f'lang="{language}"' in html
        assert "/requests/" in message.body, kind_of(message)
        assert bool(JAPANESE.search(message.subject)) == (language == "ja"), (
            kind_of(message),
            message.subject,
        )
        assert bool(JAPANESE.search(message.body)) == (language == "ja"), kind_of(message)


DEADLINE = re.compile(
    r"(\d+月\d+日\([月火水木金土日]\) \d+:\d\d"
    r"|[A-Z][a-z]{2}, [A-Z][a-z]{2} \d+, \d+:\d\d [AP]M) JST"
)


def test_owner_emails_that_ask_for_an_answer_state_the_deadline(every_kind):
    _language, sent = every_kind
    for message in sent:
        if kind_of(message) in ("new_request", "woke", "reminder", "deadline_extended"):
            # Date, weekday, time and zone: 12月7日(月) 18:00 JST / Mon, Dec 7, 6:00 PM JST.
            assert re.search(DEADLINE, message.body), (
                kind_of(message),
                message.body,
            )


def test_text_is_not_escaped_and_html_is(every_kind):
    _, sent = every_kind
    message = next(m for m in sent if kind_of(m) == "new_request" and "Beta & Sons" in m.subject)
    assert "Beta & Sons" in message.body
    assert "Beta &amp; Sons" in message.alternatives[0].content


def test_dates_are_shown_in_the_recipients_time_zone(clock, file_request, sales):
    sales.time_zone = "Europe/London"
    sales.language = "en"
    sales.save()
    file_request()
    jobs.process_deadlines()
    (message,) = mail.outbox
    # Deadline Monday 7 Dec 18:00 Tokyo is 09:00 in London.
    assert "Mon, Dec 7, 9:00 AM GMT" in message.body


def test_reply_goes_to_a_person(clock, file_request, marketer, sales):
    request = file_request()
    jobs.process_deadlines()
    workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
    jobs.process_deadlines()
    to_owner = next(m for m in mail.outbox if m.to == [sales.email])
    to_marketer = next(m for m in mail.outbox if m.to == [marketer.email])
    assert to_owner.reply_to == [marketer.email]
    assert to_marketer.reply_to == [sales.email]
    assert to_owner.extra_headers["Auto-Submitted"] == "auto-generated"
    assert to_owner.alternatives[0].mimetype == "text/html"


def test_html_links_every_address_of_the_text_as_urlize_would(every_kind):
    """The HTML part links what Django's urlize links, on every real email's text."""
    from django.utils.html import urlize

    from interviews.templatetags.email_html import linkify

    _, sent = every_kind
    for message in sent:
        expected = urlize(message.body, nofollow=True, autoescape=True)
        assert linkify(message.body) == expected, kind_of(message)
        html = message.alternatives[0].content
        for url in re.findall(r"https?://\S+", message.body):
            assert f'href="{url}"' in html, (kind_of(message), url)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "詳細はこちら https://relay.example/r/abc/defer/。よろしく",
            '詳細はこちら <a href="https://relay.example/r/abc/defer/" rel="nofollow">'
            "https://relay.example/r/abc/defer/</a>。よろしく",
        ),
        (
            "See (https://relay.example/requests/7/).",
            'See (<a href="https://relay.example/requests/7/" rel="nofollow">'
            "https://relay.example/requests/7/</a>).",
        ),
        (
            "Tanaka <tanaka@customer.example> & co",
            'Tanaka &lt;<a href="mailto:tanaka@customer.example">tanaka@customer.example</a>'
            "&gt; &amp; co",
        ),
        ('<script>"x"</script> http://', "&lt;script&gt;&quot;x&quot;&lt;/script&gt; http://"),
    ],
)
def test_html_links_stop_at_what_cannot_be_part_of_an_address(text, html):
    from interviews.templatetags.email_html import linkify

    assert linkify(text) == html


@pytest.mark.parametrize(
    "text",
    [
        "The piece: https://example.jp/blog/顧客インタビュー (published)",
        "https://例え.jp/case-study?lang=ja&x=1",
        "Ask tanaka@customer.example or see https://relay.example/requests/7/",
    ],
)
def test_html_links_addresses_with_any_characters_as_urlize_does(text):
    """A published piece may live at a Japanese address: the link must reach it."""
    from django.utils.html import urlize

    from interviews.templatetags.email_html import linkify

    assert linkify(text) == urlize(text, nofollow=True, autoescape=True)
    assert "%E9%A1%A7" in linkify(text) or "顧客" not in text


def test_titles_are_bracketed_the_readers_way(every_kind):
    language, sent = every_kind
    message = next(m for m in sent if kind_of(m) == "new_request")
    if language == "ja":
        assert "Tanaka Hanako（CIO）" in message.body
    else:
        assert "Tanaka Hanako (CIO)" in message.body
