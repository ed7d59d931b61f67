"""The request list: filters, search, sort, pages, htmx fragments, the next-step sentence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Account, Department
from interviews import workflow
from interviews.models import Purpose
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
HTMX_RESULTS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


@pytest.fixture
def three(clock, file_request, marketer, other_marketer, sales, cs):
    """Acme (Sato, waiting), Beta (Chika, deferred), Gamma (Sato, filed by Mark, cancelled)."""
    acme = file_request()
    beta_account = AccountFactory(name="Beta Foods", owner=cs)
    beta = file_request(
        account=beta_account,
        candidates=[CandidateFactory(account=beta_account, name="Suzuki Ichiro")],
        purpose=Purpose.RESEARCH,
        topic="Why they chose us",
    )
    workflow.request_defer(
        request_id=beta.pk,
        by=cs,
        until=dt.date(2026, 12, 10),
        reason_category="customer_busy",
        reason="Year-end closing.",
    )
    gamma_account = AccountFactory(name="Gamma Steel", owner=sales)
    gamma = file_request(
        by=other_marketer,
        account=gamma_account,
        candidates=[CandidateFactory(account=gamma_account)],
        topic="Steel",
    )
    workflow.request_cancel(request_id=gamma.pk, by=other_marketer, reason="Campaign dropped.")
    return acme, beta, gamma


def listed(client, **params) -> str:
    """The results part of the page (the filter form lists every account and owner)."""
    response = client.get(HOME, params)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<div id="results"') :]


def test_the_list_needs_a_login(client):
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_each_row_has_a_status_badge_and_a_deadline_chip(client, marketer, three):
    """The list shows at a glance how soon (the sentence stays on the request's page)."""
    client.force_login(marketer)
    html = listed(client)
    assert "3 requests" in html
    assert '<span class="badge status-awaiting_owner">Waiting for the owner</span>' in html
    assert '<span class="chip calm">' in html
    assert "5 business days left · Mon Dec 7</time>" in html
    assert "Back on Thu Dec 10</time>" in html
    assert "Sato Sales has 5 business days left" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "deferred"}, {"Beta Foods"}),
        ({"status": "open"}, {"Acme KK", "Beta Foods"}),
        ({"status": "closed"}, {"Gamma Steel"}),
        ({"purpose": "research"}, {"Beta Foods"}),
        ({"mine": "on"}, {"Acme KK", "Beta Foods"}),
        ({"q": "beta"}, {"Beta Foods"}),
        ({"q": "suzuki"}, {"Beta Foods"}),  # a candidate's name
        ({"q": "tanaka"}, {"Acme KK"}),
        ({"q": "steel"}, {"Gamma Steel"}),  # the topic
        ({"q": "nobody"}, set()),
    ],
)
def test_filters_and_search(client, marketer, three, params, expected):
    client.force_login(marketer)
    html = listed(client, **params)
    shown = {name for name in ("Acme KK", "Beta Foods", "Gamma Steel") if name in html}
    assert shown == expected
    if not expected:
        assert "No request matches these filters." in html


def test_filter_by_owner_and_account(client, marketer, three, cs):
    acme, _beta, _gamma = three
    client.force_login(marketer)
    assert listed(client, owner=cs.pk).count('class="row-title') == 1
    html = listed(client, account=acme.account_id)
    assert "Acme KK" in html and "Beta Foods" not in html
    # A stale or foreign id narrows nothing rather than breaking the page.
    assert listed(client, owner=999999, status="bogus").count('class="row-title') == 3


def test_the_owner_filter_offers_active_owners_by_name(client, marketer, three, sales, cs):
    nameless = UserFactory(email="kato@example.com", name="", department=Department.SALES)
    UserFactory(name="Left Sales", department=Department.SALES, is_active=False)
    client.force_login(marketer)
    page = client.get(HOME, {"owner": cs.pk}).content.decode()
    start = page.index('<select id="id_owner" name="owner">')
    select = page[start : page.index("</select>", start)]
    assert select.splitlines()[1:] == [
        '<option value="">Anyone</option>',
        # No name: the address, as everywhere a person is shown (sorted by the empty name).
        f'<option value="{nameless.pk}">kato@example.com</option>',
        f'<option value="{cs.pk}" selected>Chika CS</option>',
        f'<option value="{sales.pk}">Sato Sales</option>',
    ]


def test_sorting(client, marketer, three):
    client.force_login(marketer)
    html = listed(client, sort="account")
    assert html.index("Acme KK") < html.index("Beta Foods") < html.index("Gamma Steel")
    html = listed(client, sort="oldest")
    assert html.index("Acme KK") < html.index("Gamma Steel")
    html = listed(client, sort="newest")
    assert html.index("Gamma Steel") < html.index("Acme KK")
    html = listed(client, sort="deadline")  # the one with a deadline first
    assert html.index("Acme KK") < html.index("Beta Foods")


