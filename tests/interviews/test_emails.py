"""Every notification kind renders as a real email, in the recipient's language."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import User
from interviews import jobs, workflow
from interviews.models import Notification, NotificationKind
from tests.interviews.email_journey import html_of, kind_of, send_every_kind

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(params=["en", "ja"])
def every_kind(request, clock, file_request, marketer, sales, cs, manager):
    """Every kind of email, as sent to people reading in one language."""
    language = request.param
    sent = send_every_kind(
        language,
        clock=clock,
        file_request=file_request,
        marketer=marketer,
        sales=sales,
        cs=cs,
        manager=manager,
    )
    return language, sent


def test_every_kind_is_sent(every_kind):
    _, sent = every_kind
    # Every kind but the one that only re-renders Slack messages after a change.
    emailed = set(NotificationKind.values) - {NotificationKind.SLACK_REFRESH}
    assert {kind_of(m) for m in sent} == emailed
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
    from django.utils.html import escape, urlize

    from interviews.templatetags.email_html import linkify

    _, sent = every_kind
    for message in sent:
        expected = urlize(message.body, nofollow=True, autoescape=True)
        assert linkify(message.body) == expected, kind_of(message)
        html = message.alternatives[0].content
        for url in re.findall(r"https?://\S+", message.body):
            assert f'href="{escape(url)}"' in html, (kind_of(message), url)


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


# --- The HTML part: made for mail clients --------------------------------------------------

TOKEN_LINK = re.compile(r"/r/[^/\s\"<>]+/")


def _visible_text(html: str) -> str:
    """What a reader sees: no tags, no attributes, no head, no comments."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_html_is_made_for_mail_clients(every_kind):
    language, sent = every_kind
    for message in sent:
        html = html_of(message)
        kind = kind_of(message)
        assert f'<html lang="{language}"' in html, kind
        assert "<script" not in html.lower() and "<img" not in html.lower(), kind
        assert "<h1" in html, kind
        # Every table is layout; none is announced as data by a screen reader.
        tables = re.findall(r"<table[^>]*>", html)
        assert tables and all('role="presentation"' in t for t in tables), kind
        # The stylesheet is inlined: every styled element carries its style...
        assert 'class="card" style="' in html or 'class="card" bgcolor="#ffffff" style="' in html
        assert "max-width:600px" in html, kind
        # ...and only the @media rules (phone width, dark mode) stay in the <style> tag.
        style = re.search(r"<style>(.*?)</style>", html, flags=re.S).group(1)
        assert "prefers-color-scheme: dark" in style and "max-width: 480px" in style
        assert not re.search(r"^\s*\.[a-z-]+\s*\{", style), "plain rules left un-inlined"
        # A hidden preview line comes first.
        preheader = re.search(r'<div class="preheader" style="([^"]*)">([^<]*)', html)
        assert preheader and "display:none" in preheader.group(1), kind
        assert preheader.group(2).strip(), kind


def test_html_never_shows_a_raw_token_link(every_kind):
    _, sent = every_kind
    for message in sent:
        html = html_of(message)
        visible = _visible_text(html)
        assert not TOKEN_LINK.search(visible), kind_of(message)
        assert "http" not in visible.replace("Interview Relay", ""), (kind_of(message), visible)
        # The text part spells every link of the HTML part out.
        for href in re.findall(r'href="(https?://[^"]+)"', html):
            assert href.replace("&amp;", "&") in message.body, (kind_of(message), href)


def test_the_request_email_puts_the_answers_right_after_the_ask(every_kind):
    language, sent = every_kind
    message = next(m for m in sent if kind_of(m) == "new_request")
    html = html_of(message)
    ask = html.index("<h1")
    deadline = html.index('class="deadline"')
    first_button = html.index('class="btn-primary-link"')
    details = html.index('class="layout details"')
    agreement = html.index("/how-it-works/")
    assert ask < deadline < first_button < details < agreement
    buttons = re.findall(
        r'class="(btn-primary|btn-secondary)-link" href="[^"]*/r/[^/]+/(\w+)/"', html
    )
    assert buttons == [
        ("btn-primary", "owner_will_reach_out"),
        ("btn-primary", "owner_go_ahead"),
        ("btn-secondary", "defer"),
        ("btn-secondary", "decline"),
    ]
    # Who asks, for which account, for what; the deadline with weekday, time, zone and
    # the business days left.
    h1 = _visible_text(html[ask : html.index("</h1>")])
    assert "Mai Marketer" in h1 and "Acme KK" in h1 and "Why Acme moved its ledger to us" in h1
    deadline_text = " ".join(_visible_text(html[deadline:first_button]).split())
    if language == "ja":
        assert "12月7日(月) 18:00 JST" in deadline_text and "あと5営業日" in deadline_text
    else:
        assert "Mon, Dec 7, 6:00 PM JST" in deadline_text
        assert "5 business days left" in deadline_text


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "[Answer by Mon Dec 7] Interview request for Acme KK"),
        ("ja", "【回答期限 12/7(月)】Acme KK様へのインタビュー依頼"),
    ],
)
def test_the_subject_says_what_is_asked_and_by_when(clock, file_request, sales, language, subject):
    sales.language = language
    sales.save()
    file_request()
    jobs.process_deadlines()
    (message,) = mail.outbox
    assert message.subject == subject


