"""Triage at a glance: where each role lands, the deadline chip, the order of the list,
the owner's queue split, the manager's force-switch badge, answering on an owner's behalf."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from interviews import presenters, workflow
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("marketer", "home"),
        ("sales", "owner_queue"),
        ("cs", "owner_queue"),
        ("manager", "dashboard"),
    ],
)
def test_signing_in_lands_each_role_where_its_work_is(client, request, who, lands_on):
    user = request.getfixturevalue(who)
    response = client.post(reverse("login"), {"username": user.email, "password": "pw"})
    assert response.status_code == 302 and response["Location"] == reverse(lands_on)


def test_a_next_page_still_wins_over_the_landing(client, sales):
    target = reverse("account_list")
    response = client.post(
        reverse("login"), {"username": sales.email, "password": "pw", "next": target}
    )
    assert response["Location"] == target


def test_the_chip_says_how_soon_and_how_urgent(clock, file_request):
    request = file_request()  # Mon Nov 30, due Mon Dec 7 18:00 (5 business days)
    chip = presenters.deadline_chip(request)
    assert (chip.text, chip.urgency) == ("5 business days left · Mon Dec 7", "calm")
    clock.move_to(dt.datetime(2026, 12, 4, 10, 0, tzinfo=TOKYO))
    chip = presenters.deadline_chip(request)
    assert (chip.text, chip.urgency) == ("1 business day left · Mon Dec 7", "urgent")
    clock.move_to(dt.datetime(2026, 12, 7, 10, 0, tzinfo=TOKYO))
    assert presenters.deadline_chip(request).text == "Due today · 6:00 PM"
    clock.move_to(dt.datetime(2026, 12, 7, 18, 1, tzinfo=TOKYO))
    chip = presenters.deadline_chip(request)
    assert (chip.text, chip.urgency) == ("Deadline passed · Mon Dec 7", "overdue")


def test_the_chip_in_japanese(clock, file_request, settings):
    from django.utils import translation

    request = file_request()
    clock.move_to(dt.datetime(2026, 12, 4, 10, 0, tzinfo=TOKYO))
    with translation.override("ja"):
        assert presenters.deadline_chip(request).text == "あと1営業日 · 12/7(月)"


def test_the_list_puts_what_needs_action_soonest_first(
    client, clock, marketer, sales, file_request
):
    later = file_request(topic="Filed first, due later")
    clock.move_to(dt.datetime(2026, 12, 3, 10, 0, tzinfo=TOKYO))
    sooner_account = AccountFactory(name="Zeta Corp", owner=sales)
    closed = file_request(
        account=sooner_account,
        candidates=[CandidateFactory(account=sooner_account)],
        topic="Closed newest",
    )
    workflow.request_cancel(request_id=closed.pk, by=marketer, reason="Dropped")
    newest_account = AccountFactory(name="Eta Corp", owner=sales)
    newest = file_request(
        account=newest_account,
        candidates=[CandidateFactory(account=newest_account)],
        topic="Filed last, due last",
    )
    client.force_login(marketer)
    html = client.get(reverse("home")).content.decode()
    order = [html.index(topic) for topic in (later.topic, newest.topic, closed.topic)]
    assert order == sorted(order)


def test_the_owner_queue_splits_what_needs_an_answer_from_what_is_paused(
    client, sales, file_request
):
    waiting = file_request(topic="Still waiting")
    other = AccountFactory(name="Beta Foods", owner=sales)
    paused = file_request(
        account=other, candidates=[CandidateFactory(account=other)], topic="Paused one"
    )
    workflow.request_defer(
        request_id=paused.pk,
        by=sales,
        until=dt.date.today() + dt.timedelta(days=20),
        reason_category="customer_busy",
        reason="Busy",
    )
    client.force_login(sales)
    html = client.get(reverse("owner_queue")).content.decode()
    needs = html[html.index("Needs your answer") : html.index('id="paused-h"')]
    later = html[html.index('id="paused-h"') : html.index("Your accounts")]
    assert waiting.topic in needs and paused.topic not in needs
    assert paused.topic in later and "Back on" in later


def test_a_forced_switch_has_its_own_badge(client, clock, marketer, manager, file_request):
    forced = file_request()
    workflow.request_force_switch(request_id=forced.pk, by=manager, reason="Launch week")
    client.force_login(marketer)
    for url in (reverse("home"), reverse("request_detail", args=[forced.pk])):
        html = client.get(url).content.decode()
        assert "Switched by a manager" in html
        assert "Switched after the deadline" not in html


def test_a_deadline_switch_keeps_its_badge(client, clock, marketer, file_request):
    from interviews import jobs

    request = file_request()
    clock.move_to(dt.datetime(2026, 12, 7, 18, 5, tzinfo=TOKYO))
    jobs.process_deadlines()
    client.force_login(marketer)
    html = client.get(reverse("request_detail", args=[request.pk])).content.decode()
    assert "Switched after the deadline" in html and "Switched by a manager" not in html


def test_a_manager_answers_on_behalf_of_the_owner(client, manager, sales, file_request):
    request = file_request()
    client.force_login(manager)
    page = client.get(reverse("request_detail", args=[request.pk])).content.decode()
    assert "Answer on behalf of Sato Sales" in page and ">Your answer</h2>" not in page
    answer = client.get(reverse("answer", args=[request.pk, "decline"])).content.decode()
    assert "Answer on behalf of Sato Sales" in answer
    assert "Answering as" not in answer
    client.force_login(sales)
    page = client.get(reverse("request_detail", args=[request.pk])).content.decode()
    assert ">Your answer</h2>" in page and "Answer on behalf of" not in page


def test_the_answer_page_marks_required_fields_and_styles_decline(client, sales, file_request):
    request = file_request()
    client.force_login(sales)
    html = client.get(reverse("answer", args=[request.pk, "decline"])).content.decode()
    assert "<h1" in html and ">Decline</h1>" in html  # no ellipsis in the heading
    assert "Fields marked * are required." in html
    label = '<label for="id_reason">A few words for marketing<span class="required-mark"'
    assert label in html
    assert 'class="destructive solid"' in html
    # The question comes before the form.
    assert html.index("Mai Marketer asks to interview Acme KK") < html.index(
        '<form method="post" novalidate'
    )


def test_the_list_has_views_as_tabs_with_the_current_one_marked(client, marketer, file_request):
    file_request()
    client.force_login(marketer)
    html = client.get(reverse("home"), {"status": "open"}).content.decode()
    tabs = html[html.index('<nav class="tabs"') : html.index("</nav>", html.index('class="tabs"'))]
    assert '<a href="?status=open" aria-current="page">Open</a>' in tabs
    assert '<a href="?status=closed">Closed</a>' in tabs
    assert tabs.count('aria-current="page"') == 1
