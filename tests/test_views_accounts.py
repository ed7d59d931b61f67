"""Account and candidate pages: owner, sensitive period, contact history, people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Department
from interviews import workflow
from interviews.models import Purpose
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


def account_url(account) -> str:
    return reverse("account_detail", args=[account.pk])


@pytest.fixture
def history(clock, file_request, marketer, sales, candidate):
    """A completed case study last year's style, then an open testimonial request."""
    first = file_request(purpose=Purpose.CASE_STUDY, topic="The ledger story")
    workflow.request_owner_go_ahead(request_id=first.pk, by=sales)
    workflow.request_schedule(
        request_id=first.pk,
        by=marketer,
        interview_at=dt.datetime(2026, 11, 30, 9, 0, tzinfo=TOKYO),
        location="Zoom",
    )
    workflow.request_complete(
        request_id=first.pk,
        by=marketer,
        outcome_summary="Good",
        published_url="https://example.com/acme",
    )
    return first


def test_account_page_shows_owner_history_and_people(client, history, marketer, account):
    other = CandidateFactory(account=account, name="Yamada Taro", title="CFO")
    client.force_login(marketer)
    response = client.get(account_url(account))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sato Sales (Sales)" in html
    assert "The ledger story" in html and "Case study" in html
    assert '<span class="badge status-completed">Completed</span>' in html
    assert 'href="https://example.com/acme"' in html
    assert "Tanaka Hanako" in html and "Yamada Taro" in html
    assert f'href="{reverse("candidate_detail", args=[other.pk])}"' in html
    # Interviewed today: the cooldown is explained and no new request is offered.
    assert "next request from Sun, Feb 28, 2027" in html
    assert "None: requests may be filed." in html


def test_account_page_shows_the_sensitive_period(client, clock, marketer, account):
    account.sensitive_until = dt.date(2026, 12, 24)
    account.sensitive_reason = "Renewal talks"
    account.save()
    client.force_login(marketer)
    html = client.get(account_url(account)).content.decode()
    assert "Sensitive until Thu, Dec 24" in html and "Renewal talks" in html


def test_an_account_without_obstacles_offers_a_new_request(client, clock, marketer, account):
    client.force_login(marketer)
    html = client.get(account_url(account)).content.decode()
    assert f'href="{reverse("request_new")}?account={account.pk}"' in html
    assert "No interview requests yet." in html


def test_owners_see_their_accounts_only(client, clock, account, sales, cs):
    client.force_login(cs)
    assert client.get(account_url(account)).status_code == 404
    client.force_login(sales)
    assert client.get(account_url(account)).status_code == 200
    html = client.get(reverse("account_list")).content.decode()
    assert "Acme KK" in html


def test_an_owner_sees_only_the_requests_they_may_see(
    client, clock, file_request, account, sales, manager
):
    """A request reassigned away from its account's owner stays out of their history."""
    stranger = UserFactory(department=Department.CUSTOMER_SUCCESS, name="Other Owner")
    request = file_request(topic="Secret topic")
    workflow.request_reassign_owner(
        request_id=request.pk, by=manager, new_owner=stranger, reason="Coverage"
    )
    client.force_login(stranger)
    html = client.get(account_url(account)).content.decode()
    assert "Secret topic" in html  # they were asked about this account
    client.force_login(sales)  # the account's owner, who was asked first, too
    assert "Secret topic" in client.get(account_url(account)).content.decode()


def test_candidate_page_lists_their_requests(client, history, marketer, candidate):
    client.force_login(marketer)
    response = client.get(reverse("candidate_detail", args=[candidate.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tanaka Hanako" in html and "CIO" in html and "The ledger story" in html
    assert "Mon, Nov 30" in html  # last interviewed


def test_candidate_of_someone_elses_account_is_404(client, clock, cs, candidate):
    client.force_login(cs)
    assert client.get(reverse("candidate_detail", args=[candidate.pk])).status_code == 404


def test_account_list_search_and_htmx(client, clock, marketer, account):
    AccountFactory(name="Zenith Works", crm_id="CRM-777")
    client.force_login(marketer)
    html = client.get(reverse("account_list"), {"q": "zen"}).content.decode()
    results = html[html.index('id="results"') :]
    assert "Zenith Works" in results and "Acme KK" not in results
    fragment = client.get(
        reverse("account_list"),
        {"q": "CRM-777"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    ).content.decode()
    assert fragment.startswith('<div id="results"') and "Zenith Works" in fragment


def test_account_pages_need_a_login(client, account, candidate):
    for url in (
        reverse("account_list"),
        account_url(account),
        reverse("candidate_detail", args=[candidate.pk]),
        reverse("account_search"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