def test_a_reader_elsewhere_sees_the_deadline_on_both_clocks(clock, file_request, sales):
    sales.time_zone = "Asia/Singapore"
    sales.language = "en"
    sales.save()
    file_request()
    jobs.process_deadlines()
    (message,) = mail.outbox
    assert "Mon, Dec 7, 5:00 PM UTC+8 (6:00 PM JST) (5 business days left)" in message.body
    assert "Mon, Dec 7, 5:00 PM UTC+8 (6:00 PM JST)" in html_of(message)


def test_owner_is_told_in_their_words_when_a_manager_answered_for_them(every_kind):
    language, sent = every_kind
    (message,) = [m for m in sent if kind_of(m) == "decided" and m.to == ["sales@example.com"]]
    assert message.reply_to == ["manager@example.com"]
    if language == "ja":
        assert "マネージャーのMori Managerさんが、あなたに代わって" in message.body
        assert "マネージャーのMori Managerさんが、あなたに代わって" in html_of(message)
    else:
        assert "Mori Manager, a manager, answered this interview request for you" in message.body
        assert "Mori Manager, a manager, answered this interview request for you" in html_of(
            message
        )
    assert "Sato is away; go ahead." in message.body
    # The marketer hears the answer too, and that it came from the manager.
    to_marketer = next(
        m
        for m in sent
        if kind_of(m) == "decided" and m.to == ["marketer@example.com"] and "Eta" in m.subject
    )
    assert "Mori Manager" in to_marketer.body


def _another_account(owner) -> dict:
    from tests.factories import AccountFactory, CandidateFactory

    account = AccountFactory(owner=owner)
    return {"account": account, "candidates": [CandidateFactory(account=account)]}


# --- One conversation per request ----------------------------------------------------------


def test_every_email_about_a_request_joins_its_conversation(every_kind):
    _, sent = every_kind
    ids = [m.extra_headers["Message-ID"] for m in sent]
    assert len(set(ids)) == len(ids), "each email has its own Message-ID"
    roots = {}
    for message in sent:
        if kind_of(message) == "new_request" and "In-Reply-To" not in message.extra_headers:
            request_id = int(
                re.search(
                    r"<request-(\d+)@127\.0\.0\.1>", message.extra_headers["Message-ID"]
                ).group(1)
            )
            roots[request_id] = message.extra_headers["Message-ID"]
    assert len(roots) == 8  # one per request filed
    for message in sent:
        headers = message.extra_headers
        if headers["Message-ID"] in roots.values():
            continue
        if kind_of(message) in ("weekly_digest", "reminder") and "In-Reply-To" not in headers:
            continue  # not about one request (checked below)
        assert headers["In-Reply-To"] in roots.values(), kind_of(message)
        assert headers["References"] == headers["In-Reply-To"]
        assert headers["Message-ID"].endswith("@127.0.0.1>")


def test_a_reminder_joins_the_conversation_of_its_one_request_only(
    clock, file_request, sales, account
):
    from tests.interviews.email_journey import tokyo

    first = file_request()
    jobs.process_deadlines()
    clock.move_to(tokyo(2026, 12, 3, 9, 0))
    jobs.process_deadlines()
    reminder = next(m for m in mail.outbox if kind_of(m) == "reminder")
    assert reminder.extra_headers["In-Reply-To"] == f"<request-{first.pk}@127.0.0.1>"

    mail.outbox.clear()
    second = file_request(topic="Another angle", **_another_account(sales))
    third = file_request(topic="And a third", **_another_account(sales))
    jobs.process_deadlines()
    clock.move_to(tokyo(2026, 12, 8, 9, 0))
    jobs.process_deadlines()
    (grouped,) = [m for m in mail.outbox if kind_of(m) == "reminder"]
    assert "Another angle" in grouped.body and "And a third" in grouped.body
    # Naming several requests would merge their conversations: it stands alone.
    assert "In-Reply-To" not in grouped.extra_headers
    assert "References" not in grouped.extra_headers
    assert second.pk != third.pk


# --- Grouped reminders ---------------------------------------------------------------------


def test_a_long_reminder_shows_the_most_urgent_in_full_and_stays_unclipped(
    clock, file_request, sales
):
    from tests.interviews.email_journey import tokyo

    sales.language = "ja"
    sales.save()
    for n in range(30):
        clock.move_to(tokyo(2026, 11, 30, 10, n))
        file_request(
            topic=f"Topic number {n:02d}",
            note_to_owner="Background " * 20,
            **_another_account(sales),
        )
    jobs.process_deadlines()
    mail.outbox.clear()
    clock.move_to(tokyo(2026, 12, 3, 9, 0))
    jobs.process_deadlines()
    (message,) = [m for m in mail.outbox if kind_of(m) == "reminder"]
    html = html_of(message)
    assert len(html.encode()) < 102 * 1024, len(html.encode())
    assert "30" in message.subject
    # Ten cards with their own four answers, most urgent (filed first) first.
    assert html.count('class="layout item"') == 10
    assert len(re.findall(r'href="[^"]*/r/[^"]*/owner_go_ahead/"', html)) == 10
    cards = [html.index(f"Topic number {n:02d}") for n in range(10)]
    assert cards == sorted(cards)
    # The other twenty by name, and the queue for all of them.
    assert (
        "http://127.0.0.1:8000/waiting/" in html
        and "http://127.0.0.1:8000/waiting/" in message.body
    )
    assert html.count('class="rest"') == 20
    assert "ほかに20件の依頼がご回答を待っています" in message.body