def test_htmx_gets_only_the_results(client, marketer, three):
    client.force_login(marketer)
    response = client.get(HOME, {"q": "beta"}, **HTMX_RESULTS)
    html = response.content.decode()
    assert html.startswith('<div id="results"') and "<html" not in html
    assert "Beta Foods" in html and "Acme KK" not in html
    assert "HX-Request" in response["Vary"]
    # Back-button restores need the whole page.
    restore = client.get(
        HOME, {"q": "beta"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


def test_the_filter_form_works_without_javascript(client, marketer, three):
    client.force_login(marketer)
    html = client.get(HOME).content.decode()
    assert '<form method="get" action="/"' in html and 'type="submit"' in html
    for field in ("q", "status", "owner", "purpose", "mine", "sort"):
        assert f'for="id_{field}"' in html, field
    # Accounts are found through the search box (a dropdown of every account would not
    # scale); a link from an account's page filters by it, and the choice is shown.
    acme = Account.objects.get(name="Acme KK")
    chosen = client.get(HOME, {"account": acme.pk}).content.decode()
    assert 'for="id_account"' in chosen and f'<option value="{acme.pk}" selected>' in chosen


def test_pages_keep_the_filters(client, clock, marketer, sales, file_request):
    for n in range(30):
        account = AccountFactory(owner=sales, name=f"Paged {n:02d}")
        file_request(account=account, candidates=[CandidateFactory(account=account)])
    client.force_login(marketer)
    html = listed(client, q="paged", sort="account")
    assert "Paged 00" in html and "Paged 25" not in html
    assert "Page 1 of 2" in html
    assert 'href="?q=paged&amp;sort=account&amp;page=2"' in html
    html = listed(client, q="paged", sort="account", page=2)
    assert "Paged 25" in html and "Paged 00" not in html


def test_owners_see_only_their_own_requests(client, three, sales, cs):
    client.force_login(cs)
    html = listed(client)
    assert "Beta Foods" in html and "Acme KK" not in html and "Gamma Steel" not in html
    client.force_login(sales)
    html = listed(client)
    assert "Acme KK" in html and "Gamma Steel" in html and "Beta Foods" not in html
    assert "5 business days left · Mon Dec 7" in html


def test_the_list_is_in_the_users_language_and_time_zone(client, three, marketer):
    marketer.language = "ja"
    marketer.time_zone = "America/New_York"
    marketer.save()
    client.force_login(marketer)
    html = client.get(HOME).content.decode()
    assert 'lang="ja"' in html
    # 18:00 Tokyo is 04:00 in New York: still Monday there.
    assert "あと5営業日 · 12/7(月)" in html


def test_the_next_step_for_each_state(client, clock, marketer, sales, manager, file_request):
    client.force_login(marketer)

    def sentence(request):
        html = client.get(reverse("request_detail", args=[request.pk])).content.decode()
        start = html.index('class="next-step"')
        return html[start : html.index("</p>", start)]

    request = file_request()
    clock.move_to(dt.datetime(2026, 12, 7, 9, 0, tzinfo=TOKYO))
    assert "Sato Sales has until Mon, Dec 7, 6:00 PM today to answer." in sentence(request)
    workflow.request_owner_will_reach_out(request_id=request.pk, by=sales)
    assert "Sato Sales is asking the customer and has 10 business days left" in sentence(request)
    workflow.request_force_switch(request_id=request.pk, by=manager, reason="Launch")
    assert "You may contact the customer directly since Mon, Dec 7" in sentence(request)
    workflow.request_schedule(
        request_id=request.pk,
        by=marketer,
        interview_at=dt.datetime(2026, 12, 9, 14, 0, tzinfo=TOKYO),
        location="Zoom",
    )
    assert "Interview on Wed, Dec 9, 2:00 PM; record the outcome afterwards." in sentence(request)
    clock.move_to(dt.datetime(2026, 12, 10, 9, 0, tzinfo=TOKYO))
    assert "The interview was on Wed, Dec 9: record the outcome." in sentence(request)
    workflow.request_complete(request_id=request.pk, by=marketer, outcome_summary="Good")
    assert "Completed on Thu, Dec 10; the outcome was shared with Sato Sales." in sentence(request)


def test_an_overdue_request_says_the_switch_is_imminent(client, clock, marketer, file_request):
    request = file_request()
    clock.move_to(dt.datetime(2026, 12, 7, 18, 30, tzinfo=TOKYO))  # before the minute job ran
    client.force_login(marketer)
    html = client.get(reverse("request_detail", args=[request.pk])).content.decode()
    assert "The owner&#x27;s time is up" in html


def test_declined_shows_the_category_and_reason(client, clock, marketer, sales, file_request):
    request = file_request()
    workflow.request_decline(
        request_id=request.pk, by=sales, reason_category="open_issue", reason="P1 escalation"
    )
    client.force_login(marketer)
    html = client.get(reverse("request_detail", args=[request.pk])).content.decode()
    assert "Sato Sales declined on Mon, Nov 30: Open issue with the customer (P1 escalation)." in (
        html
    )


def test_an_inactive_person_cannot_see_the_list(client, marketer):
    inactive = UserFactory(department=Department.MARKETING, is_active=False)
    client.force_login(inactive)
    assert client.get(HOME).status_code == 302  # signed out by Django's auth backend
